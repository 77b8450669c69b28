import { isSemver } from "./is_semver.ts";

/**
 * Reads an OCI or git tag as a semantic version: a leading `v` is dropped (`v1.2.3` →
 * `1.2.3`) and `_` stands for the build-metadata `+` that OCI tags cannot hold
 * (`1.2.3_build.5` → `1.2.3+build.5`). Tags that are not versions (`latest`, `main`, `1.2`)
 * give `undefined`.
 *
 * @example
 * ```ts
 * import { tagToVersion } from "./tag_to_version.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(tagToVersion("v1.2.3"), "1.2.3");
 * assert.equal(tagToVersion("1.2.3_build.5"), "1.2.3+build.5");
 * assert.equal(tagToVersion("latest"), undefined);
 * ```
 *
 * @param tag A tag as listed by a registry or a git server.
 * @returns The version, or `undefined` when the tag is not one.
 */
export function tagToVersion(tag: string): string | undefined {
  if (typeof tag !== "string") return undefined;
  const withoutV = tag.startsWith("v") ? tag.slice(1) : tag;
  const version = withoutV.replace("_", "+");
  return isSemver(version) ? version : undefined;
}
