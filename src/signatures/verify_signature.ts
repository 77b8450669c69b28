/**
 * Checking one cosign signature: the base64 ASN.1 DER ECDSA signature over the exact
 * payload bytes, with a public key, and the payload's claims against what is being loaded.
 *
 * @module
 */

import { fromBase64 } from "./_base64.ts";
import { derToRawSignature } from "./ecdsa_der.ts";
import { tryParseSimpleSigningPayload } from "./payload.ts";
import { importPublicKeyPem } from "./public_key.ts";
import type { PublicKeyInfo, SignatureCheck } from "./types.ts";

/** What {@linkcode verifyCosignSignature} checks. */
export interface VerifyCosignSignatureOptions {
  /** The exact payload bytes (the signature layer's blob). */
  payload: Uint8Array;
  /** The base64 DER signature (the `dev.cosignproject.cosign/signature` annotation). */
  signature: string;
  /** The public key as PEM (`cosign.pub`); or give `publicKey`. */
  publicKeyPem?: string;
  /** An already imported key (wins over `publicKeyPem`). */
  publicKey?: PublicKeyInfo;
  /** The manifest digest being loaded: the payload must name exactly this one. */
  digest: string;
  /**
   * When given, the payload's `docker-reference` must be this `registry/repository` (a
   * policy option: mirrors rewrite hosts).
   */
  dockerReference?: string;
}

/**
 * Verifies a cosign key-based signature. ECDSA over SHA-256 (what cosign signs with for
 * every key); a P-384 key also accepts SHA-384 (what other Sigstore clients use for it).
 * Never throws for a bad signature: the answer says why.
 *
 * @example The cosign signature sigstore-rs tests with
 * ```ts
 * import { verifyCosignSignature } from "./verify_signature.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = new URL("../../tests/fixtures/cosign/", import.meta.url);
 * const payload = await Deno.readFile(new URL("sigstore_rs_busybox.payload", dir));
 * const options = {
 *   payload,
 *   signature: await Deno.readTextFile(new URL("sigstore_rs_busybox.sig", dir)),
 *   publicKeyPem: await Deno.readTextFile(new URL("sigstore_rs_busybox.pub", dir)),
 *   digest: "sha256:f3cfc9d0dbf931d3db4685ec659b7ac68e2a578219da4aae65427886e649b06b",
 * };
 * assert.equal((await verifyCosignSignature(options)).valid, true);
 * const other = await verifyCosignSignature({ ...options, digest: "sha256:" + "0".repeat(64) });
 * assert.equal(other.valid, false);
 * assert.match(other.reason ?? "", /names digest/);
 * ```
 *
 * @param options Payload, signature, key, digest and (optionally) reference.
 * @returns `{valid, keyId, reason}`.
 * @throws {ProvisioningError} `INVALID_KEY` when `publicKeyPem` is not a usable key.
 */
export async function verifyCosignSignature(
  options: VerifyCosignSignatureOptions,
): Promise<SignatureCheck> {
  const key = options.publicKey ?? await importPublicKeyPem(options.publicKeyPem ?? "", "key");
  const keyId = key.keyId;
  const fail = (reason: string): SignatureCheck => ({ valid: false, keyId, reason });
  const der = fromBase64(options.signature);
  if (der === undefined) return fail("the signature is not base64");
  const size = key.curve === "P-256" ? 32 : 48;
  const raw = derToRawSignature(der, size);
  if (raw === undefined) return fail(`the signature is not an ASN.1 DER ${key.curve} signature`);
  const hashes = key.curve === "P-256" ? ["SHA-256"] : ["SHA-256", "SHA-384"];
  let verified = false;
  for (const hash of hashes) {
    verified = await crypto.subtle.verify(
      { name: "ECDSA", hash },
      key.key,
      raw as Uint8Array<ArrayBuffer>,
      options.payload as Uint8Array<ArrayBuffer>,
    );
    if (verified) break;
  }
  if (!verified) return fail(`the signature does not verify with key ${keyId}`);
  const payload = tryParseSimpleSigningPayload(options.payload);
  if (typeof payload === "string") return fail(`the signed payload ${payload}`);
  if (payload.digest !== options.digest) {
    return fail(`the signed payload names digest ${payload.digest}, not ${options.digest}`);
  }
  if (
    options.dockerReference !== undefined && payload.dockerReference !== options.dockerReference
  ) {
    return fail(
      `the signed payload names "${payload.dockerReference}", not "${options.dockerReference}"`,
    );
  }
  return { valid: true, keyId };
}
