/**
 * Matching and resolving `latest` and exact specs, without `semver` (see _precedence.ts):
 * `resolveVersion` and `matchesVersionSpec` answer these through here and only ranges
 * through `semver`. Private to src/versions and the loader.
 *
 * @module
 */

import { comparePrecedence } from "./_precedence.ts";
import { buildOf, highest, parseStrictVersion } from "./_semver.ts";
import { getLatestVersion } from "./get_latest_version.ts";
import { isSemver } from "./is_semver.ts";
import type { VersionSpec } from "./types.ts";

/**
 * Whether a strict version satisfies a `latest` or exact spec: `latest` matches everything;
 * an exact spec matches its version (build metadata ignored) unless it names build metadata,
 * then only that build.
 *
 * @param version A strict version.
 * @param spec A parsed spec of kind `latest` or `exact`.
 * @returns Whether it matches.
 */
export function matchesPlainSpec(version: string, spec: VersionSpec): boolean {
  if (spec.kind === "latest") return true;
  if (comparePrecedence(parseStrictVersion(version), parseStrictVersion(spec.range)) !== 0) {
    return false;
  }
  const build = spec.version === undefined ? "" : buildOf(spec.version);
  return build === "" || buildOf(version) === build;
}

/**
 * The version a parsed spec picks among `available` (see `resolveVersion`), given how a
 * version is matched.
 *
 * @example
 * ```ts
 * import { matchesPlainSpec, resolveParsedSpec } from "./_resolve_plain.ts";
 * import { plainVersionSpec } from "./_plain_spec.ts";
 * import assert from "node:assert/strict";
 *
 * const spec = plainVersionSpec("1.2.3")!;
 * assert.equal(resolveParsedSpec(spec, ["1.2.3+b", "1.2.4"], matchesPlainSpec), "1.2.3+b");
 * ```
 *
 * @param parsed The parsed spec.
 * @param available Candidate versions (non-semver entries are ignored).
 * @param matches Whether a strict version satisfies the spec.
 * @returns The chosen version, or undefined.
 */
export function resolveParsedSpec(
  parsed: VersionSpec,
  available: readonly string[],
  matches: (version: string, spec: VersionSpec) => boolean,
): string | undefined {
  const matching = available.filter((version) => isSemver(version) && matches(version, parsed));
  if (parsed.kind === "latest") return getLatestVersion(matching);
  if (parsed.version !== undefined && matching.includes(parsed.version)) return parsed.version;
  return highest(matching);
}
