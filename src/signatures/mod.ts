/**
 * cosign-compatible signing and verification of extension artifacts (key-based, "simple
 * signing"): signatures made by `cosign sign --key` verify here, and ours verify with
 * `cosign verify --key`.
 *
 * - Payload: `{"critical":{"identity":{"docker-reference":REG/REPO},"image":
 *   {"docker-manifest-digest":DIGEST},"type":"cosign container image signature"},
 *   "optional":…}`.
 * - Signature: ECDSA P-256 over SHA-256 of the payload bytes, ASN.1 DER, base64, in the layer
 *   annotation `dev.cosignproject.cosign/signature` (P-384 keys verify too).
 * - Storage: the manifest at tag `sha256-<hex>.sig` in the artifact's repository, one layer
 *   per signature; the OCI 1.1 referrers API is read too where the registry has it.
 * - Keys: `cosign.pub` (PEM `PUBLIC KEY`), `cosign.key` (`ENCRYPTED SIGSTORE PRIVATE KEY`,
 *   or the older `ENCRYPTED COSIGN PRIVATE KEY`: scrypt + NaCl secretbox of PKCS#8).
 * - Key fingerprint (`keyId`, `signer`): `sha256:` + hex SHA-256 of the public key's DER
 *   SubjectPublicKeyInfo.
 *
 * @module
 */

export * from "./types.ts";
export * from "./media_types.ts";
export * from "./pem.ts";
export * from "./ecdsa_der.ts";
export * from "./public_key.ts";
export * from "./cosign_private_key.ts";
export * from "./generate_key_pair.ts";
export * from "./payload.ts";
export * from "./sign_payload.ts";
export * from "./verify_signature.ts";
export * from "./signature_tag.ts";
export * from "./find_signatures.ts";
export * from "./append_signature.ts";
export * from "./sign_artifact.ts";
export * from "./verify_artifact.ts";
export * from "./policy.ts";
export * from "./load_gate.ts";
export * from "./resolve_signed_artifact.ts";
