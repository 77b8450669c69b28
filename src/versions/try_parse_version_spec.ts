import { analyseVersionSpec } from "./_version_spec.ts";
import type { VersionSpec } from "./types.ts";

/**
 * Parses a version spec like {@linkcode parseVersionSpec}, returning `undefined` instead of
 * throwing when the spec is not valid.
 *
 * @example
 * ```ts
 * import { tryParseVersionSpec } from "./try_parse_version_spec.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(tryParseVersionSpec("~1.2.0")?.range, ">=1.2.0 <1.3.0-0");
 * assert.equal(tryParseVersionSpec(">>1"), undefined);
 * ```
 *
 * @param spec The spec as written by the user.
 * @returns The parsed spec, or `undefined` when it is not valid.
 */
export function tryParseVersionSpec(spec: string): VersionSpec | undefined {
  const analysis = analyseVersionSpec(spec);
  return analysis.ok ? analysis.spec : undefined;
}
