/**
 * A symlink planted at one of the cache's fixed folders must never let the cache write,
 * rename or delete outside its root (Deno's write grant checks the path as written, so it
 * would not stop it). Each folder is planted in turn, every operation runs against it, and
 * the outside folder must be exactly as it was.
 */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { isProvisioningError } from "../../src/errors.ts";
import {
  clearCache,
  findBestCached,
  getCacheStats,
  getFromCache,
  listCached,
  loadIndex,
  pruneCache,
  rebuildIndex,
  removeFromCache,
  saveOciToCache,
  sweepTmp,
} from "../../src/cache/mod.ts";
import { blobOf, extensionArchive, withTempDir } from "../../src/cache/_testing.ts";

const AWS = { type: "provider" as const, name: "aws", version: "1.0.0" };

/** Every fixed folder the cache creates or uses, for the entry above. */
const FOLDERS = [
  "extensions",
  "extensions/provider",
  "extensions/provider/aws",
  "blobs",
  "blobs/sha256",
  "locks",
  "tmp",
];

/** A stale leftover in `tmp/` that a sweep deletes (if it could reach it). */
const STALE = "entry-000000000000000000000000.abcd.stage";

/** Paths, kinds, sizes, mtimes and file digests below `dir`, without following links. */
async function snapshot(dir: string): Promise<string[]> {
  const lines: string[] = [];
  async function walk(current: string, rel: string): Promise<void> {
    for await (const entry of Deno.readDir(current)) {
      const path = join(current, entry.name);
      const info = await Deno.lstat(path);
      const name = rel === "" ? entry.name : `${rel}/${entry.name}`;
      const hash = info.isFile
        ? createHash("sha256").update(await Deno.readFile(path)).digest("hex").slice(0, 12)
        : "";
      const kind = info.isDirectory ? "d" : info.isSymlink ? "l" : "f";
      lines.push(`${kind} ${name} ${info.size} ${info.mtime?.getTime()} ${hash}`);
      if (info.isDirectory) await walk(path, name);
    }
  }
  await walk(dir, "");
  return lines.sort();
}

/**
 * A cache with two saved entries (a stored blob, lock files, records) and a stale leftover
 * in `tmp/`; then `folder` is moved to `outside/victim` and a link to it is planted in its
 * place, as an attacker with write access to the cache folder could.
 */
async function plantedCache(
  dir: string,
  folder: string,
): Promise<{ cache: string; victim: string }> {
  const cache = join(dir, "cache");
  const outside = join(dir, "outside");
  await Deno.mkdir(outside);
  const archive = await extensionArchive("aws", "1.0.0");
  await saveOciToCache(cache, AWS, { layer: blobOf(archive) });
  const other = await extensionArchive("gcp", "2.0.0");
  await saveOciToCache(cache, { ...AWS, name: "gcp", version: "2.0.0" }, {
    layer: blobOf(other),
  });
  await Deno.mkdir(join(cache, "tmp", STALE));
  await Deno.writeTextFile(join(cache, "tmp", STALE, "x"), "stale");
  const old = new Date("2020-01-01");
  await Deno.utime(join(cache, "tmp", STALE), old, old);
  const victim = join(outside, "victim");
  await Deno.rename(join(cache, folder), victim);
  await Deno.symlink(victim, join(cache, folder));
  return { cache, victim };
}

type Operation = (cache: string) => Promise<unknown>;

const OPERATIONS: [string, Operation][] = [
  ["save of a new entry", async (cache) => {
    const archive = await extensionArchive("azure", "3.0.0");
    await saveOciToCache(cache, { ...AWS, name: "azure", version: "3.0.0" }, {
      layer: blobOf(archive),
    });
  }],
  ["forced save of the entry", async (cache) => {
    const archive = await extensionArchive("aws", "1.0.0");
    await saveOciToCache(cache, AWS, { layer: blobOf(archive) }, { force: true });
  }],
  ["get", (cache) => getFromCache(cache, "provider", "aws", "1.0.0")],
  [
    "get after an hour (records the use)",
    (cache) =>
      getFromCache(cache, "provider", "aws", "1.0.0", {
        now: () => new Date(Date.now() + 3_600_000),
      }),
  ],
  ["list", (cache) => listCached(cache)],
  ["stats", (cache) => getCacheStats(cache)],
  ["findBestCached", (cache) => findBestCached(cache, undefined, "aws", (v) => v.at(-1))],
  ["remove", (cache) => removeFromCache(cache, "provider", "aws", "1.0.0")],
  ["clear by name", (cache) => clearCache(cache, { name: "aws" })],
  ["clear all", (cache) => clearCache(cache, { all: true })],
  ["prune to nothing", (cache) => pruneCache(cache, { keep: 0 })],
  ["sweep", (cache) => sweepTmp(cache, { now: () => new Date() })],
  ["rebuild the index", (cache) => rebuildIndex(cache)],
  ["load a corrupt index", async (cache) => {
    await Deno.writeTextFile(join(cache, "index.json"), "{corrupt");
    return await loadIndex(cache);
  }],
];

Deno.test("saveOciToCache() refuses a symlink at each fixed folder and writes nothing through it", async (t) => {
  for (const folder of FOLDERS) {
    await t.step(folder, () =>
      withTempDir(async (dir) => {
        const { cache, victim } = await plantedCache(dir, folder);
        const before = await snapshot(victim);
        const archive = await extensionArchive("aws", "1.0.0");
        await assert.rejects(
          saveOciToCache(cache, AWS, { layer: blobOf(archive) }, { force: true }),
          (error) => {
            assert.ok(isProvisioningError(error, "INTEGRITY"), String(error));
            assert.equal(error.exitCode, 5);
            assert.equal(
              error.message,
              `Refusing cache folder "${join(cache, folder)}": it is a symbolic link`,
            );
            assert.match(error.hint ?? "", new RegExp(`Remove "${join(cache, folder)}"`));
            return true;
          },
        );
        assert.deepEqual(await snapshot(victim), before);
      }));
  }
});

Deno.test("saveOciToCache() refuses a file where a fixed folder belongs", async (t) => {
  for (const folder of FOLDERS) {
    await t.step(folder, () =>
      withTempDir(async (dir) => {
        const cache = join(dir, "cache");
        const parent = folder.split("/").slice(0, -1);
        await Deno.mkdir(join(cache, ...parent), { recursive: true });
        await Deno.writeTextFile(join(cache, folder), "not a folder");
        const archive = await extensionArchive("aws", "1.0.0");
        await assert.rejects(saveOciToCache(cache, AWS, { layer: blobOf(archive) }), {
          code: "INTEGRITY",
          message: `Refusing cache folder "${join(cache, folder)}": it is not a directory`,
        });
      }));
  }
});

Deno.test("no cache operation writes, renames or deletes through a planted folder link", async (t) => {
  for (const folder of FOLDERS) {
    for (const [label, operation] of OPERATIONS) {
      await t.step(`${folder}: ${label}`, () =>
        withTempDir(async (dir) => {
          const { cache, victim } = await plantedCache(dir, folder);
          const before = await snapshot(victim);
          try {
            await operation(cache);
          } catch (error) {
            // Refusing is fine; any other failure is not.
            assert.ok(isProvisioningError(error, "INTEGRITY"), String(error));
            assert.match(error.message, /is a symbolic link/);
          }
          assert.deepEqual(await snapshot(victim), before);
        }));
    }
  }
});

Deno.test("clearCache({ all }) refuses every planted folder link", async (t) => {
  // clear all touches every folder: each planted link is reported, none is skipped quietly.
  for (const folder of FOLDERS) {
    await t.step(folder, () =>
      withTempDir(async (dir) => {
        const { cache } = await plantedCache(dir, folder);
        await assert.rejects(clearCache(cache, { all: true }), {
          code: "INTEGRITY",
          message: `Refusing cache folder "${join(cache, folder)}": it is a symbolic link`,
        });
      }));
  }
});

/** Plants a link to `victim` at one of an entry's own paths; returns where. */
type PlantLink = (cache: string, victim: string, digest: string) => Promise<string>;

async function linkAt(path: string, victim: string): Promise<string> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.symlink(victim, path);
  return path;
}

Deno.test("links at an entry's own paths are replaced or refused, never followed", async (t) => {
  const cases: [string, PlantLink, "replaced" | "refused"][] = [
    [
      "the entry directory",
      (c, v) => linkAt(join(c, "extensions/provider/aws/1.0.0"), v),
      "replaced",
    ],
    [
      "the record file",
      (c, v) => linkAt(join(c, "extensions/provider/aws/.1.0.0.entry.json"), v),
      "replaced",
    ],
    ["the index", (c, v) => linkAt(join(c, "index.json"), v), "replaced"],
    [
      "the stored blob",
      (c, v, digest) => linkAt(join(c, "blobs/sha256", digest.slice(7)), v),
      "replaced",
    ],
    ["the entry's lock file", async (c, v) => {
      // Lock files are named after the key: save once, then swap each for a link.
      const archive = await extensionArchive("aws", "1.0.0");
      await saveOciToCache(c, AWS, { layer: blobOf(archive) });
      let planted = "";
      for (const entry of [...Deno.readDirSync(join(c, "locks"))]) {
        await Deno.remove(join(c, "locks", entry.name));
        if (entry.name.startsWith("entry-")) planted = join(c, "locks", entry.name);
        await Deno.symlink(v, join(c, "locks", entry.name));
      }
      return planted;
    }, "refused"],
  ];
  for (const [label, plant, outcome] of cases) {
    await t.step(`${label} is ${outcome}`, () =>
      withTempDir(async (dir) => {
        const cache = join(dir, "cache");
        const outside = join(dir, "outside");
        await Deno.mkdir(outside);
        await Deno.writeTextFile(join(outside, "victim"), "original");
        const layer = blobOf(await extensionArchive("aws", "1.0.0"));
        const planted = await plant(cache, join(outside, "victim"), layer.digest);
        const before = await snapshot(outside);
        const save = saveOciToCache(cache, AWS, { layer }, { force: true });
        if (outcome === "refused") {
          await assert.rejects(save, {
            code: "INTEGRITY",
            message: `Refusing cache file "${planted}": it is a symbolic link`,
          });
        } else {
          const entry = await save;
          assert.equal((await Deno.lstat(planted)).isSymlink, false);
          assert.equal(await Deno.readTextFile(join(entry.path, "kcl/main.k")), 'name = "aws"\n');
        }
        assert.deepEqual(await snapshot(outside), before);
      }));
  }
});

Deno.test("a cache root that is itself a symlink is resolved once and used", () =>
  withTempDir(async (dir) => {
    const real = join(await Deno.realPath(dir), "real-cache");
    await Deno.mkdir(real);
    await Deno.symlink(real, join(dir, "cache"));
    const archive = await extensionArchive("aws", "1.0.0");
    const saved = await saveOciToCache(join(dir, "cache"), AWS, { layer: blobOf(archive) });
    assert.equal(saved.path, join(real, "extensions/provider/aws/1.0.0"));
    const got = await getFromCache(join(dir, "cache"), "provider", "aws", "1.0.0");
    assert.equal(got?.path, saved.path);
    assert.equal((await getCacheStats(join(dir, "cache"))).root, real);
    assert.equal((await clearCache(join(dir, "cache"), { all: true })).removed.length, 1);
    assert.equal((await Deno.lstat(join(dir, "cache"))).isSymlink, true);
  }));
