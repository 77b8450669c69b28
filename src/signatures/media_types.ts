/**
 * The names cosign uses for key-based signatures of OCI artifacts: the layer media type of a
 * simple-signing payload, the annotation holding its signature, the referrers artifact type,
 * the PEM labels of its keys and the payload's `type`.
 *
 * @module
 */

/** Media type of a signature layer: its blob is the simple-signing payload. */
export const MEDIA_TYPE_SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";

/** Layer annotation holding the base64 ASN.1 DER ECDSA signature over the payload. */
export const ANNOTATION_COSIGN_SIGNATURE = "dev.cosignproject.cosign/signature";

/** OCI 1.1 artifact type of a signature manifest found through the referrers API. */
export const ARTIFACT_TYPE_COSIGN_SIGNATURE = "application/vnd.dev.cosign.artifact.sig.v1+json";

/** Config media type of the signature manifest cosign writes at the `.sig` tag. */
export const MEDIA_TYPE_SIGNATURE_CONFIG = "application/vnd.oci.image.config.v1+json";

/** The `critical.type` of a cosign simple-signing payload. */
export const SIMPLE_SIGNING_TYPE = "cosign container image signature";

/** PEM label of the private keys cosign writes today. */
export const PEM_SIGSTORE_PRIVATE_KEY = "ENCRYPTED SIGSTORE PRIVATE KEY";

/** PEM label of the private keys older cosign versions wrote (read, never written). */
export const PEM_COSIGN_PRIVATE_KEY = "ENCRYPTED COSIGN PRIVATE KEY";

/** PEM label of a public key (`cosign.pub`): a PKIX SubjectPublicKeyInfo. */
export const PEM_PUBLIC_KEY = "PUBLIC KEY";

/** The environment variable cosign reads a private key's password from. */
export const COSIGN_PASSWORD_ENV = "COSIGN_PASSWORD";
