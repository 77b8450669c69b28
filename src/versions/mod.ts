/**
 * Version semantics of the seed, on top of the `semver` package: exact versions, caret,
 * tilde, the seed's inclusive `1.2.0-1.5.0` ranges, comparators, `||`, x-ranges and
 * `*`/`latest`, plus the mapping between versions and OCI tags.
 *
 * Pre-releases are chosen only when the spec names one; bad specs are typed errors
 * (`INVALID_VERSION_SPEC`, exit code 2) that quote the spec and show the accepted forms.
 *
 * @example
 * ```ts
 * import { resolveOciVersion, resolveVersion } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(resolveVersion("^1.28.0", ["1.28.0", "1.29.1", "2.0.0"]), "1.29.1");
 * assert.equal(resolveOciVersion("latest", ["latest", "v1.2.0", "1.3.0"])?.tag, "1.3.0");
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./is_semver.ts";
export * from "./compare_semver.ts";
export * from "./sort_by_semver.ts";
export * from "./get_latest_version.ts";
export * from "./parse_version_spec.ts";
export * from "./try_parse_version_spec.ts";
export * from "./satisfies_constraint.ts";
export * from "./resolve_version.ts";
export * from "./tag_to_version.ts";
export * from "./version_to_tag.ts";
export * from "./resolve_oci_version.ts";
