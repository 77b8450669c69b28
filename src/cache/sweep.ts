/**
 * Leftovers in `tmp/` of processes that died (SIGKILL, power loss of the process, a crash):
 * finding them, counting them and removing them. Only names the cache and its commands
 * create are ever touched; anything else in `tmp/` is left alone.
 *
 * - `<lockId>.<16 hex>.<kind>` (`lockId`: `index`, `entry-<24 hex>` or `scratch`): ingest
 *   files, staging folders, trash, index and record writes, scratch folders. Each is only
 *   written while its owner holds `locks/<lockId>.lock` (`scratch` shared), so a name whose
 *   lock can be taken has no live owner and is removed.
 * - `peek-…`, `git-tag-…`, `provisioning-publish-…` (a random suffix): work folders of
 *   older versions and of other commands (`ext publish` may write only `tmp/`, so it holds
 *   no lock); their owner cannot be asked, so they are removed once an hour old.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { lstatOrUndefined, readDirOrEmpty, removeQuietly } from "./_fs.ts";
import { cachePaths } from "./layout.ts";
import { tryAcquireLock } from "./lock.ts";
import { resolveCacheRoot } from "./root.ts";
import { hasRealDir } from "./safe_dirs.ts";
import { treeTotals } from "./tree.ts";
import type { CacheOptions } from "./types.ts";

/** Unlocked work folders in `tmp/` are removed once older than this (1 hour). */
const UNLOCKED_MAX_AGE_MS = 60 * 60 * 1000;

const LOCKED_NAME = /^(index|scratch|entry-[0-9a-f]{24})\.[0-9a-f]{16}\.[a-z]+$/;
const UNLOCKED_NAME = /^(peek|git-tag|provisioning-publish)-[0-9A-Za-z]{6,32}$/;

/**
 * How the sweep treats a name in `tmp/`: owned by the holder of a lock, an unlocked work
 * folder (removed by age), or not the cache's (never touched).
 *
 * @example
 * ```ts
 * import { tmpNameKind } from "./sweep.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(tmpNameKind("index.0123456789abcdef.write"), { lockId: "index" });
 * assert.deepEqual(tmpNameKind("git-tag-7b7a64429ce1abb0"), { aged: true });
 * assert.equal(tmpNameKind("report.pdf"), undefined);
 * ```
 *
 * @param name A name in `tmp/`.
 * @returns `{ lockId }`, `{ aged: true }`, or undefined for a name the cache never makes.
 */
export function tmpNameKind(name: string): { lockId: string } | { aged: true } | undefined {
  const locked = LOCKED_NAME.exec(name);
  if (locked) return { lockId: locked[1]! };
  return UNLOCKED_NAME.test(name) ? { aged: true } : undefined;
}

/** Count and bytes of leftovers. */
export interface LeftoverTotals {
  /** Paths directly in `tmp/` (a staging folder counts once). */
  count: number;
  /** Bytes of regular-file content in them. */
  bytes: number;
}

/**
 * Removes stale leftovers from `<root>/tmp/`: names whose lock no live process holds, and
 * unlocked work folders older than an hour. Leftovers of live operations, and names the
 * cache does not make, are kept.
 *
 * @example
 * ```ts
 * import { sweepTmp } from "./sweep.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/tmp/entry-000000000000000000000000.00000000000000ab.stage`, { recursive: true });
 * await Deno.writeTextFile(`${root}/tmp/notes.txt`, "not the cache's");
 * assert.equal(await sweepTmp(root), 1);
 * assert.deepEqual([...Deno.readDirSync(`${root}/tmp`)].map((e) => e.name), ["notes.txt"]);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param options Clock (age of unlocked work folders).
 * @returns How many paths were removed.
 * @throws {ProvisioningError} `INTEGRITY` when `tmp` or `locks` is a symlink or not a
 * directory; `CACHE_ROOT_NOT_OWNED` for a folder the cache did not make.
 */
export async function sweepTmp(root: string, options: CacheOptions = {}): Promise<number> {
  return (await sweepLeftovers(root, options)).count;
}

/**
 * {@linkcode sweepTmp}, also counting the bytes freed (for `clear` and `prune` reports).
 *
 * @example
 * ```ts
 * import { sweepLeftovers } from "./sweep.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/tmp`);
 * await Deno.writeTextFile(`${root}/tmp/index.00000000000000ab.write`, "abc");
 * assert.deepEqual(await sweepLeftovers(root), { count: 1, bytes: 3 });
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param options Clock.
 * @returns What was removed.
 * @throws {ProvisioningError} As {@linkcode sweepTmp}.
 */
export async function sweepLeftovers(
  root: string,
  options: CacheOptions = {},
): Promise<LeftoverTotals> {
  const removed: LeftoverTotals = { count: 0, bytes: 0 };
  const real = await resolveCacheRoot(root);
  // Never list (or delete in) a `tmp` that is a link: it would empty another folder.
  if (real === undefined || !(await hasRealDir(real, ["tmp"]))) return removed;
  const tmp = cachePaths(real).tmp;
  const byLock = new Map<string, string[]>();
  const aged: string[] = [];
  for (const item of await readDirOrEmpty(tmp)) {
    const kind = tmpNameKind(item.name);
    if (kind === undefined) continue;
    if ("aged" in kind) aged.push(item.name);
    else byLock.set(kind.lockId, [...(byLock.get(kind.lockId) ?? []), item.name]);
  }
  const remove = async (name: string) => {
    const path = join(tmp, name);
    const bytes = await bytesOf(path);
    await removeQuietly(path);
    removed.count++;
    removed.bytes += bytes;
  };
  for (const [lockId, names] of byLock) {
    const lock = await tryAcquireLock(real, lockId);
    if (!lock) continue;
    try {
      for (const name of names) await remove(name);
    } finally {
      lock.release();
    }
  }
  const now = (options.now ?? (() => new Date()))().getTime();
  for (const name of aged) {
    const mtime = (await lstatOrUndefined(join(tmp, name)))?.mtime?.getTime() ?? now;
    if (now - mtime >= UNLOCKED_MAX_AGE_MS) await remove(name);
  }
  return removed;
}

/**
 * Counts what the cache's own names in `tmp/` hold, whether their owner is alive or not
 * (for `ext cache stats`). Creates nothing.
 *
 * @example
 * ```ts
 * import { countLeftovers } from "./sweep.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/tmp/scratch.00000000000000ab.peek`, { recursive: true });
 * await Deno.writeTextFile(`${root}/tmp/scratch.00000000000000ab.peek/layer`, "12345");
 * await Deno.writeTextFile(`${root}/tmp/notes.txt`, "not counted");
 * assert.deepEqual(await countLeftovers(root), { count: 1, bytes: 5 });
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The real cache root.
 * @returns Count and bytes.
 * @throws {ProvisioningError} `INTEGRITY` when `tmp` is a symlink or not a directory.
 */
export async function countLeftovers(root: string): Promise<LeftoverTotals> {
  const totals: LeftoverTotals = { count: 0, bytes: 0 };
  if (!(await hasRealDir(root, ["tmp"]))) return totals;
  const tmp = cachePaths(root).tmp;
  for (const item of await readDirOrEmpty(tmp)) {
    if (tmpNameKind(item.name) === undefined) continue;
    totals.count++;
    totals.bytes += await bytesOf(join(tmp, item.name));
  }
  return totals;
}

/** Bytes of regular-file content at `path` (a folder: in its tree), never following links. */
async function bytesOf(path: string): Promise<number> {
  try {
    const info = await lstatOrUndefined(path);
    if (info?.isDirectory) return (await treeTotals(path)).bytes;
    return info?.isFile ? info.size : 0;
  } catch {
    return 0; // removed meanwhile
  }
}
