/**
 * Verification against bytes cosign and sigstore-rs published (tests/fixtures/cosign, where
 * each file's origin is recorded): a cosign signature verifies, any change to it or to its
 * payload is refused; cosign's encrypted private keys (both PEM labels, an empty password)
 * open with their known passwords and refuse wrong ones; our payload builder writes cosign's
 * exact bytes; the cosign signature, stored in the real registry as cosign stores it, is found
 * and verified by the same lookup `ext verify` uses.
 */

import assert from "node:assert/strict";
import { registryTest } from "../harness/registry.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { digestOf, pushArtifact } from "../../src/oci/mod.ts";
import {
  ANNOTATION_COSIGN_SIGNATURE,
  buildSimpleSigningPayload,
  derToRawSignature,
  importPublicKeyPem,
  MEDIA_TYPE_SIMPLE_SIGNING,
  rawToDerSignature,
  readCosignPrivateKey,
  signatureTag,
  signPayload,
  verifyArtifact,
  verifyCosignSignature,
} from "../../src/signatures/mod.ts";
import { pythonVerifies } from "./_fixture.ts";

const DIR = new URL("../fixtures/cosign/", import.meta.url);
const read = (name: string) => Deno.readTextFile(new URL(name, DIR));
const BUSYBOX_DIGEST = "sha256:f3cfc9d0dbf931d3db4685ec659b7ac68e2a578219da4aae65427886e649b06b";

Deno.test("a cosign signature from sigstore-rs's tests verifies; changes to it do not", async (t) => {
  const payload = await Deno.readFile(new URL("sigstore_rs_busybox.payload", DIR));
  const signature = (await read("sigstore_rs_busybox.sig")).trim();
  const publicKeyPem = await read("sigstore_rs_busybox.pub");
  const base = { payload, signature, publicKeyPem, digest: BUSYBOX_DIGEST };

  await t.step("verifies, with the docker-reference check too", async () => {
    const check = await verifyCosignSignature({
      ...base,
      dockerReference: "registry-testing.svc.lan/busybox",
    });
    assert.deepEqual(check.valid, true, check.reason);
    assert.match(check.keyId, /^sha256:[0-9a-f]{64}$/);
  });

  await t.step("Python's cryptography agrees (the fixture is what we think it is)", async () => {
    const python = await pythonVerifies(publicKeyPem, payload, signature);
    assert.ok(python.ok, python.output);
  });

  await t.step("one changed payload byte is refused", async () => {
    const tampered = payload.slice();
    tampered[tampered.length - 3] = 0x20;
    const check = await verifyCosignSignature({ ...base, payload: tampered });
    assert.equal(check.valid, false);
    assert.match(check.reason ?? "", /does not verify/);
  });

  await t.step("a changed signature is refused", async () => {
    const der = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0));
    const raw = derToRawSignature(der, 32)!;
    raw[40] = raw[40]! ^ 1;
    const flipped = btoa(String.fromCharCode(...rawToDerSignature(raw)));
    assert.equal((await verifyCosignSignature({ ...base, signature: flipped })).valid, false);
    const garbage = await verifyCosignSignature({ ...base, signature: "not base64!" });
    assert.match(garbage.reason ?? "", /not base64/);
  });

  await t.step("another digest or another reference is refused", async () => {
    const digest = await verifyCosignSignature({ ...base, digest: "sha256:" + "1".repeat(64) });
    assert.match(digest.reason ?? "", /names digest/);
    const ref = await verifyCosignSignature({ ...base, dockerReference: "evil.lan/busybox" });
    assert.match(ref.reason ?? "", /names "registry-testing\.svc\.lan\/busybox"/);
  });

  await t.step("the sigstore-rs 'wrong key' case is refused", async () => {
    const other = "-----BEGIN PUBLIC KEY-----\n" +
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAETJP9cqpUQsn2ggmJniWGjHdlsHzD\n" +
      "JsB89BPhZYch0U0hKANx5TY+ncrm0s8bfJxxHoenAEFhwhuXeb4PqIrtoQ==\n" +
      "-----END PUBLIC KEY-----\n";
    assert.equal((await verifyCosignSignature({ ...base, publicKeyPem: other })).valid, false);
  });
});

Deno.test("cosign's encrypted private keys open with their known passwords", async (t) => {
  const cases = [
    ["cosign_sigstore_label.key", "hello"],
    ["cosign_cosign_label.key", "hello"],
    ["sigstore_rs_cosign_generated_empty_password.key", ""],
    ["sigstore_rs_ecdsa_cosign_label.key", "123"],
  ] as const;
  for (const [file, password] of cases) {
    await t.step(`${file} (password ${JSON.stringify(password)})`, async () => {
      const pem = await read(file);
      const key = await readCosignPrivateKey(pem, password, file);
      assert.equal(key.publicKey.curve, "P-256");
      // The key signs, and the signature verifies with its public half (here and in Python).
      const payload = buildSimpleSigningPayload({
        dockerReference: "r.lan/ns/x",
        digest: BUSYBOX_DIGEST,
      });
      const signature = await signPayload(key.privateKey, payload);
      const check = await verifyCosignSignature({
        payload,
        signature,
        publicKey: key.publicKey,
        digest: BUSYBOX_DIGEST,
      });
      assert.equal(check.valid, true, check.reason);
      await assert.rejects(readCosignPrivateKey(pem, password + "x", file), {
        code: "INVALID_KEY",
        message: `Cannot decrypt "${file}": wrong password`,
      });
    });
  }
});

Deno.test("our payload is byte for byte the one cosign's own test expects", async () => {
  const expected = await Deno.readFile(new URL("cosign_obsolete.payload", DIR));
  const built = buildSimpleSigningPayload({
    dockerReference: "index.docker.io/namespace/image",
    digest: "sha256:4aa3054270f7a70b4528f2064ee90961788e1e1518703592ae4463de3b889dec",
  });
  assert.deepEqual(built, expected);
  const busybox = await Deno.readFile(new URL("sigstore_rs_busybox.payload", DIR));
  assert.deepEqual(
    buildSimpleSigningPayload({
      dockerReference: "registry-testing.svc.lan/busybox",
      digest: BUSYBOX_DIGEST,
    }),
    busybox,
  );
});

Deno.test("every fixture file's origin is recorded in its README", async () => {
  const readme = await read("README.md");
  for await (const entry of Deno.readDir(DIR)) {
    if (entry.name === "README.md") continue;
    assert.ok(readme.includes("`" + entry.name + "`"), `${entry.name} has no origin in README.md`);
  }
});

registryTest(
  "a cosign signature stored the cosign way in the real registry verifies",
  async (t, reg) => {
    using client = clientFor(reg, { settings: { namespace: uniqueNamespace("cosign-fixture") } });
    const repository = client.reference("busybox");
    const payload = await Deno.readFile(new URL("sigstore_rs_busybox.payload", DIR));
    const signature = (await read("sigstore_rs_busybox.sig")).trim();
    const key = await importPublicKeyPem(await read("sigstore_rs_busybox.pub"), "busybox.pub");
    const config = new TextEncoder().encode("{}");
    await pushArtifact(client, { ...repository, tag: signatureTag(BUSYBOX_DIGEST) }, {
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: digestOf(config),
        size: config.byteLength,
        open: () => Promise.resolve(new Blob([config]).stream()),
      },
      layers: [{
        mediaType: MEDIA_TYPE_SIMPLE_SIGNING,
        digest: digestOf(payload),
        size: payload.byteLength,
        annotations: { [ANNOTATION_COSIGN_SIGNATURE]: signature },
        open: () => Promise.resolve(new Blob([payload as Uint8Array<ArrayBuffer>]).stream()),
      }],
      artifactType: "application/vnd.example.sig",
    });
    const options = { client, repository, digest: BUSYBOX_DIGEST, keys: [key] };
    await t.step("found at its sha256-<hex>.sig tag and verified", async () => {
      // The payload names the registry it was made for; a mirror's view of it.
      const verified = await verifyArtifact({ ...options, checkReference: false });
      assert.equal(verified.signer, key.keyId);
    });
    await t.step("with the reference check on, the other registry's name is refused", async () => {
      await assert.rejects(verifyArtifact(options), { code: "SIGNATURE_INVALID" });
    });
  },
);
