/**
 * A new signing key pair in cosign's formats: an ECDSA P-256 key (what `cosign
 * generate-key-pair` makes), the private half as PKCS#8 sealed with the password, the public
 * half as a PEM `PUBLIC KEY`.
 *
 * @module
 */

import { encryptCosignPrivateKey } from "./cosign_private_key.ts";
import { PEM_PUBLIC_KEY } from "./media_types.ts";
import { encodePem } from "./pem.ts";
import { keyFingerprint } from "./public_key.ts";
import type { GeneratedKeyPair } from "./types.ts";

/**
 * Generates an ECDSA P-256 key pair: `cosign.key` and `cosign.pub` contents, readable by
 * `cosign sign --key` / `cosign verify --key` as they are.
 *
 * @example
 * ```ts
 * import { generateKeyPair } from "./generate_key_pair.ts";
 * import { readCosignPrivateKey } from "./cosign_private_key.ts";
 * import assert from "node:assert/strict";
 *
 * const pair = await generateKeyPair("s3cret");
 * assert.match(pair.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
 * const key = await readCosignPrivateKey(pair.privateKeyPem, "s3cret");
 * assert.equal(key.publicKey.keyId, pair.keyId);
 * ```
 *
 * @param password The password sealing the private key (may be empty, as cosign allows).
 * @returns Both PEM texts and the public key's fingerprint.
 */
export async function generateKeyPair(password: string): Promise<GeneratedKeyPair> {
  const pair = await crypto.subtle.generateKey(
    { name: "ECDSA", namedCurve: "P-256" },
    true,
    ["sign", "verify"],
  );
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const privateKeyPem = await encryptCosignPrivateKey(pkcs8, password);
  pkcs8.fill(0);
  return {
    privateKeyPem,
    publicKeyPem: encodePem(PEM_PUBLIC_KEY, spki),
    keyId: keyFingerprint(spki),
  };
}
