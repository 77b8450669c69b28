/**
 * Media types and annotation keys of a published extension (DESIGN.md "OCI conventions").
 * Other tools read what we push, so these strings are part of the stable contract.
 *
 * @module
 */

/** Media type of the OCI image manifest we push. */
export const MEDIA_TYPE_IMAGE_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

/** OCI 1.1 `artifactType` of an extension. */
export const ARTIFACT_TYPE_EXTENSION = "application/vnd.provisioning.extension.v1";

/** Media type of the config blob: the `extension.yaml` manifest as JSON. */
export const MEDIA_TYPE_EXTENSION_CONFIG = "application/vnd.provisioning.extension.config.v1+json";

/** Media type of the single layer: the extension directory as tar+gzip. */
export const MEDIA_TYPE_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

/** ORAS: digest of the uncompressed tar of a directory layer. */
export const ANNOTATION_ORAS_CONTENT_DIGEST = "io.deis.oras.content.digest";

/** ORAS: `"true"` marks a layer `oras pull` unpacks into a directory. */
export const ANNOTATION_ORAS_CONTENT_UNPACK = "io.deis.oras.content.unpack";

/** OCI: the title (for a layer, the name ORAS unpacks it under). */
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

/** OCI: creation time (RFC 3339); only written when `SOURCE_DATE_EPOCH` is set. */
export const ANNOTATION_CREATED = "org.opencontainers.image.created";

/** The extension type (`provider`, `taskserv`, `cluster`). */
export const ANNOTATION_EXTENSION_TYPE = "dev.provisioning.extension.type";
