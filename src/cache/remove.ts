/**
 * Removing entries: one by key, or a selection (`clear`). Each entry's directory is moved
 * out of sight into `tmp/` under the entry's lock before its index row and record file go,
 * so a crash leaves no half entry; blobs no remaining entry references are deleted.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { lstatOrUndefined, readDirOrEmpty, removeQuietly, tmpPath } from "./_fs.ts";
import { readEntryRecord, toEntry } from "./entry_record.ts";
import { loadIndex, mutateIndex } from "./index_file.ts";
import {
  assertValidKey,
  blobPath,
  cachePaths,
  entryDir,
  entryLockId,
  entryMetaPath,
  keyString,
  parseDigest,
} from "./layout.ts";
import { acquireLock, type HeldLock, tryAcquireLock } from "./lock.ts";
import { resolveCacheRoot } from "./root.ts";
import { ensureRealDir, hasRealDir, refuseLinkedEntry } from "./safe_dirs.ts";
import { sweepLeftovers } from "./sweep.ts";
import { emptyRemoval, rethrowIntegrity } from "./_removal.ts";
import { cacheWriteError } from "./_write_errors.ts";
import type {
  CacheEntry,
  CacheKey,
  CacheOptions,
  CacheRecord,
  ClearOptions,
  RemovalResult,
} from "./types.ts";
import type { ExtensionType } from "../manifest/types.ts";

/** At most this many entry locks are held at once while removing. */
const BATCH = 128;

/** What {@linkcode removeEntries} did. */
export interface RemovedEntries {
  removed: CacheEntry[];
  skipped: string[];
}

/**
 * Removes entries. With `wait`, waits for each entry's lock; otherwise skips entries
 * another process is using (reported in `skipped`). `root` is the real root. Every folder
 * used (`tmp`, `extensions/{type}/{name}`) is checked before anything is moved, so a
 * planted link refuses the whole removal rather than part of it.
 */
export async function removeEntries(
  root: string,
  keys: readonly CacheKey[],
  options: CacheOptions & { wait: boolean },
): Promise<RemovedEntries> {
  const removed: CacheEntry[] = [];
  const skipped: string[] = [];
  if (keys.length === 0) return { removed, skipped };
  await ensureRealDir(root, ["tmp"]);
  for (const group of new Set(keys.map((key) => `${key.type}/${key.name}`))) {
    await hasRealDir(root, ["extensions", ...group.split("/")]);
  }
  // One global lock order, so two processes clearing at once cannot deadlock.
  const ordered = [...keys].sort((a, b) => (keyString(a) < keyString(b) ? -1 : 1));
  for (let start = 0; start < ordered.length; start += BATCH) {
    const batch = ordered.slice(start, start + BATCH);
    const locks: HeldLock[] = [];
    const trash: string[] = [];
    const held: CacheKey[] = [];
    const records = new Map<string, CacheRecord>();
    try {
      for (const key of batch) {
        const lockId = entryLockId(key);
        const lock = options.wait
          ? await acquireLock(root, lockId)
          : await tryAcquireLock(root, lockId);
        if (!lock) {
          skipped.push(keyString(key));
          continue;
        }
        locks.push(lock);
        held.push(key);
        const record = await readEntryRecord(root, key);
        if (record) records.set(keyString(key), record);
        const dir = entryDir(root, key);
        if (await lstatOrUndefined(dir)) {
          const to = tmpPath(root, lockId, "trash");
          await Deno.rename(dir, to);
          trash.push(to);
        }
      }
      if (held.length === 0) continue;
      await mutateIndex(root, (rows) => {
        for (const key of held) {
          const k = keyString(key);
          const row = rows[k];
          if (row) records.set(k, row);
          delete rows[k];
        }
      }, options);
      for (const key of held) {
        await Deno.remove(entryMetaPath(root, key)).catch(() => {});
        const record = records.get(keyString(key));
        if (record) removed.push(toEntry(root, record));
      }
    } finally {
      for (const path of trash) await removeQuietly(path).catch(() => {});
      for (const lock of locks) lock.release();
    }
    await removeEmptyParents(root, held);
  }
  return { removed, skipped };
}

/** Removes `{type}/{name}` directories left empty (savers recreate them when needed). */
async function removeEmptyParents(root: string, keys: readonly CacheKey[]): Promise<void> {
  const names = new Set(keys.map((key) => join(key.type, key.name)));
  for (const name of names) {
    await Deno.remove(join(cachePaths(root).extensions, name)).catch(() => {});
  }
}

/**
 * Deletes blobs no index row references. With `candidates`, only those digests are
 * considered; otherwise every stored blob. Returns the count and bytes deleted.
 */
export async function collectBlobs(
  root: string,
  candidates?: ReadonlySet<string>,
  options: CacheOptions = {},
): Promise<{ count: number; bytes: number }> {
  const freed = { count: 0, bytes: 0 };
  const rows = await loadIndex(root, options);
  // Folders are checked before anything in them is deleted: readDir entries describe a
  // link as a link, and a candidate's folder is lstat-ed below.
  if (!(await hasRealDir(root, ["blobs"]))) return freed;
  const used = new Set(Object.values(rows).map((row) => row.blobDigest));
  const digests: string[] = [];
  if (candidates) {
    digests.push(...candidates);
  } else {
    for (const algorithm of await readDirOrEmpty(cachePaths(root).blobs)) {
      refuseLinkedEntry(cachePaths(root).blobs, algorithm);
      if (!algorithm.isDirectory) continue;
      for (const blob of await readDirOrEmpty(join(cachePaths(root).blobs, algorithm.name))) {
        digests.push(`${algorithm.name}:${blob.name}`);
      }
    }
  }
  for (const digest of digests) {
    if (used.has(digest)) continue;
    let path: string;
    let algorithm: string;
    try {
      path = blobPath(root, digest);
      algorithm = parseDigest(digest).algorithm;
    } catch {
      continue;
    }
    if (!(await hasRealDir(root, ["blobs", algorithm]))) continue;
    const info = await lstatOrUndefined(path);
    if (!info?.isFile) continue;
    try {
      await Deno.remove(path);
      freed.count++;
      freed.bytes += info.size;
    } catch {
      // Already gone.
    }
  }
  return freed;
}

/**
 * Removes one entry (waiting for a save in progress to finish) and its blob when no other
 * entry uses it.
 *
 * @example
 * ```ts
 * import { removeFromCache } from "./remove.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * assert.equal(await removeFromCache(root, "provider", "aws", "1.0.0"), undefined);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param type Extension type.
 * @param name Extension name.
 * @param version Exact version.
 * @param options Clock.
 * @returns The removed entry, or undefined when it was not cached.
 * @throws {ProvisioningError} `USAGE` for a bad key; `INTEGRITY` when a cache folder it uses
 * is a symlink or not a directory (nothing is removed then).
 */
export async function removeFromCache(
  root: string,
  type: ExtensionType,
  name: string,
  version: string,
  options: CacheOptions = {},
): Promise<CacheEntry | undefined> {
  const key = { type, name, version };
  assertValidKey(key);
  try {
    const real = await resolveCacheRoot(root);
    if (real === undefined) return undefined;
    const { removed } = await removeEntries(real, [key], { ...options, wait: true });
    const entry = removed[0];
    if (entry?.blobDigest) await collectBlobs(real, new Set([entry.blobDigest]), options);
    return entry;
  } catch (error) {
    throw cacheWriteError(error, root, `remove "${keyString(key)}" from the cache`);
  }
}

/**
 * Removes every entry (`all`), or those of a type and/or name; waits for saves in
 * progress. Only entries the cache recorded (index rows, record files) are removed, never
 * other folders. With `all`, also deletes every unreferenced blob and the leftovers of
 * killed processes in `tmp/` (only the cache's own temporary names; see `sweepTmp`).
 *
 * @example
 * ```ts
 * import { clearCache } from "./remove.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * const result = await clearCache(root, { all: true });
 * assert.equal(result.removed.length, 0);
 * await assert.rejects(clearCache(root, {}), { code: "USAGE" });
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param options What to clear.
 * @returns What was removed.
 * @throws {ProvisioningError} `USAGE` when neither `all`, `type` nor `name` is given;
 * `INTEGRITY` when a cache folder it uses is a symlink or not a directory;
 * `CACHE_ROOT_NOT_OWNED` for a folder the cache did not make; `CACHE_READ_ONLY` when it
 * cannot be written.
 */
export async function clearCache(root: string, options: ClearOptions): Promise<RemovalResult> {
  const { type, name, all } = options;
  if (!all && type === undefined && name === undefined) {
    throw new ProvisioningError(
      "USAGE",
      "Cannot clear the cache without a selection: pass a type, a name or all",
    );
  }
  try {
    const real = await resolveCacheRoot(root);
    if (real === undefined) return emptyRemoval();
    const rows = Object.values(await loadIndex(real, options)).filter((row) =>
      all ||
      ((type === undefined || row.type === type) && (name === undefined || row.name === name))
    );
    const keys = rows.map(({ type, name, version }) => ({ type, name, version }));
    const { removed, skipped } = await removeEntries(real, keys, { ...options, wait: true });
    const candidates = new Set(removed.flatMap((e) => (e.blobDigest ? [e.blobDigest] : [])));
    const blobs = await collectBlobs(real, all ? undefined : candidates, options);
    const leftovers = all
      ? await sweepLeftovers(real, options).catch(rethrowIntegrity)
      : { count: 0, bytes: 0 };
    return {
      removed,
      freedBytes: removed.reduce((sum, e) => sum + e.size, 0),
      blobsRemoved: blobs.count,
      blobBytesFreed: blobs.bytes,
      skipped,
      leftoversRemoved: leftovers.count,
      leftoverBytesFreed: leftovers.bytes,
    };
  } catch (error) {
    throw cacheWriteError(error, root, "clear the cache");
  }
}
