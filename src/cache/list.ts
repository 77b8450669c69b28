/**
 * Reading the cache as a whole: listing, statistics, and the best cached version for
 * offline use.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { versionComparator } from "./_compare_versions.ts";
import { lstatOrUndefined, readDirOrEmpty } from "./_fs.ts";
import { toEntry } from "./entry_record.ts";
import { getFromCache } from "./get.ts";
import { loadIndex, mutateIndex } from "./index_file.ts";
import { cachePaths, entryDir, entryLockId, keyString } from "./layout.ts";
import { tryAcquireLock } from "./lock.ts";
import { countLeftovers } from "./sweep.ts";
import { MANIFEST_FILE } from "./tree.ts";
import { resolveCacheRoot } from "./root.ts";
import { hasRealDir, refuseLinkedEntry, unexpectedCachePath } from "./safe_dirs.ts";
import type {
  CacheEntry,
  CacheOptions,
  CacheRecord,
  CacheStats,
  GetOptions,
  ListFilter,
} from "./types.ts";
import type { ExtensionType } from "../manifest/types.ts";

/**
 * Lists cached entries, sorted by type, name and ascending version. Rows whose directory is
 * missing are left out (and dropped from the index when no process is using them); broken
 * entries (a directory without `extension.yaml`) are left out too, or, with
 * `filter.withBroken`, listed with `broken` saying why.
 *
 * @example
 * ```ts
 * import { listCached } from "./list.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * assert.deepEqual(await listCached(root, { type: "provider" }), []);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param filter Only entries matching every given field.
 * @param options Clock.
 * @returns The entries.
 * @throws {ProvisioningError} `INTEGRITY` when a cache folder it uses is a symlink or not a
 * directory (see `safe_dirs.ts`).
 */
export async function listCached(
  root: string,
  filter: ListFilter = {},
  options: CacheOptions = {},
): Promise<CacheEntry[]> {
  const real = await resolveCacheRoot(root);
  return real === undefined ? [] : await listRealRoot(real, filter, options);
}

async function listRealRoot(
  root: string,
  filter: ListFilter,
  options: CacheOptions,
): Promise<CacheEntry[]> {
  const rows = Object.values(await loadIndex(root, options)).filter((row) =>
    (filter.type === undefined || row.type === filter.type) &&
    (filter.name === undefined || row.name === filter.name) &&
    (filter.source === undefined || row.source === filter.source)
  );
  const present = await presentRows(root, rows);
  const missing = rows.filter((_, i) => !present[i]);
  if (missing.length > 0) await dropMissing(root, missing, options).catch(() => {});
  const byVersion = versionComparator();
  const entries: CacheEntry[] = [];
  for (
    const row of rows.filter((_, i) => present[i]).sort((a, b) => compareRecords(a, b, byVersion))
  ) {
    const entry = toEntry(root, row);
    if (!hasManifest(entry.path)) {
      if (!filter.withBroken) continue;
      entry.broken = `${MANIFEST_FILE} is missing`;
    }
    entries.push(entry);
  }
  return entries;
}

/** One synchronous `lstat` per entry: listing 10,000 entries stays cheap. */
function hasManifest(dir: string): boolean {
  try {
    return Deno.lstatSync(join(dir, MANIFEST_FILE)).isFile;
  } catch {
    return false;
  }
}

/**
 * Whether each row's directory exists: one `readDir` per type and per `{type}/{name}`, not
 * one `lstat` per row. The folders are checked without following links: `readDir` entries
 * describe links as links, so a linked `{name}` is seen and refused.
 */
async function presentRows(root: string, rows: readonly CacheRecord[]): Promise<boolean[]> {
  const extensions = cachePaths(root).extensions;
  if (rows.length === 0 || !(await hasRealDir(root, ["extensions"]))) return rows.map(() => false);
  const types = new Map<string, Promise<Map<string, Deno.DirEntry>>>();
  const groups = new Map<string, Promise<Set<string>>>();
  const versionsOf = async (type: string, name: string): Promise<Set<string>> => {
    let names = types.get(type);
    if (!names) {
      names = hasRealDir(root, ["extensions", type]).then(async (exists) =>
        exists
          ? new Map((await readDirOrEmpty(join(extensions, type))).map((i) => [i.name, i]))
          : new Map()
      );
      types.set(type, names);
    }
    const item = (await names).get(name);
    if (item === undefined) return new Set();
    if (!item.isDirectory) throw unexpectedCachePath(join(extensions, type, name), item, "folder");
    const items = await readDirOrEmpty(join(extensions, type, name));
    return new Set(items.filter((i) => i.isDirectory).map((i) => i.name));
  };
  for (const row of rows) {
    const group = `${row.type}/${row.name}`;
    if (!groups.has(group)) groups.set(group, versionsOf(row.type, row.name));
  }
  return await Promise.all(rows.map(async (row) => {
    return (await groups.get(`${row.type}/${row.name}`)!).has(row.version);
  }));
}

function compareRecords(
  a: CacheRecord,
  b: CacheRecord,
  byVersion: (a: string, b: string) => number,
): number {
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return byVersion(a.version, b.version);
}

/** Drops index rows whose directory is gone, skipping entries another process holds. */
async function dropMissing(
  root: string,
  rows: CacheRecord[],
  options: CacheOptions,
): Promise<void> {
  const locks = [];
  try {
    const gone: string[] = [];
    for (const row of rows) {
      const lock = await tryAcquireLock(root, entryLockId(row));
      if (!lock) continue;
      locks.push(lock);
      if (!(await lstatOrUndefined(entryDir(root, row)))) gone.push(keyString(row));
      if (locks.length >= 128) break;
    }
    if (gone.length === 0) return;
    await mutateIndex(root, (index) => {
      for (const k of gone) delete index[k];
    }, options);
  } finally {
    for (const lock of locks) lock.release();
  }
}

/**
 * Totals of the cache: entries, unpacked bytes per type, stored blobs, the cache's own
 * temporary files (`leftovers`), and the oldest and newest `lastUsedAt`. Creates nothing.
 *
 * @example
 * ```ts
 * import { getCacheStats } from "./list.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * const stats = await getCacheStats(root);
 * assert.equal(stats.entries, 0);
 * assert.equal(stats.oldestUse, undefined);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param options Clock.
 * @returns The statistics (`root` is the real root).
 * @throws {ProvisioningError} `INTEGRITY` when a cache folder it uses is a symlink or not a
 * directory (see `safe_dirs.ts`).
 */
export async function getCacheStats(root: string, options: CacheOptions = {}): Promise<CacheStats> {
  const resolved = await resolveCacheRoot(root);
  const real = resolved ?? root;
  const entries = await listCached(real, { withBroken: true }, options);
  const stats: CacheStats = {
    root: real,
    entries: entries.length,
    bytes: 0,
    byType: {},
    blobs: { count: 0, bytes: 0 },
    leftovers: { count: 0, bytes: 0 },
  };
  for (const entry of entries) {
    stats.bytes += entry.size;
    const perType = stats.byType[entry.type] ??= { entries: 0, bytes: 0 };
    perType.entries++;
    perType.bytes += entry.size;
    if (stats.oldestUse === undefined || entry.lastUsedAt < stats.oldestUse) {
      stats.oldestUse = entry.lastUsedAt;
    }
    if (stats.newestUse === undefined || entry.lastUsedAt > stats.newestUse) {
      stats.newestUse = entry.lastUsedAt;
    }
  }
  const sizes = await blobSizes(real);
  stats.blobs.count = sizes.size;
  for (const size of sizes.values()) stats.blobs.bytes += size;
  if (resolved !== undefined) stats.leftovers = await countLeftovers(resolved);
  return stats;
}

/**
 * Sizes of the stored blobs by digest.
 *
 * @example
 * ```ts
 * import { blobSizes } from "./list.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal((await blobSizes("/nonexistent")).size, 0);
 * ```
 *
 * @param root The cache root.
 * @returns Digest → bytes.
 * @throws {ProvisioningError} `INTEGRITY` when a cache folder it uses is a symlink or not a
 * directory (see `safe_dirs.ts`).
 */
export async function blobSizes(root: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const blobs = cachePaths(root).blobs;
  if (!(await hasRealDir(root, ["blobs"]))) return sizes;
  for (const algorithm of await readDirOrEmpty(blobs)) {
    refuseLinkedEntry(blobs, algorithm);
    if (!algorithm.isDirectory) continue;
    for (const blob of await readDirOrEmpty(join(blobs, algorithm.name))) {
      const info = await lstatOrUndefined(join(blobs, algorithm.name, blob.name));
      if (info?.isFile) sizes.set(`${algorithm.name}:${blob.name}`, info.size);
    }
  }
  return sizes;
}

/**
 * Finds the best cached version of an extension, for offline use: `pick` chooses among the
 * cached versions (typically the version resolver applied to the requested spec). Without a
 * type, every type is considered; when the chosen version is cached under several types the
 * most recently used wins. The hit is recorded like a {@linkcode getFromCache} hit.
 *
 * @example
 * ```ts
 * import { findBestCached } from "./list.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * const pickHighest = (versions: string[]) => versions.at(-1);
 * assert.equal(await findBestCached(root, undefined, "aws", pickHighest), undefined);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param type Extension type, or undefined for any.
 * @param name Extension name.
 * @param pick Chooses a version from the cached ones (given in ascending order), or
 * returns undefined when none fits.
 * @param options Clock and touch interval.
 * @returns The entry, or undefined when nothing suitable is cached.
 * @throws {ProvisioningError} `INTEGRITY` when a cache folder it uses is a symlink or not a
 * directory (see `safe_dirs.ts`).
 */
export async function findBestCached(
  root: string,
  type: ExtensionType | undefined,
  name: string,
  pick: (versions: string[]) => string | undefined,
  options: GetOptions = {},
): Promise<CacheEntry | undefined> {
  const entries = (await listCached(root, type === undefined ? { name } : { type, name }, options))
    .filter((entry) => options.accept?.(entry) !== false);
  const versions = [...new Set(entries.map((e) => e.version))].sort(versionComparator());
  const chosen = pick(versions);
  if (chosen === undefined) return undefined;
  const best = entries
    .filter((e) => e.version === chosen)
    .sort((a, b) => (a.lastUsedAt < b.lastUsedAt ? 1 : a.lastUsedAt > b.lastUsedAt ? -1 : 0))[0];
  if (!best) return undefined;
  return await getFromCache(root, best.type, best.name, best.version, options);
}
