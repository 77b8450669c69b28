// What we publish, read by independent tools: skopeo copies it into an OCI layout with
// identical manifest bytes, and the layer from that layout unpacks with plain `tar -xz` to
// the original tree. Also: the OCI client's manifest builder and the packager's agree.

import assert from "node:assert/strict";
import { buildManifest } from "../../src/oci/manifests.ts";
import {
  ANNOTATION_ORAS_CONTENT_DIGEST,
  ANNOTATION_ORAS_CONTENT_UNPACK,
  ANNOTATION_TITLE,
  ARTIFACT_TYPE_EXTENSION,
  buildConfigBlob,
  buildImageManifest,
  manifestAnnotations,
  MEDIA_TYPE_LAYER_TAR_GZIP,
  packageExtension,
  publishExtension,
} from "../../src/publish/mod.ts";
import type { ExtensionManifest } from "../../src/manifest/types.ts";
import { registryTest } from "../harness/registry.ts";
import { skopeoMissing } from "../harness/skopeo.ts";
import { run, SAMPLE_TREE } from "./_fixture.ts";
import {
  assertSameTree,
  publishOptionsFor,
  untar,
  withTempDir,
  withTree,
} from "./_publish_helpers.ts";

const ignore = skopeoMissing({
  tests: "the publish interop test",
  skip: "the publish interop test is ignored",
});

if (!ignore) {
  registryTest(
    "skopeo copy --all keeps our manifest bytes and the layer unpacks with tar -xz",
    async (_t, reg) => {
      const options = publishOptionsFor(reg);
      await withTree(SAMPLE_TREE, async (dir) => {
        const published = await publishExtension(dir, options);
        const pkg = await packageExtension(dir);
        const manifestBytes = pkg.manifest.bytes;
        await pkg.cleanup();
        assert.equal(published.digest, pkg.manifest.digest);

        await withTempDir(async (out) => {
          const image = `docker://${reg.host}/${published.repository}:${published.tag}`;
          const copied = await run("skopeo", [
            "copy",
            "--all",
            "--src-tls-verify=false",
            image,
            `oci:${out}/layout:${published.tag}`,
          ]);
          assert.equal(copied.code, 0, copied.stderr);
          const index = JSON.parse(await Deno.readTextFile(`${out}/layout/index.json`));
          assert.equal(index.manifests[0].digest, published.digest);
          const blob = (digest: string) => `${out}/layout/blobs/sha256/${digest.slice(7)}`;
          assert.deepEqual(await Deno.readFile(blob(published.digest)), manifestBytes);

          await Deno.mkdir(`${out}/tree`);
          await untar(blob(published.layer.digest), `${out}/tree`);
          await assertSameTree(`${out}/tree/demo-ext`, dir);
        });
      });
    },
  );
}

Deno.test("buildImageManifest() and the OCI client's buildManifest() give identical bytes", async (t) => {
  const manifests: ExtensionManifest[] = [
    { extension: { name: "aws", version: "1.0.0", type: "provider" } },
    {
      extension: {
        name: "kubernetes",
        version: "1.29.1+build.3",
        type: "taskserv",
        description: "Kubernetes",
        author: "Ops",
      },
      metadata: { homepage: "https://k8s.io", repository: "https://x/y", license: "Apache-2.0" },
      dependencies: { containerd: "^1.7.0" },
    },
  ];
  const layer = {
    digest: `sha256:${"a".repeat(64)}`,
    size: 4096,
    uncompressedDigest: `sha256:${"b".repeat(64)}`,
  };
  for (const extension of manifests) {
    for (const sourceDateEpoch of [undefined, 1700000000]) {
      await t.step(`${extension.extension.name}, SOURCE_DATE_EPOCH ${sourceDateEpoch}`, () => {
        const config = buildConfigBlob(extension);
        const ours = buildImageManifest({
          extension,
          config,
          layer,
          ...(sourceDateEpoch === undefined ? {} : { sourceDateEpoch }),
        });
        const generic = buildManifest({
          config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
          layers: [{
            mediaType: MEDIA_TYPE_LAYER_TAR_GZIP,
            digest: layer.digest,
            size: layer.size,
            annotations: {
              [ANNOTATION_TITLE]: extension.extension.name,
              [ANNOTATION_ORAS_CONTENT_UNPACK]: "true",
              [ANNOTATION_ORAS_CONTENT_DIGEST]: layer.uncompressedDigest,
            },
          }],
          artifactType: ARTIFACT_TYPE_EXTENSION,
          annotations: manifestAnnotations(extension, sourceDateEpoch),
        });
        assert.deepEqual(generic.bytes, ours.bytes);
        assert.equal(generic.digest, ours.digest);
      });
    }
  }
});
