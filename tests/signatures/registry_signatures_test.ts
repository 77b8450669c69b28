/**
 * Signing and verifying against the real registry (distribution 2.8, which has no referrers
 * API, so the `sha256-<hex>.sig` tag scheme works alone): a round trip, appending a second
 * signature, the signature checked by Python's `cryptography` over the payload blob fetched
 * with a plain HTTP GET, and every way a signature must be refused — a tampered payload, a
 * swapped signature, another key, a deleted signature tag, a signature naming another digest.
 */

import assert from "node:assert/strict";
import { registryTest } from "../harness/registry.ts";
import { publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { deleteArtifact, digestOf, pushArtifact } from "../../src/oci/mod.ts";
import {
  ANNOTATION_COSIGN_SIGNATURE,
  buildSimpleSigningPayload,
  generateKeyPair,
  importPublicKeyPem,
  MEDIA_TYPE_SIMPLE_SIGNING,
  readCosignPrivateKey,
  signArtifact,
  signatureTag,
  signPayload,
  verifyArtifact,
} from "../../src/signatures/mod.ts";
import { pythonVerifies } from "./_fixture.ts";

registryTest("signArtifact → verifyArtifact against the real registry", async (t, reg) => {
  using client = clientFor(reg, { settings: { namespace: uniqueNamespace("sig") } });
  const published = await publish(client, { name: "signed", type: "taskserv", version: "1.0.0" });
  const other = await publish(client, { name: "signed", type: "taskserv", version: "2.0.0" });
  const repository = client.reference("signed");
  const pairA = await generateKeyPair("a");
  const pairB = await generateKeyPair("b");
  const keyA = await readCosignPrivateKey(pairA.privateKeyPem, "a");
  const keyB = await readCosignPrivateKey(pairB.privateKeyPem, "b");
  const pubA = await importPublicKeyPem(pairA.publicKeyPem, "a.pub");
  const pubB = await importPublicKeyPem(pairB.publicKeyPem, "b.pub");
  const digest = published.digest;
  const tag = signatureTag(digest);
  const rawGet = async (path: string, accept?: string) => {
    const response = await fetch(`${reg.url}/v2/${repository.repository}/${path}`, {
      headers: accept === undefined ? {} : { Accept: accept },
    });
    assert.equal(response.status, 200, path);
    return new Uint8Array(await response.arrayBuffer());
  };
  const sigManifest = async () =>
    JSON.parse(new TextDecoder().decode(
      await rawGet(`manifests/${tag}`, "application/vnd.oci.image.manifest.v1+json"),
    ));
  const refused = async (code: string, keys = [pubA], at = digest) =>
    await assert.rejects(verifyArtifact({ client, repository, digest: at, keys }), { code });

  await t.step("an unsigned artifact is refused as UNSIGNED", async () => {
    await refused("UNSIGNED");
  });

  await t.step("a signature verifies with its key and names the signer", async () => {
    const signed = await signArtifact({ client, repository, digest, key: keyA });
    assert.equal(signed.signer, pairA.keyId);
    assert.equal(signed.signatureReference, `${reg.host}/${repository.repository}:${tag}`);
    const verified = await verifyArtifact({ client, repository, digest, keys: [pubA] });
    assert.equal(verified.digest, digest);
    assert.equal(verified.signer, pairA.keyId);
  });

  await t.step("the stored layer is cosign's, and Python verifies its signature", async () => {
    const manifest = await sigManifest();
    assert.equal(manifest.layers.length, 1);
    const [layer] = manifest.layers;
    assert.equal(layer.mediaType, MEDIA_TYPE_SIMPLE_SIGNING);
    const payload = await rawGet(`blobs/${layer.digest}`);
    assert.equal(digestOf(payload), layer.digest);
    const parsed = JSON.parse(new TextDecoder().decode(payload));
    assert.equal(parsed.critical.image["docker-manifest-digest"], digest);
    assert.equal(
      parsed.critical.identity["docker-reference"],
      `${reg.host}/${repository.repository}`,
    );
    assert.equal(parsed.critical.type, "cosign container image signature");
    const python = await pythonVerifies(
      pairA.publicKeyPem,
      payload,
      layer.annotations[ANNOTATION_COSIGN_SIGNATURE],
    );
    assert.ok(python.ok, python.output);
    const wrong = await pythonVerifies(
      pairB.publicKeyPem,
      payload,
      layer.annotations[ANNOTATION_COSIGN_SIGNATURE],
    );
    assert.equal(wrong.ok, false, "Python must refuse it with another key");
  });

  await t.step("signing again appends a layer; each key verifies", async () => {
    const again = await signArtifact({ client, repository, digest, key: keyB });
    assert.equal(again.signatures, 2);
    assert.equal((await sigManifest()).layers.length, 2);
    for (const [pub, pair] of [[pubA, pairA], [pubB, pairB]] as const) {
      const verified = await verifyArtifact({ client, repository, digest, keys: [pub] });
      assert.equal(verified.signer, pair.keyId);
    }
  });

  await t.step("another key is refused", async () => {
    const stranger = await importPublicKeyPem((await generateKeyPair("")).publicKeyPem, "x");
    await refused("SIGNATURE_INVALID", [stranger]);
  });

  const pushLayers = async (layers: { payload: Uint8Array; signature: string }[]) => {
    const config = new TextEncoder().encode("{}");
    const blobs = layers.map((l) => ({
      mediaType: MEDIA_TYPE_SIMPLE_SIGNING,
      digest: digestOf(l.payload),
      size: l.payload.byteLength,
      annotations: { [ANNOTATION_COSIGN_SIGNATURE]: l.signature },
      open: () => Promise.resolve(new Blob([l.payload as Uint8Array<ArrayBuffer>]).stream()),
    }));
    await pushArtifact(client, { ...repository, tag }, {
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: digestOf(config),
        size: config.byteLength,
        open: () => Promise.resolve(new Blob([config]).stream()),
      },
      layers: blobs,
      artifactType: "application/vnd.example.sig",
    });
  };
  const goodPayload = buildSimpleSigningPayload({
    dockerReference: `${reg.host}/${repository.repository}`,
    digest,
  });

  await t.step("a tampered payload is refused", async () => {
    const signature = await signPayload(keyA.privateKey, goodPayload);
    const tampered = new TextEncoder().encode(
      new TextDecoder().decode(goodPayload).replace('"optional":null', '"optional":{"x":"1"}'),
    );
    await pushLayers([{ payload: tampered, signature }]);
    await refused("SIGNATURE_INVALID");
  });

  await t.step("a swapped signature (made over other bytes) is refused", async () => {
    const otherPayload = buildSimpleSigningPayload({
      dockerReference: `${reg.host}/${repository.repository}`,
      digest: other.digest,
    });
    await pushLayers([{
      payload: goodPayload,
      signature: await signPayload(keyA.privateKey, otherPayload),
    }]);
    await refused("SIGNATURE_INVALID");
  });

  await t.step("a valid signature of another digest is refused for this one", async () => {
    const otherPayload = buildSimpleSigningPayload({
      dockerReference: `${reg.host}/${repository.repository}`,
      digest: other.digest,
    });
    await pushLayers([{
      payload: otherPayload,
      signature: await signPayload(keyA.privateKey, otherPayload),
    }]);
    await assert.rejects(
      verifyArtifact({ client, repository, digest, keys: [pubA] }),
      (error: { code: string; details: string[] }) => {
        assert.equal(error.code, "SIGNATURE_INVALID");
        assert.match(error.details.join("\n"), /names digest/);
        return true;
      },
    );
  });

  await t.step(
    "a signature naming another repository is refused unless the check is off",
    async () => {
      const elsewhere = buildSimpleSigningPayload({
        dockerReference: "mirror.lan/x/signed",
        digest,
      });
      await pushLayers([{
        payload: elsewhere,
        signature: await signPayload(keyA.privateKey, elsewhere),
      }]);
      await refused("SIGNATURE_INVALID");
      const verified = await verifyArtifact({
        client,
        repository,
        digest,
        keys: [pubA],
        checkReference: false,
      });
      assert.equal(verified.signer, pairA.keyId);
    },
  );

  await t.step("a deleted signature tag leaves the artifact unsigned", async () => {
    await deleteArtifact(client, { ...repository, tag });
    await refused("UNSIGNED");
  });
});
