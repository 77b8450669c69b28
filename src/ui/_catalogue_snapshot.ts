/**
 * The catalogue's listing, shared by requests: one discovery, asked again when older than
 * {@linkcode CATALOGUE_MAX_AGE_MS} or after a pull. Private to `src/ui`.
 *
 * @module
 */

import { discoverAllExtensions, type DiscoverAllOptions } from "../discovery/discover_all.ts";
import type { DiscoveryResult } from "../discovery/types.ts";

/** How long a catalogue listing is reused before sources are asked again (ms). */
export const CATALOGUE_MAX_AGE_MS = 30_000;

/** The listing holder. */
export interface CatalogueSnapshot {
  /** The listing (a discovery under way is shared; a failed one is not kept). */
  get(): Promise<DiscoveryResult>;
  /** Forgets the listing (cached marks changed). */
  invalidate(): void;
}

/** One discovery shared by the requests, asked again when older than the limit or after a pull. */
export function catalogueSnapshot(discovery: DiscoverAllOptions): CatalogueSnapshot {
  let current: { at: number; result: Promise<DiscoveryResult> } | undefined;
  return {
    get(): Promise<DiscoveryResult> {
      const now = Date.now();
      if (current === undefined || now - current.at > CATALOGUE_MAX_AGE_MS) {
        const result = discoverAllExtensions(discovery);
        current = { at: now, result };
        result.catch(() => current = undefined);
      }
      return current.result;
    },
    invalidate(): void {
      current = undefined;
    },
  };
}
