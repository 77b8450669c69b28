/**
 * Advisory file locks (`flock` through `Deno.FsFile.lock`) on `locks/<id>.lock`. A lock dies
 * with its process, so a process killed with SIGKILL never leaves a stale lock behind. Lock
 * files are never deleted: deleting one while another process waits on it would let two
 * processes hold "the same" lock.
 *
 * Lock order: an entry lock may be held while taking the index lock, never the reverse
 * (index-lock holders only ever `tryLock` entries).
 *
 * A lock file (or `locks/`) that is a symlink is refused (`INTEGRITY`), never opened.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { lstatOrUndefined } from "./_fs.ts";
import { ensureRealDir, unexpectedCachePath } from "./safe_dirs.ts";

/** A held lock; release it (or let it be disposed) when done. */
export interface HeldLock extends Disposable {
  /** Releases the lock and closes its file. Safe to call twice. */
  release(): void;
}

function lockFile(root: string, lockId: string): string {
  return join(root, "locks", `${lockId}.lock`);
}

/**
 * Opens (creating) a lock file without following links: `locks/` is checked with `lstat`,
 * a missing file is created with `createNew` (which never follows a link), and an existing
 * one is opened only after `lstat` shows a regular file.
 */
async function openLockFile(root: string, lockId: string): Promise<Deno.FsFile> {
  await ensureRealDir(root, ["locks"]);
  const path = lockFile(root, lockId);
  for (let attempt = 0;; attempt++) {
    const info = await lstatOrUndefined(path);
    try {
      if (info === undefined) {
        return await Deno.open(path, { read: true, write: true, createNew: true, mode: 0o644 });
      }
      if (info.isSymlink || !info.isFile) throw unexpectedCachePath(path, info, "file");
      return await Deno.open(path, { read: true, write: true });
    } catch (error) {
      // Created or removed in between by another process: look again.
      const raced = error instanceof Deno.errors.AlreadyExists ||
        error instanceof Deno.errors.NotFound;
      if (!raced || attempt >= 3) throw error;
    }
  }
}

function held(file: Deno.FsFile): HeldLock {
  let open = true;
  const release = () => {
    if (!open) return;
    open = false;
    file.close();
  };
  return { release, [Symbol.dispose]: release };
}

/**
 * Waits for the lock `locks/<lockId>.lock` under `root` (creating the file): exclusive, or
 * shared with `options.shared`.
 *
 * @example
 * ```ts
 * import { acquireLock, tryAcquireLock } from "./lock.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * const lock = await acquireLock(root, "index");
 * assert.equal(await tryAcquireLock(root, "index"), undefined);
 * lock.release();
 * (await tryAcquireLock(root, "index"))?.release();
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param lockId A lock id from `layout.ts`.
 * @param options `shared`: take the lock shared (several holders; excludes exclusive ones).
 * @returns The held lock.
 */
export async function acquireLock(
  root: string,
  lockId: string,
  options: { shared?: boolean } = {},
): Promise<HeldLock> {
  const file = await openLockFile(root, lockId);
  try {
    await file.lock(options.shared !== true);
  } catch (error) {
    file.close();
    throw error;
  }
  return held(file);
}

/**
 * Takes the exclusive lock `locks/<lockId>.lock` if nobody holds it (also not another handle
 * in this process), without waiting.
 *
 * @example
 * ```ts
 * import { tryAcquireLock } from "./lock.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * const lock = await tryAcquireLock(root, "index");
 * assert.ok(lock);
 * lock.release();
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param lockId A lock id from `layout.ts`.
 * @returns The held lock, or undefined when it is taken.
 */
export async function tryAcquireLock(
  root: string,
  lockId: string,
): Promise<HeldLock | undefined> {
  const file = await openLockFile(root, lockId);
  let ok = false;
  try {
    ok = await file.tryLock(true);
  } finally {
    if (!ok) file.close();
  }
  return ok ? held(file) : undefined;
}

/**
 * Runs `fn` while holding the exclusive lock `lockId`.
 *
 * @example
 * ```ts
 * import { withLock } from "./lock.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * assert.equal(await withLock(root, "index", () => 42), 42);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param lockId A lock id from `layout.ts`.
 * @param fn The work to do.
 * @returns What `fn` returns.
 */
export async function withLock<T>(
  root: string,
  lockId: string,
  fn: () => T | Promise<T>,
): Promise<T> {
  using _lock = await acquireLock(root, lockId);
  return await fn();
}
