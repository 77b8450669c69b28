// Private helpers shared by the version functions. Not exported from mod.ts.
// @ts-types="npm:@types/semver@^7.7.1"
import semver from "semver";
import { ProvisioningError } from "../errors.ts";
import { isSemver } from "./is_semver.ts";

/** Parses a strict version or throws `INVALID_VERSION` quoting it. */
export function parseStrictVersion(value: string): semver.SemVer {
  if (!isSemver(value)) {
    throw new ProvisioningError(
      "INVALID_VERSION",
      `Cannot compare version "${String(value)}": expected MAJOR.MINOR.PATCH`,
      { hint: 'Write versions like "1.2.3", "1.2.3-rc.1" or "1.2.3+build.5"' },
    );
  }
  return new semver.SemVer(value);
}

/** Total order over strict versions: precedence first, then build metadata. */
export function compareWithBuild(a: string, b: string): number {
  return semver.compareBuild(a, b);
}

/** The build metadata of a strict version, `""` when it has none. */
export function buildOf(version: string): string {
  return new semver.SemVer(version).build.join(".");
}

/** Whether a strict version carries a pre-release part. */
export function isPrerelease(version: string): boolean {
  return new semver.SemVer(version).prerelease.length > 0;
}

/** The highest of some strict versions (build metadata breaks ties), or undefined. */
export function highest(versions: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const version of versions) {
    if (best === undefined || compareWithBuild(version, best) > 0) best = version;
  }
  return best;
}
