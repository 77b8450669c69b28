/**
 * Media types and annotation keys of a published extension (DESIGN.md "OCI conventions").
 * The strings live once, in `src/oci/media_types.ts`; this module names the ones
 * publishing writes.
 *
 * @module
 */

export {
  ANNOTATION_AUTHORS,
  ANNOTATION_CREATED,
  ANNOTATION_DESCRIPTION,
  ANNOTATION_EXTENSION_TYPE,
  ANNOTATION_LICENSES,
  ANNOTATION_ORAS_CONTENT_DIGEST,
  ANNOTATION_ORAS_CONTENT_UNPACK,
  ANNOTATION_SOURCE,
  ANNOTATION_TITLE,
  ANNOTATION_URL,
  ANNOTATION_VERSION,
  ARTIFACT_TYPE_EXTENSION,
  MEDIA_TYPE_EXTENSION_CONFIG,
  MEDIA_TYPE_LAYER_TAR_GZIP,
  /** Media type of the OCI image manifest we push. */
  MEDIA_TYPE_OCI_MANIFEST as MEDIA_TYPE_IMAGE_MANIFEST,
} from "../oci/media_types.ts";
