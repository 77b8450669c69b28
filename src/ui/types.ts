/**
 * Types of the marketplace page shared by its modules, and the seam where signature
 * verification plugs in.
 *
 * @module
 */

import type { DiscoveredExtension } from "../discovery/types.ts";

/**
 * Signature badges by `source/type/name@version`: true shows "signed", false "unsigned";
 * a version without an entry shows no badge. Empty until signature verification lands.
 */
export type SignatureBadges = ReadonlyMap<string, boolean>;

/**
 * Tells which catalogue entries carry a verified signature. **The seam for signatures:**
 * when signature verification lands, pass an implementation to `startUiServer`
 * (`signatures`); the cards and the extension page then show a signed/unsigned badge. The
 * default shows none (nothing is claimed that was not checked).
 *
 * @example
 * ```ts
 * import type { SignatureLookup } from "./types.ts";
 * const none: SignatureLookup = () => Promise.resolve(new Map());
 * ```
 */
export type SignatureLookup = (
  entries: readonly DiscoveredExtension[],
) => Promise<SignatureBadges>;
