/**
 * Removal of leftovers in `tmp/` from processes that died (SIGKILL, power loss of the
 * process, a crash): every temporary path is named `<lockId>.<random>.<kind>` and only
 * written while its owner holds `locks/<lockId>.lock`, so a path whose lock can be taken has
 * no live owner.
 *
 * @module
 */

import { join } from "node:path";
import { lstatOrUndefined, readDirOrEmpty, removeQuietly } from "./_fs.ts";
import { cachePaths, isLockId } from "./layout.ts";
import { tryAcquireLock } from "./lock.ts";
import { hasRealDir, resolveCacheRoot } from "./safe_dirs.ts";
import type { CacheOptions } from "./types.ts";

/** Unrecognised names in `tmp/` are removed once older than this (1 hour). */
const FOREIGN_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * Removes stale leftovers from `<root>/tmp/`: those whose lock no live process holds, and
 * unrecognised names older than an hour. Leftovers of live operations are kept.
 *
 * @example
 * ```ts
 * import { sweepTmp } from "./sweep.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/tmp/entry-000000000000000000000000.abcd.stage`, { recursive: true });
 * assert.equal(await sweepTmp(root), 1);
 * assert.deepEqual([...Deno.readDirSync(`${root}/tmp`)], []);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param options Clock (age of unrecognised names).
 * @returns How many paths were removed.
 * @throws {ProvisioningError} `INTEGRITY` when `tmp` or `locks` is a symlink or not a
 * directory.
 */
export async function sweepTmp(root: string, options: CacheOptions = {}): Promise<number> {
  const real = await resolveCacheRoot(root);
  // Never list (or delete in) a `tmp` that is a link: it would empty another folder.
  if (real === undefined || !(await hasRealDir(real, ["tmp"]))) return 0;
  const tmp = cachePaths(real).tmp;
  const byLock = new Map<string, string[]>();
  const foreign: string[] = [];
  for (const item of await readDirOrEmpty(tmp)) {
    const lockId = item.name.split(".")[0] ?? "";
    if (isLockId(lockId)) byLock.set(lockId, [...(byLock.get(lockId) ?? []), item.name]);
    else foreign.push(item.name);
  }
  let removed = 0;
  for (const [lockId, names] of byLock) {
    const lock = await tryAcquireLock(real, lockId);
    if (!lock) continue;
    try {
      for (const name of names) {
        await removeQuietly(join(tmp, name));
        removed++;
      }
    } finally {
      lock.release();
    }
  }
  const now = (options.now ?? (() => new Date()))().getTime();
  for (const name of foreign) {
    const mtime = (await lstatOrUndefined(join(tmp, name)))?.mtime?.getTime() ?? now;
    if (now - mtime < FOREIGN_MAX_AGE_MS) continue;
    await removeQuietly(join(tmp, name));
    removed++;
  }
  return removed;
}
