import assert from "node:assert/strict";
import { join } from "node:path";
import { getFromCache } from "./get.ts";
import { loadIndex, readIndex, rebuildIndex } from "./index_file.ts";
import { entryDir, entryMetaPath } from "./layout.ts";
import { listCached } from "./list.ts";
import { saveOciToCache } from "./save.ts";
import type { CacheKey } from "./types.ts";
import { blobOf, extensionArchive, fakeClock, withTempDir } from "./_testing.ts";

const AWS: CacheKey = { type: "provider", name: "aws", version: "1.0.0" };
const K8S: CacheKey = { type: "taskserv", name: "k8s", version: "1.28.0" };

async function twoEntries(root: string) {
  const clock = fakeClock("2025-01-01T00:00:00Z");
  const now = clock.now;
  const a = await saveOciToCache(root, AWS, {
    layer: blobOf(await extensionArchive("aws", "1.0.0")),
    registry: "localhost:5000",
    tag: "1.0.0",
  }, { now });
  clock.advance(60_000);
  const b = await saveOciToCache(root, K8S, {
    layer: blobOf(await extensionArchive("k8s", "1.28.0")),
    registry: "localhost:5000",
  }, { now });
  return { a, b, clock };
}

Deno.test("loadIndex() rebuilds a corrupt or missing index with full metadata", async (t) => {
  const damage: [string, (path: string) => Promise<void>][] = [
    ["missing", (path) => Deno.remove(path)],
    ["not JSON", (path) => Deno.writeTextFile(path, '{"schema":1,"entries":{"prov')],
    ["wrong schema", (path) => Deno.writeTextFile(path, '{"schema":99,"entries":{}}')],
    [
      "invalid row",
      (path) => Deno.writeTextFile(path, '{"schema":1,"entries":{"provider/aws/1.0.0":{}}}'),
    ],
    ["row under another key", async (path) => {
      const data = JSON.parse(await Deno.readTextFile(path));
      data.entries["provider/aws/9.9.9"] = data.entries["provider/aws/1.0.0"];
      await Deno.writeTextFile(path, JSON.stringify(data));
    }],
    ["empty file", (path) => Deno.writeTextFile(path, "")],
  ];
  for (const [label, spoil] of damage) {
    await t.step(label, async () => {
      await withTempDir(async (root) => {
        const { a, b } = await twoEntries(root);
        const before = await readIndex(root);
        await spoil(join(root, "index.json"));
        assert.deepEqual(await loadIndex(root), before);
        assert.deepEqual(await readIndex(root), before);
        assert.deepEqual(await listCached(root), [a, b]);
      });
    });
  }
});

Deno.test("rebuildIndex() repairs the disk", async (t) => {
  await t.step("a record without a directory is deleted", async () => {
    await withTempDir(async (root) => {
      await twoEntries(root);
      await Deno.remove(entryDir(root, AWS), { recursive: true });
      const rows = await rebuildIndex(root);
      assert.deepEqual(Object.keys(rows), ["taskserv/k8s/1.28.0"]);
      await assert.rejects(Deno.lstat(entryMetaPath(root, AWS)), Deno.errors.NotFound);
    });
  });
  await t.step("a directory without a record is not the cache's: left alone", async () => {
    await withTempDir(async (root) => {
      await twoEntries(root);
      await Deno.remove(entryMetaPath(root, AWS));
      const rows = await rebuildIndex(root);
      assert.deepEqual(Object.keys(rows), ["taskserv/k8s/1.28.0"]);
      assert.ok((await Deno.lstat(join(entryDir(root, AWS), "extension.yaml"))).isFile);
      await assert.rejects(Deno.lstat(entryMetaPath(root, AWS)), Deno.errors.NotFound);
    });
  });
  await t.step("a directory without extension.yaml nor record is ignored", async () => {
    await withTempDir(async (root) => {
      await rebuildIndex(root); // a cache of its own, so a folder of an unknown type is fine
      await Deno.mkdir(join(root, "extensions/provider/junk/1.0.0"), { recursive: true });
      await Deno.mkdir(join(root, "extensions/nosuchtype/x/1.0.0"), { recursive: true });
      assert.deepEqual(await rebuildIndex(root), {});
    });
  });
});

Deno.test("getFromCache() agrees with the disk, not only the index", async (t) => {
  await t.step("a row whose directory is gone is a miss and is dropped", async () => {
    await withTempDir(async (root) => {
      await twoEntries(root);
      await Deno.remove(entryDir(root, AWS), { recursive: true });
      assert.equal(await getFromCache(root, "provider", "aws", "1.0.0"), undefined);
      assert.deepEqual(Object.keys((await readIndex(root))!), ["taskserv/k8s/1.28.0"]);
    });
  });
  await t.step("a complete entry missing from the index is re-indexed", async () => {
    await withTempDir(async (root) => {
      const { a } = await twoEntries(root);
      const index = JSON.parse(await Deno.readTextFile(join(root, "index.json")));
      delete index.entries["provider/aws/1.0.0"];
      await Deno.writeTextFile(join(root, "index.json"), JSON.stringify(index));
      const found = await getFromCache(root, "provider", "aws", "1.0.0", {
        touchIntervalMs: Infinity,
      });
      assert.deepEqual(found, a);
      assert.ok((await readIndex(root))?.["provider/aws/1.0.0"]);
    });
  });
  await t.step("a missing root is a miss that creates nothing", async () => {
    await withTempDir(async (dir) => {
      const root = join(dir, "cache");
      assert.equal(await getFromCache(root, "provider", "aws", "1.0.0"), undefined);
      assert.deepEqual(await listCached(root), []);
      await assert.rejects(Deno.lstat(root), Deno.errors.NotFound);
    });
  });
});

Deno.test("getFromCache() updates lastUsedAt at most once per interval", async () => {
  await withTempDir(async (root) => {
    const { clock } = await twoEntries(root);
    const now = clock.now;
    const get = () => getFromCache(root, "taskserv", "k8s", "1.28.0", { now });
    const pulled = "2025-01-01T00:01:00.000Z";
    clock.advance(30_000);
    const indexBefore = await Deno.readTextFile(join(root, "index.json"));
    assert.equal((await get())?.lastUsedAt, pulled);
    assert.equal(await Deno.readTextFile(join(root, "index.json")), indexBefore);
    clock.advance(30_000);
    const later = await get();
    assert.equal(later?.lastUsedAt, "2025-01-01T00:02:00.000Z");
    assert.equal((await readIndex(root))?.["taskserv/k8s/1.28.0"]?.lastUsedAt, later?.lastUsedAt);
    // The use survives an index rebuild (kept as the record file's mtime).
    await Deno.remove(join(root, "index.json"));
    assert.equal((await loadIndex(root))["taskserv/k8s/1.28.0"]?.lastUsedAt, later?.lastUsedAt);
  });
});
