import { highest, isPrerelease } from "./_semver.ts";
import { isSemver } from "./is_semver.ts";

/**
 * Picks the highest release from a list of versions. Pre-releases are considered only when the
 * list holds no release at all; entries that are not semantic versions are ignored.
 *
 * @example
 * ```ts
 * import { getLatestVersion } from "./get_latest_version.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(getLatestVersion(["1.28.0", "1.29.1", "1.30.0-rc.1", "latest"]), "1.29.1");
 * assert.equal(getLatestVersion(["2.0.0-beta.1", "2.0.0-rc.1"]), "2.0.0-rc.1");
 * assert.equal(getLatestVersion([]), undefined);
 * ```
 *
 * @param list Version strings, in any order.
 * @returns The highest release, else the highest pre-release, else `undefined`.
 */
export function getLatestVersion(list: readonly string[]): string | undefined {
  const versions = list.filter(isSemver);
  const releases = versions.filter((version) => !isPrerelease(version));
  return highest(releases.length > 0 ? releases : versions);
}
