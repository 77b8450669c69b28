import { resolveVersion } from "./resolve_version.ts";
import { tagToVersion } from "./tag_to_version.ts";
import type { OciVersionMatch } from "./types.ts";
import { versionToTag } from "./version_to_tag.ts";

/**
 * Resolves a version spec against the tags of an OCI repository (or a git server). Tags that
 * are not versions are ignored, so `latest` and `*` mean the highest semver tag, never a tag
 * literally named `latest`. When several tags carry the same version, the canonical tag
 * ({@linkcode versionToTag}: `1.2.3`, `1.2.3_build.5`) is preferred over `v1.2.3`.
 *
 * @example
 * ```ts
 * import { resolveOciVersion } from "./resolve_oci_version.ts";
 * import assert from "node:assert/strict";
 *
 * const tags = ["latest", "v1.28.0", "1.29.1", "v1.29.1", "1.30.0-rc.1"];
 * assert.deepEqual(resolveOciVersion("^1.28.0", tags), { version: "1.29.1", tag: "1.29.1" });
 * assert.deepEqual(resolveOciVersion("~1.28.0", tags), { version: "1.28.0", tag: "v1.28.0" });
 * assert.equal(resolveOciVersion("^2.0.0", tags), undefined);
 * ```
 *
 * @param spec A version spec (see {@linkcode parseVersionSpec}).
 * @param tags The tags that exist, in any order.
 * @returns The chosen version and the tag that carries it, or `undefined` when none satisfies.
 * @throws {ProvisioningError} `INVALID_VERSION_SPEC` when the spec is not valid.
 */
export function resolveOciVersion(
  spec: string,
  tags: readonly string[],
): OciVersionMatch | undefined {
  const tagsByVersion = new Map<string, string[]>();
  for (const tag of tags) {
    const version = tagToVersion(tag);
    if (version === undefined) continue;
    const list = tagsByVersion.get(version);
    if (list === undefined) tagsByVersion.set(version, [tag]);
    else list.push(tag);
  }
  const version = resolveVersion(spec, [...tagsByVersion.keys()]);
  if (version === undefined) return undefined;
  const candidates = tagsByVersion.get(version) ?? [];
  const preference = [versionToTag(version), version, `v${versionToTag(version)}`, `v${version}`];
  const tag = preference.find((name) => candidates.includes(name)) ?? candidates[0] ?? version;
  return { version, tag };
}
