/**
 * Push/pull round trips against the real registry (harness, plain variant).
 */

import assert from "node:assert/strict";
import { registryTest } from "../harness/registry.ts";
import {
  ARTIFACT_TYPE_EXTENSION,
  artifactExists,
  buildManifest,
  getArtifactManifest,
  isOciAvailable,
  MEDIA_TYPE_OCI_INDEX,
  pullArtifact,
  pushArtifact,
  pushManifest,
} from "../../src/oci/mod.ts";
import {
  bytesSource,
  clientFor,
  configSource,
  generatedSource,
  hashStream,
  recordingFetch,
} from "./_helpers.ts";

registryTest(
  "pushArtifact() then pullArtifact() round-trips 0 B, 1 KiB and 50 MB",
  async (t, reg) => {
    using client = clientFor(reg);
    const cases: [string, number][] = [["0 B", 0], ["1 KiB", 1024], ["50 MB", 50 * 1000 * 1000]];
    for (const [label, size] of cases) {
      await t.step(label, async () => {
        const layer = await generatedSource(size, size + 1);
        const config = { extension: { name: "rt", version: "1.0.0", type: "provider" }, size };
        const annotations = {
          "org.opencontainers.image.version": "1.0.0",
          "z": "last",
          "a": "first",
        };
        const pushed = await pushArtifact(client, `rt-${size}:1.0.0`, {
          config: configSource(config),
          layers: [{ ...layer, annotations: { "org.opencontainers.image.title": "rt" } }],
          annotations,
        });
        assert.deepEqual(pushed.blobs.map((b) => b.outcome), ["uploaded", "uploaded"]);

        const pulled = await pullArtifact(client, `rt-${size}:1.0.0`);
        assert.equal(pulled.digest, pushed.digest);
        assert.deepEqual(pulled.config.value, config);
        assert.equal(pulled.manifest.artifactType, ARTIFACT_TYPE_EXTENSION);
        assert.deepEqual(pulled.manifest.annotations, {
          a: "first",
          "org.opencontainers.image.version": "1.0.0",
          z: "last",
        });
        assert.equal(pulled.layers.length, 1);
        assert.equal(pulled.layers[0]!.annotations?.["org.opencontainers.image.title"], "rt");
        const got = await hashStream(await pulled.layers[0]!.open());
        assert.deepEqual(got, { digest: layer.digest, size });
      });
    }
  },
);

registryTest(
  "pushArtifact() sends small blobs in one PUT and large ones in chunks",
  async (t, reg) => {
    const cases: [string, number, number, number][] = [
      // name, blob size, chunk_size, expected PATCH requests
      ["1 KiB under an 8 MiB chunk size: one PUT", 1024, 8 * 1024 * 1024, 0],
      ["5 MB over a 1 MiB chunk size: five PATCHes", 5 * 1000 * 1000, 1024 * 1024, 5],
    ];
    for (const [name, size, chunkSize, patches] of cases) {
      await t.step(name, async () => {
        const recorder = recordingFetch();
        using client = clientFor(reg, {
          fetch: recorder.fetch,
          settings: { chunk_size: chunkSize },
        });
        const layer = await generatedSource(size, 7);
        await pushArtifact(client, "chunks:1.0.0", { config: configSource({}), layers: [layer] });
        const patchCount = recorder.requests.filter((r) => r.method === "PATCH").length;
        assert.equal(patchCount, patches);
        const pulled = await pullArtifact(client, "chunks:1.0.0");
        assert.deepEqual(await hashStream(await pulled.layers[0]!.open()), {
          digest: layer.digest,
          size,
        });
      });
    }
  },
);

registryTest("pushArtifact() skips blobs the registry already has", async (_t, reg) => {
  const recorder = recordingFetch();
  using client = clientFor(reg, { fetch: recorder.fetch });
  const options = {
    config: configSource({ n: 1 }),
    layers: [bytesSource(new Uint8Array(2048).fill(7))],
  };
  await pushArtifact(client, "skip:1.0.0", options);
  recorder.requests.length = 0;
  const again = await pushArtifact(client, "skip:1.0.1", options);
  assert.deepEqual(again.blobs.map((b) => b.outcome), ["exists", "exists"]);
  const uploads = recorder.requests.filter((r) => r.url.pathname.includes("/blobs/uploads/"));
  assert.deepEqual(uploads, [], "no upload session was opened");
  assert.deepEqual(
    recorder.requests.map((r) => `${r.method} ${r.url.pathname.replace(/sha256:\w+/, "D")}`),
    [
      `HEAD /v2/${client.settings.namespace}/skip/blobs/D`,
      `HEAD /v2/${client.settings.namespace}/skip/blobs/D`,
      `PUT /v2/${client.settings.namespace}/skip/manifests/1.0.1`,
    ],
  );
});

registryTest("pushArtifact() mounts blobs from another repository", async (t, reg) => {
  const recorder = recordingFetch();
  using client = clientFor(reg, { fetch: recorder.fetch });
  const ns = client.settings.namespace;
  const options = {
    config: configSource({ n: 2 }),
    layers: [bytesSource(new Uint8Array(4096).fill(3))],
  };
  await pushArtifact(client, "mount-src:1.0.0", options);

  await t.step("a known blob is mounted without upload", async () => {
    recorder.requests.length = 0;
    const result = await pushArtifact(client, "mount-dst:1.0.0", {
      ...options,
      mountFrom: `${ns}/mount-src`,
    });
    assert.deepEqual(result.blobs.map((b) => b.outcome), ["mounted", "mounted"]);
    const posts = recorder.requests.filter((r) => r.method === "POST");
    assert.equal(posts.length, 2);
    for (const post of posts) {
      assert.equal(post.url.searchParams.get("from"), `${ns}/mount-src`);
      assert.match(post.url.searchParams.get("mount") ?? "", /^sha256:/);
    }
    assert.equal(recorder.requests.filter((r) => r.method === "PATCH").length, 0);
    assert.ok(await artifactExists(client, "mount-dst:1.0.0"));
  });

  await t.step("a mount from a repository without the blob falls back to an upload", async () => {
    const fresh = {
      config: configSource({ n: 3 }),
      layers: [bytesSource(new Uint8Array(10).fill(9))],
    };
    const result = await pushArtifact(client, "mount-miss:1.0.0", {
      ...fresh,
      mountFrom: `${ns}/mount-src`,
    });
    assert.deepEqual(result.blobs.map((b) => b.outcome), ["uploaded", "uploaded"]);
    const pulled = await pullArtifact(client, "mount-miss:1.0.0");
    assert.deepEqual(pulled.config.value, { n: 3 });
  });
});

registryTest("getArtifactManifest() returns exact bytes, by tag and by digest", async (_t, reg) => {
  using client = clientFor(reg);
  const pushed = await pushArtifact(client, "bytes:1.0.0", {
    config: configSource({}),
    layers: [bytesSource(new Uint8Array([1, 2, 3]))],
  });
  const byTag = await getArtifactManifest(client, "bytes:1.0.0");
  const byDigest = await getArtifactManifest(client, `bytes@${pushed.digest}`);
  assert.equal(byTag.kind, "manifest");
  assert.equal(byTag.digest, pushed.digest);
  assert.deepEqual(byDigest.bytes, byTag.bytes);
  assert.equal(byTag.mediaType, "application/vnd.oci.image.manifest.v1+json");
  assert.equal(await artifactExists(client, "bytes:1.0.0"), true);
  assert.equal(await isOciAvailable(client), true);
  assert.equal(await artifactExists(client, "bytes:9.9.9"), false);
});

registryTest(
  "pullArtifact() of a missing tag or repository is NOT_FOUND (exit 3)",
  async (t, reg) => {
    using client = clientFor(reg);
    await pushArtifact(client, "present:1.0.0", { config: configSource({}), layers: [] });
    for (const ref of ["present:2.0.0", "absent:1.0.0"]) {
      await t.step(ref, async () => {
        await assert.rejects(pullArtifact(client, ref), (error: unknown) => {
          const e = error as { code: string; exitCode: number; message: string };
          assert.equal(e.code, "NOT_FOUND");
          assert.equal(e.exitCode, 3);
          assert.match(e.message, new RegExp(`Manifest ".*/${ref.replace(".", "\\.")}" not found`));
          return true;
        });
      });
    }
  },
);

registryTest("pullArtifact() picks the extension manifest out of an index", async (_t, reg) => {
  using client = clientFor(reg);
  const pushed = await pushArtifact(client, "indexed:1.0.0", {
    config: configSource({ from: "index" }),
    layers: [bytesSource(new Uint8Array([4, 5, 6]))],
  });
  const other = await pushArtifact(client, "indexed:other", {
    config: configSource({}),
    layers: [],
    artifactType: "application/vnd.example.other",
  });
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_OCI_INDEX,
    manifests: [
      {
        mediaType: other.mediaType,
        digest: other.digest,
        size: other.size,
        artifactType: "application/vnd.example.other",
      },
      {
        mediaType: pushed.mediaType,
        digest: pushed.digest,
        size: pushed.size,
        artifactType: ARTIFACT_TYPE_EXTENSION,
      },
    ],
  };
  const bytes = new TextEncoder().encode(JSON.stringify(index));
  await pushManifest(client, "indexed:1.0.0-index", bytes, MEDIA_TYPE_OCI_INDEX);

  const fetched = await getArtifactManifest(client, "indexed:1.0.0-index");
  assert.equal(fetched.kind, "index");
  const pulled = await pullArtifact(client, "indexed:1.0.0-index");
  assert.equal(pulled.digest, pushed.digest);
  assert.equal(pulled.index?.index.manifests.length, 2);
  assert.deepEqual(pulled.config.value, { from: "index" });
});

registryTest("pushArtifact() pushes given manifest bytes unchanged", async (_t, reg) => {
  using client = clientFor(reg);
  const config = configSource({ exact: true });
  const layer = bytesSource(new Uint8Array([9]));
  const built = buildManifest({
    config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
    layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
    annotations: { "org.opencontainers.image.title": "exact" },
  });
  const pushed = await pushArtifact(client, "exact:1.0.0", {
    config,
    layers: [layer],
    manifest: built.bytes,
  });
  assert.equal(pushed.digest, built.digest);
  assert.deepEqual((await getArtifactManifest(client, "exact:1.0.0")).bytes, built.bytes);
  await assert.rejects(
    pushArtifact(client, "exact:1.0.1", {
      config,
      layers: [bytesSource(new Uint8Array([8]))],
      manifest: built.bytes,
    }),
    { code: "INVALID_MANIFEST" },
  );
});

registryTest(
  "a slow upload that keeps sending is not cut off by the idle timeout",
  async (_t, reg) => {
    // 8 chunks 250 ms apart: 2 s in all, but never 1 s without progress.
    using client = clientFor(reg, { settings: { timeout: 1, retry_count: 0 } });
    const chunk = new Uint8Array(1000).fill(5);
    const all = new Uint8Array(8000).fill(5);
    const slow = {
      ...bytesSource(all),
      open: () =>
        Promise.resolve(ReadableStream.from((async function* () {
          for (let i = 0; i < 8; i++) {
            await new Promise((resolve) => setTimeout(resolve, 250));
            yield chunk.slice();
          }
        })())),
    };
    await pushArtifact(client, "slow:1.0.0", { config: configSource({}), layers: [slow] });
    const pulled = await pullArtifact(client, "slow:1.0.0");
    assert.deepEqual(await hashStream(await pulled.layers[0]!.open()), {
      digest: slow.digest,
      size: 8000,
    });
  },
);
