import { ProvisioningError } from "../errors.ts";
import { isSemver } from "./is_semver.ts";

/**
 * Writes a semantic version as an OCI tag: the version exactly, with build metadata's `+`
 * written as `_` (OCI tags cannot hold `+`). {@linkcode tagToVersion} reads it back.
 *
 * @example
 * ```ts
 * import { versionToTag } from "./version_to_tag.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(versionToTag("1.28.0"), "1.28.0");
 * assert.equal(versionToTag("1.2.3-rc.1+build.5"), "1.2.3-rc.1_build.5");
 * ```
 *
 * @param version A strict semantic version.
 * @returns The tag.
 * @throws {ProvisioningError} `INVALID_VERSION` when `version` is not a semantic version.
 */
export function versionToTag(version: string): string {
  if (!isSemver(version)) {
    throw new ProvisioningError(
      "INVALID_VERSION",
      `Cannot make a tag from version ${
        JSON.stringify(String(version))
      }: expected MAJOR.MINOR.PATCH`,
      { hint: 'Write versions like "1.2.3", "1.2.3-rc.1" or "1.2.3+build.5"' },
    );
  }
  return version.replace("+", "_");
}
