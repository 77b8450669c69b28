import assert from "node:assert/strict";
import { join } from "node:path";
import { ProvisioningError } from "../errors.ts";
import { getFromCache } from "./get.ts";
import { readIndex } from "./index_file.ts";
import { blobPath, entryMetaPath } from "./layout.ts";
import { saveGiteaToCache, saveOciToCache } from "./save.ts";
import type { CacheKey } from "./types.ts";
import {
  blobOf,
  extensionArchive,
  fakeClock,
  gzip,
  listTree,
  sha256,
  tarOf,
  withTempDir,
} from "./_testing.ts";

const KEY: CacheKey = { type: "provider", name: "aws", version: "1.2.3" };

/** Paths that may exist under a root after a failed save: layout dirs and lock files only. */
async function visibleAfterFailure(root: string): Promise<string[]> {
  return (await listTree(root)).filter((p) => !p.startsWith("locks/"));
}

Deno.test("saveOciToCache() round-trips a tar.gz built with the system tar", async () => {
  await withTempDir(async (dir) => {
    const src = join(dir, "src", "aws");
    await Deno.mkdir(join(src, "kcl"), { recursive: true });
    await Deno.writeTextFile(join(src, "extension.yaml"), "extension:\n  name: aws\n");
    await Deno.writeTextFile(join(src, "kcl", "main.k"), "x = 1\n");
    await Deno.symlink("kcl/main.k", join(src, "main.k"));
    const tarball = join(dir, "aws.tar.gz");
    const made = await new Deno.Command("tar", {
      args: ["-czf", tarball, "-C", join(dir, "src"), "aws"],
    }).output();
    assert.ok(made.success);
    const bytes = await Deno.readFile(tarball);
    const layer = blobOf(bytes);
    const root = join(dir, "cache");
    const clock = fakeClock("2025-01-02T03:04:05.000Z");
    const manifestDigest = sha256(new TextEncoder().encode("manifest"));
    const entry = await saveOciToCache(root, KEY, {
      layer,
      digest: manifestDigest,
      registry: "localhost:5000",
      repository: "provisioning-extensions/aws",
      reference: "^1.2.0",
      tag: "1.2.3",
    }, { now: clock.now });
    assert.equal(layer.opens, 1);
    assert.deepEqual(entry, {
      key: "provider/aws/1.2.3",
      path: join(root, "extensions/provider/aws/1.2.3"),
      type: "provider",
      name: "aws",
      version: "1.2.3",
      source: "oci",
      digest: manifestDigest,
      blobDigest: layer.digest,
      mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
      registry: "localhost:5000",
      repository: "provisioning-extensions/aws",
      reference: "^1.2.0",
      tag: "1.2.3",
      size: 29,
      files: 3,
      pulledAt: "2025-01-02T03:04:05.000Z",
      lastUsedAt: "2025-01-02T03:04:05.000Z",
    });
    // The single top-level directory "aws/" became the entry root.
    assert.deepEqual(await listTree(entry.path), [
      "extension.yaml",
      "kcl/",
      "kcl/main.k",
      "main.k",
    ]);
    assert.equal(await Deno.readTextFile(join(entry.path, "main.k")), "x = 1\n");
    assert.deepEqual(await Deno.readFile(blobPath(root, layer.digest)), bytes);
    const { key: _key, path: _path, ...record } = entry;
    assert.deepEqual((await readIndex(root))?.[entry.key], record);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(entryMetaPath(root, KEY))), record);
    assert.deepEqual(await listTree(join(root, "tmp")), []);
    assert.deepEqual(
      await getFromCache(root, "provider", "aws", "1.2.3", { now: clock.now }),
      entry,
    );
  });
});

Deno.test("saveOciToCache() refuses corrupt downloads and leaves nothing", async (t) => {
  const bytes = await extensionArchive("aws", "1.2.3");
  const cases: [string, ReturnType<typeof blobOf>, string][] = [
    ["wrong digest", blobOf(bytes, { digest: sha256(new Uint8Array([1])) }), "DIGEST_MISMATCH"],
    ["too short", blobOf(bytes, { size: bytes.length + 1 }), "SIZE_MISMATCH"],
    ["too long", blobOf(bytes, { size: bytes.length - 1 }), "SIZE_MISMATCH"],
    [
      "no manifest",
      blobOf(await gzip(await tarOf([{ name: "x", body: "" }]))),
      "INVALID_EXTENSION",
    ],
    ["unsafe", blobOf(await gzip(await tarOf([{ name: "../x", body: "" }]))), "UNSAFE_ARCHIVE"],
  ];
  for (const [label, layer, code] of cases) {
    await t.step(label, async () => {
      await withTempDir(async (root) => {
        const error = await saveOciToCache(root, KEY, { layer }).then(() => undefined, (e) => e);
        assert.ok(error instanceof ProvisioningError, String(error));
        assert.equal(error.code, code);
        assert.deepEqual(
          await visibleAfterFailure(root),
          [
            ".provisioning-cache",
            "blobs/",
            "blobs/sha256/",
            "extensions/",
            "index.json",
            "tmp/",
          ],
        );
        assert.deepEqual(await readIndex(root), {});
        assert.equal(await getFromCache(root, "provider", "aws", "1.2.3"), undefined);
      });
    });
  }
});

Deno.test("saveOciToCache() reuses entries and blobs", async (t) => {
  const bytes = await extensionArchive("aws", "1.2.3");
  await t.step("an existing entry is returned without opening the layer", async () => {
    await withTempDir(async (root) => {
      const first = blobOf(bytes);
      const a = await saveOciToCache(root, KEY, { layer: first });
      const second = blobOf(bytes);
      const b = await saveOciToCache(root, KEY, { layer: second });
      assert.equal(second.opens, 0);
      assert.deepEqual(b, a);
    });
  });
  await t.step("a stored blob is unpacked without opening the layer", async () => {
    await withTempDir(async (root) => {
      await saveOciToCache(root, KEY, { layer: blobOf(bytes) });
      const other = blobOf(bytes);
      const entry = await saveOciToCache(root, { ...KEY, version: "9.9.9" }, { layer: other });
      assert.equal(other.opens, 0);
      assert.equal(entry.files, 3);
    });
  });
  await t.step("force replaces the entry and downloads again", async () => {
    await withTempDir(async (root) => {
      const clock = fakeClock("2025-01-01T00:00:00Z");
      await saveOciToCache(root, KEY, { layer: blobOf(bytes) }, { now: clock.now });
      const newer = await extensionArchive("aws", "1.2.3", {
        extra: [{ name: "NEW", body: "new" }],
      });
      clock.advance(1000);
      const layer = blobOf(newer);
      const entry = await saveOciToCache(root, KEY, { layer }, { now: clock.now, force: true });
      assert.equal(layer.opens, 1);
      assert.equal(await Deno.readTextFile(join(entry.path, "NEW")), "new");
      assert.equal(entry.pulledAt, "2025-01-01T00:00:01.000Z");
      assert.deepEqual(await listTree(join(root, "tmp")), []);
    });
  });
  await t.step("keepBlob: false stores no blob", async () => {
    await withTempDir(async (root) => {
      await saveOciToCache(root, KEY, { layer: blobOf(bytes) }, { keepBlob: false });
      assert.deepEqual(await listTree(join(root, "blobs")), ["sha256/"]);
    });
  });
});

Deno.test("saveOciToCache() runs validate before the entry becomes visible", async () => {
  await withTempDir(async (root) => {
    const bytes = await extensionArchive("aws", "1.2.3");
    let seen = "";
    await assert.rejects(
      saveOciToCache(root, KEY, { layer: blobOf(bytes) }, {
        validate: async (dir) => {
          seen = await Deno.readTextFile(join(dir, "extension.yaml"));
          assert.equal(await getFromCache(root, "provider", "aws", "1.2.3"), undefined);
          throw new ProvisioningError("TYPE_MISMATCH", "Extension is a taskserv");
        },
      }),
      { code: "TYPE_MISMATCH" },
    );
    assert.match(seen, /name: aws/);
    assert.deepEqual(await listTree(join(root, "extensions")), []);
    assert.deepEqual(await listTree(join(root, "tmp")), []);
  });
});

Deno.test("saveOciToCache() checks links again when a subdirectory becomes the root", async () => {
  await withTempDir(async (root) => {
    const tar = await tarOf([
      { name: "aws/extension.yaml", body: "" },
      { name: "aws/escape", type: "symlink", linkname: "../aws/extension.yaml" },
    ]);
    await assert.rejects(
      saveOciToCache(root, KEY, { layer: blobOf(await gzip(tar)) }),
      { code: "UNSAFE_ARCHIVE", message: /escape/ },
    );
    assert.deepEqual(await listTree(join(root, "extensions")), []);
  });
});

Deno.test("saveGiteaToCache() computes the digest and honours subdir", async () => {
  await withTempDir(async (root) => {
    const tar = await tarOf([
      { name: "repo-v1.0.0/README.md", body: "repo" },
      { name: "repo-v1.0.0/ext/extension.yaml", body: "e" },
      { name: "repo-v1.0.0/ext/kcl/a.k", body: "k" },
    ]);
    const archive = { open: () => Promise.resolve(new Blob([tar]).stream()) };
    const key: CacheKey = { type: "taskserv", name: "k8s", version: "1.0.0" };
    const entry = await saveGiteaToCache(root, key, {
      archive,
      remote: "http://gitea.local/org/k8s.git",
      tag: "v1.0.0",
      commit: "0123abc",
    }, { subdir: "ext" });
    assert.equal(entry.source, "gitea");
    assert.equal(entry.digest, sha256(tar));
    assert.equal(entry.commit, "0123abc");
    assert.deepEqual(await listTree(entry.path), ["extension.yaml", "kcl/", "kcl/a.k"]);
    assert.deepEqual(await Deno.readFile(blobPath(root, sha256(tar))), tar);
  });
});

Deno.test("saveOciToCache() called concurrently in one process downloads once", async () => {
  await withTempDir(async (root) => {
    const layer = blobOf(await extensionArchive("aws", "1.2.3"), { chunkSize: 64 });
    const entries = await Promise.all(
      Array.from({ length: 4 }, () => saveOciToCache(root, KEY, { layer })),
    );
    assert.equal(layer.opens, 1);
    for (const entry of entries) assert.deepEqual(entry, entries[0]);
  });
});
