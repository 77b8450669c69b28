import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { ExtensionManifest } from "../manifest/types.ts";
import {
  buildConfigBlob,
  buildImageManifest,
  canonicalJson,
  manifestAnnotations,
} from "./artifact.ts";

const FULL: ExtensionManifest = {
  extension: {
    name: "kubernetes",
    version: "1.28.0",
    type: "taskserv",
    description: "Kubernetes control plane",
    author: "Ops Team <ops@example.com>",
  },
  dependencies: { containerd: "^1.7.0" },
  metadata: {
    homepage: "https://example.com/k8s",
    repository: "https://git.example.com/k8s",
    license: "Apache-2.0",
  },
};
const LAYER = {
  digest: `sha256:${"1".repeat(64)}`,
  size: 1234,
  uncompressedDigest: `sha256:${"2".repeat(64)}`,
};

Deno.test("canonicalJson() sorts keys at every depth and drops undefined", () => {
  assert.equal(
    canonicalJson({ z: { y: 1, x: [3, { b: null, a: undefined }] }, a: "ü" }),
    '{"a":"ü","z":{"x":[3,{"b":null}],"y":1}}',
  );
});

Deno.test("buildConfigBlob() is the manifest as canonical JSON", async () => {
  const reordered: ExtensionManifest = {
    metadata: {
      license: "Apache-2.0",
      repository: FULL.metadata?.repository ?? "",
      homepage: FULL.metadata?.homepage ?? "",
    },
    dependencies: { containerd: "^1.7.0" },
    extension: { ...FULL.extension },
  };
  const a = buildConfigBlob(FULL);
  const b = buildConfigBlob(reordered);
  assert.deepEqual(a.bytes, b.bytes);
  assert.equal(a.digest, `sha256:${createHash("sha256").update(a.bytes).digest("hex")}`);
  assert.equal(a.size, a.bytes.length);
  assert.equal(a.mediaType, "application/vnd.provisioning.extension.config.v1+json");
  assert.deepEqual(JSON.parse(new TextDecoder().decode(a.bytes)), FULL);
  const streamed = new Uint8Array(await new Response(await a.open()).arrayBuffer());
  assert.deepEqual(streamed, a.bytes);
  const again = new Uint8Array(await new Response(await a.open()).arrayBuffer());
  assert.deepEqual(again, a.bytes);
});

Deno.test("manifestAnnotations() maps present fields only", async (t) => {
  await t.step("every field", () => {
    assert.deepEqual(manifestAnnotations(FULL), {
      "dev.provisioning.extension.type": "taskserv",
      "org.opencontainers.image.authors": "Ops Team <ops@example.com>",
      "org.opencontainers.image.description": "Kubernetes control plane",
      "org.opencontainers.image.licenses": "Apache-2.0",
      "org.opencontainers.image.source": "https://git.example.com/k8s",
      "org.opencontainers.image.title": "kubernetes",
      "org.opencontainers.image.url": "https://example.com/k8s",
      "org.opencontainers.image.version": "1.28.0",
    });
  });
  await t.step("the minimum", () => {
    assert.deepEqual(
      Object.keys(
        manifestAnnotations({ extension: { name: "a", version: "1.0.0", type: "cluster" } }),
      ),
      [
        "dev.provisioning.extension.type",
        "org.opencontainers.image.title",
        "org.opencontainers.image.version",
      ],
    );
  });
  await t.step("created only with SOURCE_DATE_EPOCH", () => {
    assert.equal(manifestAnnotations(FULL)["org.opencontainers.image.created"], undefined);
    assert.equal(
      manifestAnnotations(FULL, 0)["org.opencontainers.image.created"],
      "1970-01-01T00:00:00Z",
    );
    assert.equal(
      manifestAnnotations(FULL, 1704067200)["org.opencontainers.image.created"],
      "2024-01-01T00:00:00Z",
    );
  });
});

Deno.test("buildImageManifest() writes the documented bytes", () => {
  const config = buildConfigBlob(FULL);
  const manifest = buildImageManifest({
    extension: FULL,
    config,
    layer: LAYER,
    sourceDateEpoch: 1704067200,
  });
  const expected = '{"schemaVersion":2,' +
    '"mediaType":"application/vnd.oci.image.manifest.v1+json",' +
    '"artifactType":"application/vnd.provisioning.extension.v1",' +
    '"config":{"mediaType":"application/vnd.provisioning.extension.config.v1+json",' +
    `"digest":"${config.digest}","size":${config.size}},` +
    '"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip",' +
    `"digest":"${LAYER.digest}","size":1234,"annotations":{` +
    `"io.deis.oras.content.digest":"${LAYER.uncompressedDigest}",` +
    '"io.deis.oras.content.unpack":"true",' +
    '"org.opencontainers.image.title":"kubernetes"}}],' +
    '"annotations":{"dev.provisioning.extension.type":"taskserv",' +
    '"org.opencontainers.image.authors":"Ops Team <ops@example.com>",' +
    '"org.opencontainers.image.created":"2024-01-01T00:00:00Z",' +
    '"org.opencontainers.image.description":"Kubernetes control plane",' +
    '"org.opencontainers.image.licenses":"Apache-2.0",' +
    '"org.opencontainers.image.source":"https://git.example.com/k8s",' +
    '"org.opencontainers.image.title":"kubernetes",' +
    '"org.opencontainers.image.url":"https://example.com/k8s",' +
    '"org.opencontainers.image.version":"1.28.0"}}';
  assert.equal(new TextDecoder().decode(manifest.bytes), expected);
  assert.equal(manifest.size, manifest.bytes.length);
  assert.equal(
    manifest.digest,
    `sha256:${createHash("sha256").update(manifest.bytes).digest("hex")}`,
  );
  assert.equal(manifest.mediaType, "application/vnd.oci.image.manifest.v1+json");
});
