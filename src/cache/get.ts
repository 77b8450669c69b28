/**
 * Cache lookups: one entry by key, without locking on the hit path.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { isProvisioningError } from "../errors.ts";
import { lstatOrUndefined } from "./_fs.ts";
import { parseRecord, readEntryRecord, toEntry } from "./entry_record.ts";
import { loadIndex, mutateIndex, readIndexUnchecked } from "./index_file.ts";
import { assertValidKey, entryDir, entryLockId, entryMetaPath, keyString } from "./layout.ts";
import { tryAcquireLock } from "./lock.ts";
import { resolveCacheRoot } from "./root.ts";
import { MANIFEST_FILE } from "./tree.ts";
import { hasRealDir } from "./safe_dirs.ts";
import type { CacheEntry, CacheKey, CacheRecord, GetOptions } from "./types.ts";
import type { ExtensionType } from "../manifest/types.ts";

/** Default minimum time between two `lastUsedAt` updates of one entry: one minute. */
export const DEFAULT_TOUCH_INTERVAL_MS = 60_000;

/**
 * Looks an entry up: reads the index (rebuilding it when missing or corrupt) and checks the
 * entry's directory exists and holds `extension.yaml` (a broken entry, whose manifest was
 * deleted, is a miss and is kept for `listCached` to report). An index row whose directory
 * is gone is dropped; a complete
 * entry on disk (directory plus record file) missing from the index is re-indexed. A hit
 * updates `lastUsedAt` at most once per `touchIntervalMs`, so most hits write nothing.
 * A root that does not exist is a miss and creates nothing. The root is resolved once with
 * `realPath` and the entry's `path` is below the real root.
 *
 * @example
 * ```ts
 * import { getFromCache } from "./get.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * assert.equal(await getFromCache(root, "provider", "aws", "1.0.0"), undefined);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param type Extension type.
 * @param name Extension name.
 * @param version Exact version.
 * @param options Clock and touch interval.
 * @returns The entry, or undefined on a miss.
 * @throws {ProvisioningError} `USAGE` when type, name or version cannot be a cache key;
 * `INTEGRITY` when a cache folder on the way (`extensions/{type}/{name}`) is a symlink or
 * not a directory.
 */
export async function getFromCache(
  root: string,
  type: ExtensionType,
  name: string,
  version: string,
  options: GetOptions = {},
): Promise<CacheEntry | undefined> {
  const key: CacheKey = { type, name, version };
  assertValidKey(key);
  const real = await resolveCacheRoot(root);
  if (real === undefined) return undefined;
  const record = await lookupRecord(real, key, options);
  if (!record || options.accept?.(record) === false) return undefined;
  await touch(real, record, options);
  return toEntry(real, record);
}

/**
 * Finds a complete, visible entry's record, repairing the index on the way (best effort).
 * Shared with the save path, which must not touch. `root` is the real root; the folders
 * above the entry (`extensions/{type}/{name}`) are checked, so a link planted there is
 * refused rather than served.
 */
export async function lookupRecord(
  root: string,
  key: CacheKey,
  options: GetOptions,
): Promise<CacheRecord | undefined> {
  const k = keyString(key);
  const dir = entryDir(root, key);
  const parentExists = await hasRealDir(root, ["extensions", key.type, key.name]);
  // Only the row used is checked; a bad row means a corrupt index, which is rebuilt.
  const raw = await readIndexUnchecked(root);
  let indexed = raw === undefined || raw[k] === undefined ? undefined : parseRecord(raw[k]);
  if (raw === undefined || (raw[k] !== undefined && (!indexed || keyString(indexed) !== k))) {
    indexed = (await loadIndex(root, options))[k];
  }
  const isDir = parentExists && (await lstatOrUndefined(dir))?.isDirectory === true;
  if (indexed) {
    if (isDir) return usable(dir) ? indexed : undefined;
    await repair(root, key, options).catch(rethrowIntegrity);
    return undefined;
  }
  if (!isDir) return undefined;
  const record = await repair(root, key, options).catch(rethrowIntegrity);
  return record && usable(dir) ? record : undefined;
}

/**
 * Whether an entry's folder still holds its `extension.yaml`: one deleted by hand makes the
 * entry broken, a miss (a load fetches it again, replacing the folder; `ext cache list`
 * marks it).
 */
function usable(dir: string): boolean {
  try {
    return Deno.lstatSync(join(dir, MANIFEST_FILE)).isFile;
  } catch {
    return false;
  }
}

/**
 * Makes the index row of `key` agree with the disk, unless another process is working on
 * the entry. Returns the record when the entry is complete.
 */
async function repair(
  root: string,
  key: CacheKey,
  options: GetOptions,
): Promise<CacheRecord | undefined> {
  using lock = await tryAcquireLock(root, entryLockId(key));
  if (!lock) return undefined;
  const isDir = await hasRealDir(root, ["extensions", key.type, key.name]) &&
    (await lstatOrUndefined(entryDir(root, key)))?.isDirectory === true;
  const record = isDir ? await readEntryRecord(root, key) : undefined;
  await mutateIndex(root, (rows) => {
    if (record) rows[keyString(key)] = record;
    else delete rows[keyString(key)];
  }, options);
  return record;
}

/** Best-effort repairs ignore failures, except a refused (planted) path. */
function rethrowIntegrity(error: unknown): undefined {
  if (isProvisioningError(error, "INTEGRITY")) throw error;
  return undefined;
}

async function touch(root: string, record: CacheRecord, options: GetOptions): Promise<void> {
  const interval = options.touchIntervalMs ?? DEFAULT_TOUCH_INTERVAL_MS;
  const now = (options.now ?? (() => new Date()))();
  if (!(now.getTime() - Date.parse(record.lastUsedAt) >= interval)) return;
  const when = now.toISOString();
  try {
    await mutateIndex(root, (rows) => {
      const row = rows[keyString(record)];
      if (row) row.lastUsedAt = when;
    }, options);
    // The record file keeps the time too (as its mtime), for rebuilds; utime follows
    // links, so only a regular file is touched.
    const meta = entryMetaPath(root, record);
    if ((await lstatOrUndefined(meta))?.isFile) await Deno.utime(meta, now, now).catch(() => {});
    record.lastUsedAt = when;
  } catch (error) {
    // A read-only cache still serves hits; a planted link is reported.
    rethrowIntegrity(error);
  }
}
