/**
 * Media types and annotation keys the OCI client reads and writes (DESIGN.md "OCI
 * conventions"). Other tools (ORAS, skopeo) read what we push, so these strings are part of
 * the stable contract.
 *
 * @module
 */

/** OCI image manifest. */
export const MEDIA_TYPE_OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/** OCI image index (a list of manifests). */
export const MEDIA_TYPE_OCI_INDEX = "application/vnd.oci.image.index.v1+json";

/** Docker image manifest v2 schema 2 (read only). */
export const MEDIA_TYPE_DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

/** Docker manifest list (read only). */
export const MEDIA_TYPE_DOCKER_MANIFEST_LIST =
  "application/vnd.docker.distribution.manifest.list.v2+json";

/** OCI 1.1 empty descriptor content (`{}`), used by `oras push` without a config. */
export const MEDIA_TYPE_OCI_EMPTY = "application/vnd.oci.empty.v1+json";

/** OCI 1.1 `artifactType` of an extension. */
export const ARTIFACT_TYPE_EXTENSION = "application/vnd.provisioning.extension.v1";

/** Media type of the config blob: the `extension.yaml` manifest as JSON. */
export const MEDIA_TYPE_EXTENSION_CONFIG = "application/vnd.provisioning.extension.config.v1+json";

/** Media type of the single layer: the extension directory as tar+gzip. */
export const MEDIA_TYPE_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

/** Media type of an uncompressed tar layer (read only). */
export const MEDIA_TYPE_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";

/** Every manifest media type the client accepts, in preference order (the `Accept` list). */
export const MANIFEST_ACCEPT_TYPES: readonly string[] = [
  MEDIA_TYPE_OCI_MANIFEST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_DOCKER_MANIFEST_LIST,
];

/** Media types of a single-platform manifest (config + layers). */
export const IMAGE_MANIFEST_TYPES: readonly string[] = [
  MEDIA_TYPE_OCI_MANIFEST,
  MEDIA_TYPE_DOCKER_MANIFEST,
];

/** Media types of an index (a list of manifests). */
export const INDEX_MANIFEST_TYPES: readonly string[] = [
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_DOCKER_MANIFEST_LIST,
];

/** ORAS: digest of the uncompressed tar of a directory layer. */
export const ANNOTATION_ORAS_CONTENT_DIGEST = "io.deis.oras.content.digest";

/** ORAS: `"true"` marks a layer `oras pull` unpacks into a directory. */
export const ANNOTATION_ORAS_CONTENT_UNPACK = "io.deis.oras.content.unpack";

/** OCI: the title (for a layer, the file or directory name ORAS writes it under). */
export const ANNOTATION_TITLE = "org.opencontainers.image.title";

/** OCI: the version. */
export const ANNOTATION_VERSION = "org.opencontainers.image.version";

/** OCI: the description. */
export const ANNOTATION_DESCRIPTION = "org.opencontainers.image.description";

/** OCI: the authors. */
export const ANNOTATION_AUTHORS = "org.opencontainers.image.authors";

/** OCI: the homepage. */
export const ANNOTATION_URL = "org.opencontainers.image.url";

/** OCI: the source repository. */
export const ANNOTATION_SOURCE = "org.opencontainers.image.source";

/** OCI: the licenses (SPDX expression). */
export const ANNOTATION_LICENSES = "org.opencontainers.image.licenses";

/** OCI: creation time (RFC 3339). */
export const ANNOTATION_CREATED = "org.opencontainers.image.created";

/** The extension type (`provider`, `taskserv`, `cluster`). */
export const ANNOTATION_EXTENSION_TYPE = "dev.provisioning.extension.type";

/** Largest manifest the client accepts (4 MiB, the distribution spec's limit). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
