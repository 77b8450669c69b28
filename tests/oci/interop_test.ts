/**
 * Interop with an independent client (skopeo) against the real registry: what we push,
 * skopeo reads byte-identical and copies to an OCI layout unchanged; an artifact laid out the
 * way `oras push` packs a directory, copied in by skopeo, pulls with our client.
 */

import assert from "node:assert/strict";
import { registryTest } from "../harness/registry.ts";
import { skopeo, skopeoMissing } from "../harness/skopeo.ts";
import {
  ANNOTATION_ORAS_CONTENT_DIGEST,
  ANNOTATION_ORAS_CONTENT_UNPACK,
  ANNOTATION_TITLE,
  digestOf,
  getArtifactManifest,
  MEDIA_TYPE_LAYER_TAR_GZIP,
  MEDIA_TYPE_OCI_EMPTY,
  MEDIA_TYPE_OCI_MANIFEST,
  pullArtifact,
  pushArtifact,
} from "../../src/oci/mod.ts";
import { bytesSource, clientFor, configSource, hashStream } from "./_helpers.ts";

const ignore = skopeoMissing({
  tests: "the interop tests",
  skip: "interop tests are ignored (apt-get install skopeo)",
});

if (!ignore) {
  registryTest(
    "skopeo reads what we push byte-identical and copies it to an OCI layout",
    async (_t, reg) => {
      using client = clientFor(reg);
      const pushed = await pushArtifact(client, "interop:1.0.0", {
        config: configSource({ extension: { name: "interop" } }),
        layers: [bytesSource(new Uint8Array(5000).fill(11))],
        annotations: { "org.opencontainers.image.version": "1.0.0" },
      });
      const ours = await getArtifactManifest(client, "interop:1.0.0");
      const image = `docker://${reg.host}/${client.settings.namespace}/interop:1.0.0`;
      const raw = await skopeo("inspect", "--raw", "--tls-verify=false", image);
      assert.deepEqual(raw, ours.bytes);
      assert.equal(digestOf(raw), pushed.digest);

      const dir = await Deno.makeTempDir({ prefix: "oci-interop-" });
      try {
        await skopeo("copy", "--all", "--src-tls-verify=false", image, `oci:${dir}:1.0.0`);
        const [algo, hex] = pushed.digest.split(":");
        const copied = await Deno.readFile(`${dir}/blobs/${algo}/${hex}`);
        assert.deepEqual(copied, ours.bytes);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );

  registryTest(
    "an ORAS-style directory artifact copied in by skopeo pulls with our client",
    async (_t, reg) => {
      using client = clientFor(reg);
      const dir = await Deno.makeTempDir({ prefix: "oci-oras-layout-" });
      try {
        // The layout `oras push` would produce for a directory: empty config, one tar+gzip
        // layer titled with the directory name and marked for unpacking.
        const layer = new Uint8Array(
          await new Response(
            ReadableStream.from([new TextEncoder().encode("not really a tar, bytes are bytes")])
              .pipeThrough(new CompressionStream("gzip")),
          ).arrayBuffer(),
        );
        const empty = new TextEncoder().encode("{}");
        const manifest = new TextEncoder().encode(JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPE_OCI_MANIFEST,
          artifactType: "application/vnd.unknown.artifact.v1",
          config: {
            mediaType: MEDIA_TYPE_OCI_EMPTY,
            digest: digestOf(empty),
            size: 2,
            data: "e30=",
          },
          layers: [{
            mediaType: MEDIA_TYPE_LAYER_TAR_GZIP,
            digest: digestOf(layer),
            size: layer.byteLength,
            annotations: {
              [ANNOTATION_ORAS_CONTENT_DIGEST]: digestOf(new Uint8Array([1])),
              [ANNOTATION_ORAS_CONTENT_UNPACK]: "true",
              [ANNOTATION_TITLE]: "oras-ext",
            },
          }],
        }));
        await Deno.mkdir(`${dir}/blobs/sha256`, { recursive: true });
        for (const blob of [layer, empty, manifest]) {
          await Deno.writeFile(`${dir}/blobs/sha256/${digestOf(blob).slice(7)}`, blob);
        }
        await Deno.writeTextFile(`${dir}/oci-layout`, '{"imageLayoutVersion":"1.0.0"}');
        await Deno.writeTextFile(
          `${dir}/index.json`,
          JSON.stringify({
            schemaVersion: 2,
            manifests: [{
              mediaType: MEDIA_TYPE_OCI_MANIFEST,
              digest: digestOf(manifest),
              size: manifest.byteLength,
              annotations: { "org.opencontainers.image.ref.name": "1.0.0" },
            }],
          }),
        );
        const target = `docker://${reg.host}/${client.settings.namespace}/oras-ext:1.0.0`;
        await skopeo("copy", "--all", "--dest-tls-verify=false", `oci:${dir}:1.0.0`, target);

        const pulled = await pullArtifact(client, "oras-ext:1.0.0");
        assert.equal(pulled.digest, digestOf(manifest));
        assert.equal(pulled.config.value, undefined);
        assert.equal(pulled.layers.length, 1);
        assert.equal(pulled.layers[0]!.annotations?.[ANNOTATION_TITLE], "oras-ext");
        assert.equal(pulled.layers[0]!.annotations?.[ANNOTATION_ORAS_CONTENT_UNPACK], "true");
        assert.deepEqual(await hashStream(await pulled.layers[0]!.open()), {
          digest: digestOf(layer),
          size: layer.byteLength,
        });
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
}
