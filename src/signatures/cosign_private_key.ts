/**
 * cosign's encrypted private keys: a PEM block (`ENCRYPTED SIGSTORE PRIVATE KEY`, or the
 * older `ENCRYPTED COSIGN PRIVATE KEY`) holding JSON — scrypt parameters and salt, and the
 * PKCS#8 key sealed with NaCl secretbox (XSalsa20-Poly1305) under the scrypt-derived key:
 *
 * ```json
 * {"kdf":{"name":"scrypt","params":{"N":65536,"r":8,"p":1},"salt":"<base64>"},
 *  "cipher":{"name":"nacl/secretbox","nonce":"<base64>"},"ciphertext":"<base64>"}
 * ```
 *
 * scrypt comes from `@noble/hashes`, secretbox from `@noble/ciphers` (audited, no native
 * code); the key itself is handed to WebCrypto.
 *
 * @module
 */

import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { ProvisioningError } from "../errors.ts";
import { fromBase64, toBase64 } from "./_base64.ts";
import { PEM_COSIGN_PRIVATE_KEY, PEM_SIGSTORE_PRIVATE_KEY } from "./media_types.ts";
import { decodePem, encodePem } from "./pem.ts";
import { EC_CURVES, importSpki } from "./public_key.ts";
import type { PrivateKeyInfo } from "./types.ts";

/** The scrypt parameters new keys are sealed with (cosign's own: N = 2^16, r = 8, p = 1). */
export const COSIGN_SCRYPT_PARAMS = { N: 65536, r: 8, p: 1 } as const;

/** The largest scrypt `N` accepted when reading (2^20). */
const MAX_SCRYPT_N = 1 << 20;
/** The most memory scrypt may take when reading a key (1 GiB: `128 · r · N`). */
const MAX_SCRYPT_MEMORY = 1 << 30;

interface SealedKey {
  kdf: { name: "scrypt"; params: { N: number; r: number; p: number }; salt: string };
  cipher: { name: "nacl/secretbox"; nonce: string };
  ciphertext: string;
}

/**
 * Reads a cosign encrypted private key (either PEM label) with its password: derives the key
 * with scrypt, opens the secretbox, and imports the PKCS#8 ECDSA key (P-256 or P-384).
 *
 * @example A key cosign's own tests ship (password "hello")
 * ```ts
 * import { readCosignPrivateKey } from "./cosign_private_key.ts";
 * import assert from "node:assert/strict";
 *
 * const pem = await Deno.readTextFile(
 *   new URL("../../tests/fixtures/cosign/cosign_sigstore_label.key", import.meta.url),
 * );
 * const key = await readCosignPrivateKey(pem, "hello");
 * assert.equal(key.publicKey.curve, "P-256");
 * await assert.rejects(readCosignPrivateKey(pem, "wrong"), { code: "INVALID_KEY" });
 * ```
 *
 * @param pem The PEM text (`cosign.key`).
 * @param password The password (`""` for a key generated with an empty one).
 * @param label Names the key in messages (its file; default `private key`).
 * @returns The signing key and its public half.
 * @throws {ProvisioningError} `INVALID_KEY` for another PEM label, malformed JSON or
 *   parameters, a wrong password, or a key that is not ECDSA P-256/P-384.
 */
export async function readCosignPrivateKey(
  pem: string,
  password: string,
  label = "private key",
): Promise<PrivateKeyInfo> {
  const block = decodePem(pem, label);
  if (block.label !== PEM_SIGSTORE_PRIVATE_KEY && block.label !== PEM_COSIGN_PRIVATE_KEY) {
    throw new ProvisioningError(
      "INVALID_KEY",
      `Cannot use "${label}" as a private key: it is a "${block.label}" PEM block`,
      { hint: "Give the encrypted .key file cosign or `provisioning ext key generate` wrote" },
    );
  }
  const sealed = parseSealedKey(block.bytes, label);
  const salt = fromBase64(sealed.kdf.salt)!;
  const nonce = fromBase64(sealed.cipher.nonce)!;
  const ciphertext = fromBase64(sealed.ciphertext)!;
  const { N, r, p } = sealed.kdf.params;
  const secret = await scryptAsync(new TextEncoder().encode(password), salt, {
    N,
    r,
    p,
    dkLen: 32,
    maxmem: 128 * r * (N + p + 2) + 1024,
  });
  let pkcs8: Uint8Array;
  try {
    pkcs8 = xsalsa20poly1305(secret, nonce).decrypt(ciphertext);
  } catch {
    throw new ProvisioningError("INVALID_KEY", `Cannot decrypt "${label}": wrong password`, {
      hint: "Set COSIGN_PASSWORD to the key's password, or type it when asked",
    });
  }
  return await importPkcs8(pkcs8, label);
}

/**
 * Seals a PKCS#8 private key the way `cosign generate-key-pair` does (scrypt
 * {@linkcode COSIGN_SCRYPT_PARAMS}, a random 32-byte salt and 24-byte nonce, secretbox),
 * as an `ENCRYPTED SIGSTORE PRIVATE KEY` PEM block.
 *
 * @example
 * ```ts
 * import { encryptCosignPrivateKey, readCosignPrivateKey } from "./cosign_private_key.ts";
 * import assert from "node:assert/strict";
 *
 * const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
 * const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
 * const pem = await encryptCosignPrivateKey(pkcs8, "s3cret");
 * assert.match(pem, /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
 * assert.equal((await readCosignPrivateKey(pem, "s3cret")).publicKey.curve, "P-256");
 * ```
 *
 * @param pkcs8 The DER PKCS#8 private key.
 * @param password The password (may be empty, as cosign allows).
 * @returns The PEM text.
 */
export async function encryptCosignPrivateKey(
  pkcs8: Uint8Array,
  password: string,
): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(32));
  const nonce = crypto.getRandomValues(new Uint8Array(24));
  const secret = await scryptAsync(new TextEncoder().encode(password), salt, {
    ...COSIGN_SCRYPT_PARAMS,
    dkLen: 32,
  });
  const sealed: SealedKey = {
    kdf: { name: "scrypt", params: { ...COSIGN_SCRYPT_PARAMS }, salt: toBase64(salt) },
    cipher: { name: "nacl/secretbox", nonce: toBase64(nonce) },
    ciphertext: toBase64(xsalsa20poly1305(secret, nonce).encrypt(pkcs8)),
  };
  return encodePem(PEM_SIGSTORE_PRIVATE_KEY, new TextEncoder().encode(JSON.stringify(sealed)));
}

/** A decrypted PKCS#8 key as a signing key with its public half. */
async function importPkcs8(pkcs8: Uint8Array, label: string): Promise<PrivateKeyInfo> {
  for (const curve of EC_CURVES) {
    let privateKey: CryptoKey;
    try {
      privateKey = await crypto.subtle.importKey(
        "pkcs8",
        pkcs8 as Uint8Array<ArrayBuffer>,
        { name: "ECDSA", namedCurve: curve },
        true,
        ["sign"],
      );
    } catch {
      continue;
    }
    const { kty = "EC", crv = curve, x = "", y = "" } = await crypto.subtle.exportKey(
      "jwk",
      privateKey,
    );
    const publicKey = await crypto.subtle.importKey(
      "jwk",
      { kty, crv, x, y },
      { name: "ECDSA", namedCurve: curve },
      true,
      ["verify"],
    );
    const spki = new Uint8Array(await crypto.subtle.exportKey("spki", publicKey));
    return { privateKey, publicKey: await importSpki(spki, label) };
  }
  throw new ProvisioningError(
    "INVALID_KEY",
    `Cannot use "${label}": only ECDSA P-256 and P-384 private keys are supported`,
    { hint: "Generate one with `provisioning ext key generate` or `cosign generate-key-pair`" },
  );
}

/** The checked JSON inside the PEM block. */
function parseSealedKey(bytes: Uint8Array, label: string): SealedKey {
  const bad = (what: string) =>
    new ProvisioningError("INVALID_KEY", `Cannot read "${label}": ${what}`, {
      hint: "The file is not a cosign encrypted private key, or it was damaged",
    });
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw bad("its PEM body is not JSON");
  }
  const v = value as Partial<SealedKey> | null;
  const kdf = v?.kdf;
  const params = kdf?.params;
  if (kdf?.name !== "scrypt" || typeof params !== "object" || params === null) {
    throw bad("its key derivation is not scrypt");
  }
  const { N, r, p } = params;
  const whole = (n: unknown, max: number) =>
    typeof n === "number" && Number.isSafeInteger(n) && n >= 1 && n <= max;
  const tooBig = 128 * (r ?? 0) * (N ?? 0) > MAX_SCRYPT_MEMORY;
  if (
    !whole(N, MAX_SCRYPT_N) || (N & (N - 1)) !== 0 || N < 2 || !whole(r, 32) || !whole(p, 16) ||
    tooBig
  ) {
    throw bad(`scrypt parameters N=${N}, r=${r}, p=${p} are out of range`);
  }
  if (v?.cipher?.name !== "nacl/secretbox") throw bad("its cipher is not nacl/secretbox");
  const salt = typeof kdf.salt === "string" ? fromBase64(kdf.salt) : undefined;
  const nonce = typeof v.cipher.nonce === "string" ? fromBase64(v.cipher.nonce) : undefined;
  const ciphertext = typeof v.ciphertext === "string" ? fromBase64(v.ciphertext) : undefined;
  if (salt === undefined || salt.length === 0) throw bad("its salt is missing");
  if (nonce?.length !== 24) throw bad("its nonce is not 24 bytes");
  if (ciphertext === undefined || ciphertext.length <= 16) throw bad("its ciphertext is missing");
  return v as SealedKey;
}
