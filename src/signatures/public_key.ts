/**
 * Public keys: PEM `PUBLIC KEY` (what `cosign.pub` holds) to a WebCrypto ECDSA key, and the
 * stable key fingerprint every command prints and the cache records.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { digestOf } from "../oci/digest.ts";
import { PEM_PUBLIC_KEY } from "./media_types.ts";
import { decodePem } from "./pem.ts";
import type { EcCurve, PublicKeyInfo } from "./types.ts";

/** The curves tried, in order. */
export const EC_CURVES: readonly EcCurve[] = ["P-256", "P-384"];

/**
 * The fingerprint of a public key: `sha256:` and the hex SHA-256 of its DER
 * SubjectPublicKeyInfo. The same key gives the same fingerprint however its PEM is wrapped;
 * `openssl pkey -pubin -in cosign.pub -outform DER | sha256sum` prints the same hex.
 *
 * @example
 * ```ts
 * import { keyFingerprint } from "./public_key.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   keyFingerprint(new Uint8Array()),
 *   "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
 * );
 * ```
 *
 * @param spki The DER SubjectPublicKeyInfo.
 * @returns `sha256:<hex>`.
 */
export function keyFingerprint(spki: Uint8Array): string {
  return digestOf(spki);
}

/**
 * Reads a PEM public key (P-256 or P-384 ECDSA) for verifying.
 *
 * @example
 * ```ts
 * import { importPublicKeyPem } from "./public_key.ts";
 * import assert from "node:assert/strict";
 *
 * const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, ["sign"]);
 * const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
 * const pem = `-----BEGIN PUBLIC KEY-----\n${btoa(String.fromCharCode(...spki))}\n-----END PUBLIC KEY-----\n`;
 * const key = await importPublicKeyPem(pem, "key.pub");
 * assert.equal(key.curve, "P-384");
 * assert.match(key.keyId, /^sha256:[0-9a-f]{64}$/);
 * ```
 *
 * @param pem The PEM text.
 * @param label Names the key in messages (its file).
 * @returns The key, its curve and fingerprint.
 * @throws {ProvisioningError} `INVALID_KEY` for anything but a P-256/P-384 ECDSA public key.
 */
export async function importPublicKeyPem(pem: string, label: string): Promise<PublicKeyInfo> {
  const block = decodePem(pem, label);
  if (block.label !== PEM_PUBLIC_KEY) {
    throw new ProvisioningError(
      "INVALID_KEY",
      `Cannot use "${label}" as a public key: it is a "${block.label}" PEM block`,
      { hint: "Give the .pub file of the key pair (cosign.pub)" },
    );
  }
  return await importSpki(block.bytes, label);
}

/**
 * A DER SubjectPublicKeyInfo as a verifying key.
 *
 * @param spki The DER bytes.
 * @param label Names the key in messages.
 * @returns The key, its curve and fingerprint.
 * @throws {ProvisioningError} `INVALID_KEY` for anything but a P-256/P-384 ECDSA key.
 */
export async function importSpki(spki: Uint8Array, label: string): Promise<PublicKeyInfo> {
  for (const curve of EC_CURVES) {
    try {
      const key = await crypto.subtle.importKey(
        "spki",
        spki as Uint8Array<ArrayBuffer>,
        { name: "ECDSA", namedCurve: curve },
        true,
        ["verify"],
      );
      return { key, curve, keyId: keyFingerprint(spki), spki };
    } catch {
      // another curve, or not an EC key at all
    }
  }
  throw new ProvisioningError(
    "INVALID_KEY",
    `Cannot use "${label}": only ECDSA P-256 and P-384 public keys are supported`,
    { hint: "Generate one with `provisioning ext key generate` or `cosign generate-key-pair`" },
  );
}
