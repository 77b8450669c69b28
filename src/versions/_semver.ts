// Private helpers shared by the version functions. Not exported from mod.ts. They only parse
// and order, so they use _precedence.ts rather than evaluating `semver` (see there).
import { ProvisioningError } from "../errors.ts";
import { compareWithBuildParsed, type ParsedVersion, parseVersion } from "./_precedence.ts";
import { isSemver } from "./is_semver.ts";

/** Parses a strict version or throws `INVALID_VERSION` quoting it. */
export function parseStrictVersion(value: string): ParsedVersion {
  if (!isSemver(value)) {
    throw new ProvisioningError(
      "INVALID_VERSION",
      `Cannot compare version "${String(value)}": expected MAJOR.MINOR.PATCH`,
      { hint: 'Write versions like "1.2.3", "1.2.3-rc.1" or "1.2.3+build.5"' },
    );
  }
  return strict(value);
}

/** A strict version parsed; a `TypeError` (as `semver`'s) when it is not one. */
function strict(value: string): ParsedVersion {
  const parsed = parseVersion(value);
  if (parsed === null) throw new TypeError(`Invalid Version: ${value}`);
  return parsed;
}

/** Total order over strict versions: precedence first, then build metadata. */
export function compareWithBuild(a: string, b: string): number {
  return compareWithBuildParsed(strict(a), strict(b));
}

/** The build metadata of a strict version, `""` when it has none. */
export function buildOf(version: string): string {
  return strict(version).build.join(".");
}

/** Whether a strict version carries a pre-release part. */
export function isPrerelease(version: string): boolean {
  return strict(version).prerelease.length > 0;
}

/** The highest of some strict versions (build metadata breaks ties), or undefined. */
export function highest(versions: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const version of versions) {
    if (best === undefined || compareWithBuild(version, best) > 0) best = version;
  }
  return best;
}
