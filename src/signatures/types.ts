/**
 * Data types of cosign-compatible signing: keys, payloads, signatures and results. Plain
 * objects, no classes.
 *
 * @module
 */

/** The curves accepted: P-256 (what cosign generates) and P-384 (verified too). */
export type EcCurve = "P-256" | "P-384";

/** A public key read from PEM, ready to verify with. */
export interface PublicKeyInfo {
  /** The WebCrypto key (ECDSA, `verify`). */
  key: CryptoKey;
  /** Its curve. */
  curve: EcCurve;
  /**
   * The key's fingerprint: `sha256:` and the hex SHA-256 of its DER SubjectPublicKeyInfo
   * (the bytes inside `cosign.pub`'s PEM) — the same for the same key however it is written.
   */
  keyId: string;
  /** The DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
}

/** A private key read from cosign's encrypted format, with its public half. */
export interface PrivateKeyInfo {
  /** The WebCrypto key (ECDSA, `sign`). */
  privateKey: CryptoKey;
  /** The public half. */
  publicKey: PublicKeyInfo;
}

/** A new key pair in cosign's file formats. */
export interface GeneratedKeyPair {
  /** `cosign.key`: the PKCS#8 key, encrypted (`ENCRYPTED SIGSTORE PRIVATE KEY`). */
  privateKeyPem: string;
  /** `cosign.pub`: the PKIX public key (`PUBLIC KEY`). */
  publicKeyPem: string;
  /** The public key's fingerprint (see {@linkcode PublicKeyInfo.keyId}). */
  keyId: string;
}

/** cosign's simple-signing payload, parsed. */
export interface SimpleSigningPayload {
  /** `critical.identity.docker-reference`: `registry/repository` that was signed. */
  dockerReference: string;
  /** `critical.image.docker-manifest-digest`: the manifest digest that was signed. */
  digest: string;
  /** `optional`: annotations (`null` in the payload when there are none). */
  optional: Record<string, unknown> | null;
}

/** One signature as stored: the payload blob and the annotation's base64 signature. */
export interface StoredSignature {
  /** The exact payload bytes (the layer's blob, digest-checked). */
  payload: Uint8Array;
  /** The base64 DER signature (`dev.cosignproject.cosign/signature`). */
  signature: string;
  /** Where it was found: `tag` (`sha256-….sig`) or `referrers` (the OCI 1.1 API). */
  foundBy: "tag" | "referrers";
  /** The layer's digest. */
  layerDigest: string;
}

/** What {@linkcode verifyCosignSignature} decides. */
export interface SignatureCheck {
  /** Whether the signature is valid for this key and digest. */
  valid: boolean;
  /** The fingerprint of the key checked against. */
  keyId: string;
  /** Why it is not valid (undefined when it is). */
  reason?: string;
}

/** A verified signature of an artifact. */
export interface VerifiedArtifact {
  /** `registry/repository@digest` that was verified. */
  reference: string;
  /** The manifest digest that was verified. */
  digest: string;
  /** The fingerprint of the key whose signature verified. */
  signer: string;
  /** The `docker-reference` the payload names. */
  dockerReference: string;
  /** Signatures found, and how many verified with a trusted key. */
  signatures: number;
}
