import { matchesVersionSpec } from "./_matches.ts";
import { provideRangeEngine } from "./_range_engine.ts";
import { resolveParsedSpec } from "./_resolve_plain.ts";
import { parseVersionSpec } from "./parse_version_spec.ts";

/**
 * Picks the highest version in `available` that satisfies `spec`. Pre-releases are chosen only
 * when the spec names one (`^1.2.0-rc.1`, `1.2.0-rc.1`); `*` and `latest` pick the highest
 * release, or the highest pre-release when there is no release at all. Entries that are not
 * semantic versions are ignored.
 *
 * Among versions equal by precedence (`1.2.3+a`, `1.2.3+b`) an exact spec prefers the very
 * string it names, otherwise the highest build metadata wins.
 *
 * @example
 * ```ts
 * import { resolveVersion } from "./resolve_version.ts";
 * import assert from "node:assert/strict";
 *
 * const available = ["1.27.4", "1.28.0", "1.29.1", "1.30.0-rc.1", "2.0.0"];
 * assert.equal(resolveVersion("^1.28.0", available), "1.29.1");
 * assert.equal(resolveVersion("~1.28.0", available), "1.28.0");
 * assert.equal(resolveVersion("latest", available), "2.0.0");
 * assert.equal(resolveVersion("^3.0.0", available), undefined);
 * ```
 *
 * @param spec A version spec (see {@linkcode parseVersionSpec}).
 * @param available The versions that exist, in any order.
 * @returns The chosen version as written in `available`, or `undefined` when none satisfies.
 * @throws {ProvisioningError} `INVALID_VERSION_SPEC` when the spec is not valid.
 */
export function resolveVersion(spec: string, available: readonly string[]): string | undefined {
  return resolveParsedSpec(parseVersionSpec(spec), available, matchesVersionSpec);
}

// Code that must not evaluate `semver` unless a range appears finds the engine through
// _range_engine.ts once this module is loaded.
provideRangeEngine({ parseVersionSpec, resolveVersion });
