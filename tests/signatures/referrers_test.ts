/**
 * Signatures found through the OCI 1.1 referrers API. Distribution 2.8 has no such API (404),
 * so a thin proxy in front of the real registry adds one route: `referrers/<digest>` answers
 * an index naming a signature manifest that really is in the registry (pushed by digest only,
 * with `subject` = the extension's manifest); everything else is the real registry's own
 * answer. Without that route the same signature is not found (no `.sig` tag holds it).
 */

import assert from "node:assert/strict";
import { startFaultServer } from "../harness/fault_server.ts";
import { registryTest } from "../harness/registry.ts";
import { publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import {
  buildManifest,
  digestOf,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
  pushArtifact,
} from "../../src/oci/mod.ts";
import {
  ANNOTATION_COSIGN_SIGNATURE,
  ARTIFACT_TYPE_COSIGN_SIGNATURE,
  buildSimpleSigningPayload,
  generateKeyPair,
  importPublicKeyPem,
  MEDIA_TYPE_SIMPLE_SIGNING,
  readCosignPrivateKey,
  signPayload,
  verifyArtifact,
} from "../../src/signatures/mod.ts";

registryTest("verifyArtifact finds a signature through the referrers API", async (t, reg) => {
  const namespace = uniqueNamespace("referrers");
  using direct = clientFor(reg, { settings: { namespace } });
  const published = await publish(direct, { name: "refd", type: "taskserv", version: "1.0.0" });
  const repository = direct.reference("refd");
  const pair = await generateKeyPair("");
  const key = await readCosignPrivateKey(pair.privateKeyPem, "");
  const publicKey = await importPublicKeyPem(pair.publicKeyPem, "k.pub");
  const payload = buildSimpleSigningPayload({
    dockerReference: `${reg.host}/${repository.repository}`,
    digest: published.digest,
  });
  const config = new TextEncoder().encode("{}");
  const configBlob = {
    mediaType: "application/vnd.oci.empty.v1+json",
    digest: digestOf(config),
    size: config.byteLength,
    open: () => Promise.resolve(new Blob([config]).stream()),
  };
  const layer = {
    mediaType: MEDIA_TYPE_SIMPLE_SIGNING,
    digest: digestOf(payload),
    size: payload.byteLength,
    annotations: { [ANNOTATION_COSIGN_SIGNATURE]: await signPayload(key.privateKey, payload) },
    open: () => Promise.resolve(new Blob([payload as Uint8Array<ArrayBuffer>]).stream()),
  };
  const manifest = buildManifest({
    config: { mediaType: configBlob.mediaType, digest: configBlob.digest, size: configBlob.size },
    layers: [{
      mediaType: layer.mediaType,
      digest: layer.digest,
      size: layer.size,
      annotations: layer.annotations,
    }],
    artifactType: ARTIFACT_TYPE_COSIGN_SIGNATURE,
    subject: { mediaType: MEDIA_TYPE_OCI_MANIFEST, digest: published.digest, size: 1 },
  });
  await pushArtifact(direct, { ...repository, digest: manifest.digest }, {
    config: configBlob,
    layers: [layer],
    manifest: manifest.bytes,
  });

  await t.step("the registry itself has no referrers API: not found, UNSIGNED", async () => {
    await assert.rejects(
      verifyArtifact({ client: direct, repository, digest: published.digest, keys: [publicKey] }),
      { code: "UNSIGNED" },
    );
  });

  const referrersPath = new RegExp(`/referrers/${published.digest}(\\?|$)`);
  const proxy = await startFaultServer([
    {
      path: referrersPath,
      respond: (request) => {
        assert.equal(
          new URL(request.url).searchParams.get("artifactType"),
          ARTIFACT_TYPE_COSIGN_SIGNATURE,
        );
        return Response.json({
          schemaVersion: 2,
          mediaType: MEDIA_TYPE_OCI_INDEX,
          manifests: [
            {
              mediaType: MEDIA_TYPE_OCI_MANIFEST,
              digest: manifest.digest,
              size: manifest.bytes.byteLength,
              artifactType: ARTIFACT_TYPE_COSIGN_SIGNATURE,
            },
            // Another kind of referrer is ignored.
            {
              mediaType: MEDIA_TYPE_OCI_MANIFEST,
              digest: "sha256:" + "9".repeat(64),
              size: 10,
              artifactType: "application/vnd.example.sbom",
            },
          ],
        }, { headers: { "content-type": MEDIA_TYPE_OCI_INDEX } });
      },
    },
    {
      path: /^/,
      respond: async (request) => {
        const url = new URL(request.url);
        const upstream = await fetch(`${reg.url}${url.pathname}${url.search}`, {
          method: request.method,
          headers: request.headers,
        });
        return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
      },
    },
  ]);
  try {
    using viaProxy = clientFor({ url: proxy.url }, { settings: { namespace } });
    const proxied = { ...repository, registry: proxy.host };
    await t.step("through the referrers API the signature is found and verifies", async () => {
      const verified = await verifyArtifact({
        client: viaProxy,
        repository: proxied,
        digest: published.digest,
        keys: [publicKey],
        checkReference: false, // the payload names the registry behind the proxy
      });
      assert.equal(verified.signer, pair.keyId);
      assert.ok(proxy.requests.some((r) => referrersPath.test(r.path)));
    });
  } finally {
    await proxy.close();
  }
});
