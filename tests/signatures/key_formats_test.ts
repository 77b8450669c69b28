/**
 * Key and signature encodings at their edges: keys that are not ECDSA P-256/P-384, damaged
 * encrypted keys, P-384 verification, strict DER.
 */

import assert from "node:assert/strict";
import {
  derToRawSignature,
  encodePem,
  encryptCosignPrivateKey,
  importPublicKeyPem,
  rawToDerSignature,
  readCosignPrivateKey,
  verifyCosignSignature,
} from "../../src/signatures/mod.ts";
import { buildSimpleSigningPayload } from "../../src/signatures/payload.ts";

const DIGEST = "sha256:" + "c".repeat(64);

Deno.test("keys that cannot be used are refused with INVALID_KEY", async (t) => {
  await t.step("an RSA public key", async () => {
    const rsa = await crypto.subtle.generateKey(
      {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      },
      true,
      ["sign", "verify"],
    );
    const spki = new Uint8Array(await crypto.subtle.exportKey("spki", rsa.publicKey));
    await assert.rejects(importPublicKeyPem(encodePem("PUBLIC KEY", spki), "rsa.pub"), {
      code: "INVALID_KEY",
      message: 'Cannot use "rsa.pub": only ECDSA P-256 and P-384 public keys are supported',
    });
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", rsa.privateKey));
    const sealed = await encryptCosignPrivateKey(pkcs8, "pw");
    await assert.rejects(readCosignPrivateKey(sealed, "pw", "rsa.key"), { code: "INVALID_KEY" });
  });

  await t.step("a private key given as the public one, and the other way round", async () => {
    const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
    ]);
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
    const sealed = await encryptCosignPrivateKey(pkcs8, "pw");
    await assert.rejects(importPublicKeyPem(sealed, "k"), /is a "ENCRYPTED SIGSTORE PRIVATE KEY"/);
    const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
    await assert.rejects(readCosignPrivateKey(encodePem("PUBLIC KEY", spki), "pw", "p"), {
      code: "INVALID_KEY",
    });
  });

  await t.step("a damaged encrypted key names what is wrong", async () => {
    const body = (json: unknown) =>
      encodePem("ENCRYPTED SIGSTORE PRIVATE KEY", new TextEncoder().encode(JSON.stringify(json)));
    await assert.rejects(
      readCosignPrivateKey(body({ kdf: { name: "pbkdf2" } }), "", "k"),
      /not scrypt/,
    );
    await assert.rejects(
      readCosignPrivateKey(
        body({ kdf: { name: "scrypt", params: { N: 1 << 24, r: 8, p: 1 }, salt: "AA==" } }),
        "",
        "k",
      ),
      /out of range/,
    );
    // 128 · r · N = 2 GiB of scrypt memory: refused before anything is allocated.
    await assert.rejects(
      readCosignPrivateKey(
        body({ kdf: { name: "scrypt", params: { N: 1 << 20, r: 16, p: 1 }, salt: "AA==" } }),
        "",
        "k",
      ),
      /out of range/,
    );
    await assert.rejects(readCosignPrivateKey("no pem here", "", "k"), /holds no PEM block/);
  });
});

Deno.test("a P-384 key verifies SHA-256 (cosign) and SHA-384 signatures", async () => {
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, [
    "sign",
    "verify",
  ]);
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const publicKeyPem = encodePem("PUBLIC KEY", spki);
  const payload = buildSimpleSigningPayload({ dockerReference: "r/x", digest: DIGEST });
  for (const hash of ["SHA-256", "SHA-384"]) {
    const raw = new Uint8Array(
      await crypto.subtle.sign(
        { name: "ECDSA", hash },
        pair.privateKey,
        payload as Uint8Array<ArrayBuffer>,
      ),
    );
    const signature = btoa(String.fromCharCode(...rawToDerSignature(raw)));
    const check = await verifyCosignSignature({ payload, signature, publicKeyPem, digest: DIGEST });
    assert.equal(check.valid, true, `${hash}: ${check.reason}`);
  }
});

Deno.test("DER signatures are read strictly", () => {
  const raw = new Uint8Array(64);
  raw[0] = 0x7f;
  raw[32] = 0x80;
  const der = rawToDerSignature(raw);
  assert.deepEqual(derToRawSignature(der, 32), raw);
  // Trailing bytes, a wrong tag and a non-minimal integer are all refused.
  assert.equal(derToRawSignature(new Uint8Array([...der, 0]), 32), undefined);
  assert.equal(derToRawSignature(new Uint8Array([0x31, ...der.slice(1)]), 32), undefined);
  const padded = new Uint8Array([0x30, 8, 2, 2, 0, 1, 2, 2, 0, 1]);
  assert.equal(derToRawSignature(padded, 32), undefined);
  // An integer longer than the curve's size is refused.
  const long = new Uint8Array([0x30, 38, 2, 33, 1, ...new Uint8Array(32), 2, 1, 1]);
  assert.equal(derToRawSignature(long, 32), undefined);
});

Deno.test("the key fingerprint is the SHA-256 of the DER public key, as openssl computes it", async () => {
  const file = new URL("../fixtures/cosign/sigstore_rs_busybox.pub", import.meta.url);
  const out = await new Deno.Command("openssl", {
    args: ["pkey", "-pubin", "-in", file.pathname, "-outform", "DER"],
    stdout: "piped",
  }).output();
  assert.equal(out.code, 0);
  const hex = [...new Uint8Array(await crypto.subtle.digest("SHA-256", out.stdout))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  const key = await importPublicKeyPem(await Deno.readTextFile(file), "busybox.pub");
  assert.equal(key.keyId, `sha256:${hex}`);
});
