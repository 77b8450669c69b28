import assert from "node:assert/strict";
import { join } from "node:path";
import { clearCache, removeFromCache } from "./remove.ts";
import { findBestCached, getCacheStats, listCached } from "./list.ts";
import { getFromCache } from "./get.ts";
import { pruneCache } from "./prune.ts";
import { saveOciToCache } from "./save.ts";
import type { CacheEntry, CacheKey } from "./types.ts";
import { blobOf, extensionArchive, fakeClock, listTree, withTempDir } from "./_testing.ts";

/** A known cache: five entries pulled (and last used) at known times. */
async function knownCache(root: string) {
  const clock = fakeClock("2025-01-01T00:00:00Z");
  const plan: [CacheKey, string][] = [
    [{ type: "provider", name: "aws", version: "1.0.0" }, "2025-01-01T00:00:00Z"],
    [{ type: "provider", name: "aws", version: "1.10.0" }, "2025-02-01T00:00:00Z"],
    [{ type: "provider", name: "aws", version: "1.2.0" }, "2025-03-01T00:00:00Z"],
    [{ type: "cluster", name: "web", version: "0.1.0" }, "2025-01-15T00:00:00Z"],
    [{ type: "taskserv", name: "k8s", version: "1.28.0" }, "2025-03-10T00:00:00Z"],
  ];
  const entries: Record<string, CacheEntry> = {};
  for (const [key, when] of plan) {
    clock.set(when);
    const layer = blobOf(await extensionArchive(key.name, key.version));
    const entry = await saveOciToCache(root, key, { layer }, { now: clock.now });
    entries[`${key.name}@${key.version}`] = entry;
  }
  clock.set("2025-03-31T00:00:00Z");
  return { clock, entries };
}

const versions = (entries: CacheEntry[]) => entries.map((e) => `${e.name}@${e.version}`);

Deno.test("listCached() sorts by type, name and semver and filters", async () => {
  await withTempDir(async (root) => {
    await knownCache(root);
    assert.deepEqual(versions(await listCached(root)), [
      "web@0.1.0",
      "aws@1.0.0",
      "aws@1.2.0",
      "aws@1.10.0",
      "k8s@1.28.0",
    ]);
    assert.deepEqual(versions(await listCached(root, { type: "provider", name: "aws" })), [
      "aws@1.0.0",
      "aws@1.2.0",
      "aws@1.10.0",
    ]);
    assert.deepEqual(await listCached(root, { source: "gitea" }), []);
  });
});

Deno.test("getCacheStats() totals entries, bytes per type, blobs and use times", async () => {
  await withTempDir(async (root) => {
    const { entries } = await knownCache(root);
    const size = (k: string) => entries[k]!.size;
    const stats = await getCacheStats(root);
    const blobBytes = (await Promise.all(
      (await listTree(join(root, "blobs/sha256"))).map(async (f) =>
        (await Deno.stat(join(root, "blobs/sha256", f))).size
      ),
    )).reduce((a, b) => a + b, 0);
    assert.deepEqual(stats, {
      root,
      entries: 5,
      bytes: Object.values(entries).reduce((sum, e) => sum + e.size, 0),
      byType: {
        cluster: { entries: 1, bytes: size("web@0.1.0") },
        provider: {
          entries: 3,
          bytes: size("aws@1.0.0") + size("aws@1.2.0") + size("aws@1.10.0"),
        },
        taskserv: { entries: 1, bytes: size("k8s@1.28.0") },
      },
      blobs: { count: 5, bytes: blobBytes },
      leftovers: { count: 0, bytes: 0 },
      oldestUse: "2025-01-01T00:00:00.000Z",
      newestUse: "2025-03-10T00:00:00.000Z",
    });
  });
});

Deno.test("pruneCache() removes by last use, versions kept and size", async (t) => {
  const cases: [string, Parameters<typeof pruneCache>[1], string[]][] = [
    ["days: 60", { days: 60 }, ["aws@1.0.0", "web@0.1.0"]],
    ["days: 365", { days: 365 }, []],
    ["keep: 1", { keep: 1 }, ["aws@1.0.0", "aws@1.2.0"]],
    ["keep: 2", { keep: 2 }, ["aws@1.0.0"]],
    ["days: 60 and keep: 2", { days: 60, keep: 2 }, ["aws@1.0.0", "web@0.1.0"]],
    ["maxSize: 0", { maxSize: 0 }, [
      "aws@1.0.0",
      "web@0.1.0",
      "aws@1.10.0",
      "aws@1.2.0",
      "k8s@1.28.0",
    ]],
    ["no criterion", {}, []],
  ];
  for (const [label, options, expected] of cases) {
    await t.step(label, async () => {
      await withTempDir(async (root) => {
        const { clock } = await knownCache(root);
        const dry = await pruneCache(root, { ...options, now: clock.now, dryRun: true });
        assert.deepEqual(versions(dry.removed).sort(), [...expected].sort());
        assert.equal((await listCached(root)).length, 5);
        const result = await pruneCache(root, { ...options, now: clock.now });
        assert.deepEqual(versions(result.removed).sort(), [...expected].sort());
        assert.equal(result.blobsRemoved, expected.length);
        assert.equal((await listCached(root)).length, 5 - expected.length);
        const stats = await getCacheStats(root);
        assert.equal(stats.blobs.count, 5 - expected.length);
        for (const entry of result.removed) {
          await assert.rejects(Deno.lstat(entry.path), Deno.errors.NotFound);
        }
      });
    });
  }
  await t.step("maxSize removes the least recently used first", async () => {
    await withTempDir(async (root) => {
      const { clock } = await knownCache(root);
      const stats = await getCacheStats(root);
      const total = stats.bytes + stats.blobs.bytes;
      const result = await pruneCache(root, { maxSize: total - 1, now: clock.now });
      assert.deepEqual(versions(result.removed), ["aws@1.0.0"]);
    });
  });
});

Deno.test("clearCache() and removeFromCache() remove entries and their blobs", async (t) => {
  await t.step("by type", async () => {
    await withTempDir(async (root) => {
      await knownCache(root);
      const result = await clearCache(root, { type: "provider" });
      assert.deepEqual(versions(result.removed), ["aws@1.0.0", "aws@1.10.0", "aws@1.2.0"]);
      assert.equal(result.blobsRemoved, 3);
      assert.deepEqual(versions(await listCached(root)), ["web@0.1.0", "k8s@1.28.0"]);
      assert.deepEqual(await listTree(join(root, "extensions/provider")), []);
    });
  });
  await t.step("by name", async () => {
    await withTempDir(async (root) => {
      await knownCache(root);
      const result = await clearCache(root, { name: "web" });
      assert.deepEqual(versions(result.removed), ["web@0.1.0"]);
    });
  });
  await t.step("all", async () => {
    await withTempDir(async (root) => {
      const { entries } = await knownCache(root);
      const result = await clearCache(root, { all: true });
      assert.equal(result.removed.length, 5);
      assert.equal(result.freedBytes, Object.values(entries).reduce((s, e) => s + e.size, 0));
      assert.deepEqual(
        (await listTree(root)).filter((p) => !p.startsWith("locks/")),
        [
          ".provisioning-cache",
          "blobs/",
          "blobs/sha256/",
          "extensions/",
          "extensions/cluster/",
          "extensions/provider/",
          "extensions/taskserv/",
          "index.json",
          "tmp/",
        ],
      );
      assert.deepEqual(await getCacheStats(root), {
        root,
        entries: 0,
        bytes: 0,
        byType: {},
        blobs: { count: 0, bytes: 0 },
        leftovers: { count: 0, bytes: 0 },
      });
    });
  });
  await t.step("one entry", async () => {
    await withTempDir(async (root) => {
      const { entries } = await knownCache(root);
      const removed = await removeFromCache(root, "provider", "aws", "1.2.0");
      assert.deepEqual(removed, entries["aws@1.2.0"]);
      assert.equal(await removeFromCache(root, "provider", "aws", "1.2.0"), undefined);
      assert.equal((await getCacheStats(root)).blobs.count, 4);
    });
  });
});

Deno.test("findBestCached() picks among cached versions", async () => {
  await withTempDir(async (root) => {
    const { entries, clock } = await knownCache(root);
    const highest = (vs: string[]) => vs.at(-1);
    const options = { now: clock.now, touchIntervalMs: Infinity };
    assert.deepEqual(
      await findBestCached(root, "provider", "aws", highest, options),
      entries["aws@1.10.0"],
    );
    assert.deepEqual(
      await findBestCached(root, undefined, "k8s", highest, options),
      entries["k8s@1.28.0"],
    );
    let offered: string[] = [];
    const none = await findBestCached(root, undefined, "aws", (vs) => {
      offered = vs;
      return undefined;
    }, options);
    assert.equal(none, undefined);
    assert.deepEqual(offered, ["1.0.0", "1.2.0", "1.10.0"]);
    assert.equal(await findBestCached(root, "cluster", "aws", highest, options), undefined);
  });
});

Deno.test("an entry whose extension.yaml was deleted by hand is broken: listed, never served", async () => {
  await withTempDir(async (root) => {
    const { entries } = await knownCache(root);
    const aws = entries["aws@1.2.0"]!;
    await Deno.remove(join(aws.path, "extension.yaml"));
    assert.deepEqual(
      (await listCached(root, { withBroken: true, name: "aws" })).map((e) => [e.version, e.broken]),
      [["1.0.0", undefined], ["1.2.0", "extension.yaml is missing"], ["1.10.0", undefined]],
    );
    assert.deepEqual(versions(await listCached(root, { name: "aws" })), [
      "aws@1.0.0",
      "aws@1.10.0",
    ]);
    assert.equal(await getFromCache(root, "provider", "aws", "1.2.0"), undefined);
    assert.equal((await getCacheStats(root)).entries, 5, "stats still count it");
    // A save of the same content does not take the broken entry for a hit: it fetches again.
    const layer = blobOf(await extensionArchive("aws", "1.2.0"));
    const again = await saveOciToCache(root, { type: "provider", name: "aws", version: "1.2.0" }, {
      layer,
    });
    assert.ok((await Deno.lstat(join(again.path, "extension.yaml"))).isFile);
    assert.equal((await getFromCache(root, "provider", "aws", "1.2.0"))?.path, aws.path);
    assert.equal((await listCached(root, { withBroken: true })).filter((e) => e.broken).length, 0);
  });
});
