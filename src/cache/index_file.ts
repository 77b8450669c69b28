/**
 * The index, `<root>/index.json`: `{ "schema": 1, "entries": { "{type}/{name}/{version}":
 * record } }`. Readers never lock (the file is replaced by rename, so it is always whole);
 * writers hold `locks/index.lock` while they read, change and replace it. A missing or
 * corrupt index is rebuilt from the entry directories and their record files.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { writeFileAtomic } from "./_fs.ts";
import { lstatOrUndefined, readDirOrEmpty } from "./_fs.ts";
import { parseRecord, readEntryRecord } from "./entry_record.ts";
import {
  cachePaths,
  ENTRY_META_SUFFIX,
  entryDir,
  entryLockId,
  entryMetaPath,
  INDEX_LOCK_ID,
  isValidKey,
  keyString,
} from "./layout.ts";
import { tryAcquireLock, withLock } from "./lock.ts";
import { resolveCacheRoot, writeMarkerIfMissing } from "./root.ts";
import { ensureRealDir, hasRealDir, refuseLinkedEntry, unexpectedCachePath } from "./safe_dirs.ts";
import { isReadOnlyError } from "./_write_errors.ts";
import type { CacheKey, CacheOptions, CacheRecord } from "./types.ts";
import { EXTENSION_TYPES } from "../manifest/types.ts";

/** Index rows by `{type}/{name}/{version}`. */
export type IndexEntries = Record<string, CacheRecord>;

const SCHEMA = 1;

/**
 * Reads the index without locking and without checking its rows (see
 * {@linkcode readIndex}); for single-key lookups, which check only the row they use.
 *
 * @example
 * ```ts
 * import { readIndexUnchecked } from "./index_file.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/index.json`, '{"schema":1,"entries":{"a":1}}');
 * assert.deepEqual(await readIndexUnchecked(root), { a: 1 });
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @returns The raw rows, or undefined when the index is missing or not an index.
 * @throws {ProvisioningError} `INTEGRITY` when `index.json` is a folder (or anything but a file).
 */
export async function readIndexUnchecked(
  root: string,
): Promise<Record<string, unknown> | undefined> {
  const path = cachePaths(root).index;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    // A folder (or a device, a socket…) where the index belongs: say so, naming it.
    const info = await lstatOrUndefined(path).catch(() => undefined);
    if (info !== undefined && !info.isFile && !info.isSymlink) {
      throw unexpectedCachePath(path, info, "file");
    }
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null) return undefined;
  const { schema, entries } = data as { schema?: unknown; entries?: unknown };
  if (schema !== SCHEMA || typeof entries !== "object" || entries === null) return undefined;
  if (Array.isArray(entries)) return undefined;
  return entries as Record<string, unknown>;
}

/**
 * Reads the index without locking.
 *
 * @example
 * ```ts
 * import { readIndex } from "./index_file.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * assert.equal(await readIndex(root), undefined);
 * await Deno.writeTextFile(`${root}/index.json`, '{"schema":1,"entries":{}}');
 * assert.deepEqual(await readIndex(root), {});
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @returns The rows, or undefined when the index is missing or corrupt (any invalid row).
 */
export async function readIndex(root: string): Promise<IndexEntries | undefined> {
  const entries = await readIndexUnchecked(root);
  if (!entries) return undefined;
  const rows: IndexEntries = {};
  for (const [key, value] of Object.entries(entries)) {
    const record = parseRecord(value);
    if (!record || keyString(record) !== key) return undefined;
    rows[key] = record;
  }
  return rows;
}

async function writeIndex(root: string, entries: IndexEntries): Promise<void> {
  const sorted: IndexEntries = {};
  for (const key of Object.keys(entries).sort()) sorted[key] = entries[key]!;
  await writeFileAtomic(
    root,
    INDEX_LOCK_ID,
    cachePaths(root).index,
    JSON.stringify({ schema: SCHEMA, entries: sorted }) + "\n",
  );
}

async function ensureWritable(root: string): Promise<void> {
  await ensureRealDir(root, ["tmp"]);
  await ensureRealDir(root, ["locks"]);
}

/**
 * Returns the index rows, rebuilding the index from disk when it is missing or corrupt. On
 * a cache that cannot be written the rebuilt rows are returned without being saved. A root
 * that does not exist yields no rows and creates nothing. The root is resolved with
 * `realPath`; the cache folders used are checked with `lstat`.
 *
 * @example
 * ```ts
 * import { loadIndex } from "./index_file.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/index.json`, "{corrupt");
 * assert.deepEqual(await loadIndex(root), {});
 * assert.equal(JSON.parse(await Deno.readTextFile(`${root}/index.json`)).schema, 1);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param options Clock.
 * @returns The rows.
 * @throws {ProvisioningError} `INTEGRITY` when a cache folder it uses is a symlink or not a
 * directory (see `safe_dirs.ts`).
 */
export async function loadIndex(root: string, options: CacheOptions = {}): Promise<IndexEntries> {
  const real = await resolveCacheRoot(root);
  return real === undefined ? {} : await loadRealIndex(real, options);
}

async function loadRealIndex(root: string, options: CacheOptions): Promise<IndexEntries> {
  const rows = await readIndex(root);
  if (rows) return rows;
  try {
    await ensureWritable(root);
    return await withLock(root, INDEX_LOCK_ID, async () => {
      const again = await readIndex(root);
      if (again) return again;
      const rebuilt = await scanEntries(root, true);
      await writeMarkerIfMissing(root, options.now);
      await writeIndex(root, rebuilt);
      return rebuilt;
    });
  } catch (error) {
    if (isReadOnlyError(error) || error instanceof Deno.errors.NotCapable) {
      return await scanEntries(root, false);
    }
    throw error;
  }
}

/**
 * Changes the index under its lock: reads it (rebuilding when missing or corrupt), applies
 * `change` and writes it back atomically. Callers holding an entry lock may call this; the
 * index lock is never held while waiting for an entry lock.
 *
 * @example
 * ```ts
 * import { mutateIndex, readIndex } from "./index_file.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * const t = new Date(0).toISOString();
 * await mutateIndex(root, (rows) => {
 *   rows["provider/aws/1.0.0"] = {
 *     type: "provider", name: "aws", version: "1.0.0", source: "oci", size: 0, files: 0,
 *     pulledAt: t, lastUsedAt: t,
 *   };
 * });
 * assert.deepEqual(Object.keys((await readIndex(root))!), ["provider/aws/1.0.0"]);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param change Mutates the rows in place; its result is returned.
 * @param options Clock (for a rebuild).
 * @returns What `change` returned.
 * @throws {ProvisioningError} `INTEGRITY` when a cache folder it uses is a symlink or not a
 * directory (see `safe_dirs.ts`).
 */
export async function mutateIndex<T>(
  root: string,
  change: (rows: IndexEntries) => T,
  options: CacheOptions = {},
): Promise<T> {
  await ensureWritable(root);
  return await withLock(root, INDEX_LOCK_ID, async () => {
    const rows = await readIndex(root) ?? await scanEntries(root, true);
    const result = change(rows);
    // A cache adopted from before the marker existed is claimed by its first write.
    await writeMarkerIfMissing(root, options.now);
    await writeIndex(root, rows);
    return result;
  });
}

/**
 * Rebuilds the index from disk, whatever its state: every `{type}/{name}/{version}`
 * directory with a valid record file beside it is indexed with that record; a directory
 * without one is not the cache's (a save writes the record before the directory appears)
 * and is left alone, never indexed; record files without a directory are deleted. Entries
 * another process is writing are left to it.
 *
 * @example
 * ```ts
 * import { rebuildIndex } from "./index_file.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${root}/index.json`, "{corrupt");
 * await Deno.mkdir(`${root}/extensions/provider/aws/1.0.0`, { recursive: true });
 * await Deno.writeTextFile(`${root}/extensions/provider/aws/1.0.0/extension.yaml`, "");
 * assert.deepEqual(await rebuildIndex(root), {}); // no record file: not the cache's
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param _options Clock (unused since no record is made up any more; kept for callers).
 * @returns The rows written.
 * @throws {ProvisioningError} `INTEGRITY` when a cache folder it uses is a symlink or not a
 * directory (see `safe_dirs.ts`); `CACHE_ROOT_NOT_OWNED` for a folder the cache did not make.
 */
export async function rebuildIndex(
  root: string,
  _options: CacheOptions = {},
): Promise<IndexEntries> {
  const real = (await resolveCacheRoot(root, { create: true }))!;
  await ensureWritable(real);
  return await withLock(real, INDEX_LOCK_ID, async () => {
    const rows = await scanEntries(real, true);
    await writeIndex(real, rows);
    return rows;
  });
}

/** Reads every entry from disk. With `repair`, deletes record files without a directory. */
async function scanEntries(root: string, repair: boolean): Promise<IndexEntries> {
  const rows: IndexEntries = {};
  const extensions = cachePaths(root).extensions;
  // readDir entries describe a link as a link: walking them never follows one, and a
  // link where a type or name folder belongs is refused.
  if (!(await hasRealDir(root, ["extensions"]))) return rows;
  for (const typeEntry of await readDirOrEmpty(extensions)) {
    const type = typeEntry.name as CacheKey["type"];
    if (!EXTENSION_TYPES.includes(type)) continue;
    refuseLinkedEntry(extensions, typeEntry);
    if (!typeEntry.isDirectory) continue;
    for (const nameEntry of await readDirOrEmpty(join(extensions, type))) {
      refuseLinkedEntry(join(extensions, type), nameEntry);
      if (!nameEntry.isDirectory) continue;
      const nameDir = join(extensions, type, nameEntry.name);
      const items = await readDirOrEmpty(nameDir);
      const dirs = new Set(items.filter((i) => i.isDirectory).map((i) => i.name));
      for (const item of items) {
        if (item.isDirectory) {
          const key = { type, name: nameEntry.name, version: item.name };
          if (!isValidKey(key)) continue;
          const record = await scanEntry(root, key);
          if (record) rows[keyString(key)] = record;
        } else if (repair && item.isFile && item.name.startsWith(".")) {
          if (!item.name.endsWith(ENTRY_META_SUFFIX)) continue;
          const version = item.name.slice(1, -ENTRY_META_SUFFIX.length);
          const key = { type, name: nameEntry.name, version };
          if (!isValidKey(key) || dirs.has(version)) continue;
          await removeOrphanRecord(root, key);
        }
      }
    }
  }
  return rows;
}

async function scanEntry(root: string, key: CacheKey): Promise<CacheRecord | undefined> {
  // Only folders the cache recorded are entries: a save writes the record file before the
  // folder appears, so a folder without one is not the cache's (it is never listed, served
  // or removed).
  const record = await readEntryRecord(root, key);
  if (!record) return undefined;
  // getFromCache marks a use by touching the record file's mtime.
  const mtime = (await lstatOrUndefined(entryMetaPath(root, key)))?.mtime;
  if (mtime && mtime.getTime() > Date.parse(record.lastUsedAt)) {
    record.lastUsedAt = mtime.toISOString();
  }
  return record;
}

async function removeOrphanRecord(root: string, key: CacheKey): Promise<void> {
  const lock = await tryAcquireLock(root, entryLockId(key));
  if (!lock) return;
  try {
    if (!(await lstatOrUndefined(entryDir(root, key)))) {
      await Deno.remove(entryMetaPath(root, key)).catch(() => {});
    }
  } finally {
    lock.release();
  }
}
