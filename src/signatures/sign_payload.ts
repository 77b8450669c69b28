/**
 * Signing a payload the way cosign does: ECDSA with SHA-256 over the exact bytes, the
 * signature ASN.1 DER encoded and base64'd (the layer annotation's value).
 *
 * @module
 */

import { toBase64 } from "./_base64.ts";
import { rawToDerSignature } from "./ecdsa_der.ts";

/**
 * Signs payload bytes: base64 of the DER ECDSA-SHA-256 signature.
 *
 * @example
 * ```ts
 * import { signPayload } from "./sign_payload.ts";
 * import assert from "node:assert/strict";
 *
 * const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
 * const signature = await signPayload(pair.privateKey, new TextEncoder().encode("{}"));
 * assert.match(signature, /^MEU|^MEQ|^MEY/);
 * ```
 *
 * @param privateKey An ECDSA signing key (P-256 or P-384).
 * @param payload The exact bytes to sign.
 * @returns The base64 DER signature.
 */
export async function signPayload(privateKey: CryptoKey, payload: Uint8Array): Promise<string> {
  const raw = new Uint8Array(
    await crypto.subtle.sign(
      { name: "ECDSA", hash: "SHA-256" },
      privateKey,
      payload as Uint8Array<ArrayBuffer>,
    ),
  );
  return toBase64(rawToDerSignature(raw));
}
