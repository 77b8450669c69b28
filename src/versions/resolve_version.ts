import { matchesVersionSpec } from "./_matches.ts";
import { highest } from "./_semver.ts";
import { getLatestVersion } from "./get_latest_version.ts";
import { isSemver } from "./is_semver.ts";
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
  const parsed = parseVersionSpec(spec);
  const matching = available.filter((version) =>
    isSemver(version) && matchesVersionSpec(version, parsed)
  );
  if (parsed.kind === "latest") return getLatestVersion(matching);
  if (parsed.version !== undefined && matching.includes(parsed.version)) return parsed.version;
  return highest(matching);
}
