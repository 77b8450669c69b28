/**
 * What the tag-based sources need to list, resolve, download and describe — registry
 * client and calls, archives, manifests, version ranges — gathered so that each source loads it with one
 * `await import()` on first use. A cache hit asks a source only `isOriginOf` and its labels,
 * so it evaluates none of this (`node:crypto` for content digests, `semver` for ranges, the
 * archive reader). Private to the sources.
 *
 * @module
 */

export { createRegistryClient } from "../oci/client.ts";
export { createRemoteTarget, rememberingTarget } from "../oci/content.ts";
export { getArtifactTags } from "../oci/tags.ts";
export { listArtifacts } from "../oci/catalog.ts";
export { testOciConnection } from "../oci/ping.ts";
export { resolveArtifact } from "../oci/resolve_artifact.ts";
export { resolveOciVersion } from "../versions/resolve_oci_version.ts";
export { declaredVersionAt, materializeArtifact } from "./_artifact.ts";
export { versionsFromTags, versionsOfTags } from "./_tag_versions.ts";
export { createLayoutTarget, layoutFolders, layoutNames, readLayoutEntries } from "./oci_layout.ts";
export {
  describeArtifact,
  getOciExtensionMetadata,
  ociDetails,
  ociEntry,
  readArtifactMetadata,
} from "./oci_metadata.ts";
