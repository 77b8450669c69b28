/**
 * Scratch folders in the cache's `tmp/` for work that belongs to no entry yet (an artifact
 * peeked at to learn its type, a git fetch), which a sweep can still tell from the leftovers
 * of a killed process.
 *
 * @module
 */

import { removeQuietly, tmpPath } from "./_fs.ts";
import { cacheWriteError } from "./_write_errors.ts";
import { SCRATCH_LOCK_ID } from "./layout.ts";
import { acquireLock } from "./lock.ts";
import { resolveCacheRoot } from "./root.ts";
import { ensureRealDir } from "./safe_dirs.ts";

/** A scratch folder; dispose of it (`await using`) to remove it and release its lock. */
export interface ScratchDir extends AsyncDisposable {
  /** The folder, `<real root>/tmp/scratch.<16 hex>.<kind>`, empty when made. */
  path: string;
}

/**
 * Makes a fresh, empty scratch folder `tmp/scratch.<random>.<kind>` in the cache at `root`
 * (created and claimed when missing, like a save), holding `locks/scratch.lock` shared
 * until it is disposed of. A process killed meanwhile leaves the folder behind with no
 * holder, and the next sweep (a save, `ext cache clear --all`, `ext cache prune`) removes
 * it; while any process holds a scratch folder, no scratch folder is swept.
 *
 * @example
 * ```ts
 * import { makeScratchDir } from "./scratch.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * let path: string;
 * {
 *   await using scratch = await makeScratchDir(root, "peek");
 *   path = scratch.path;
 *   assert.match(path, /\/tmp\/scratch\.[0-9a-f]{16}\.peek$/);
 *   await Deno.writeTextFile(`${path}/layer`, "x");
 * }
 * await assert.rejects(Deno.lstat(path), Deno.errors.NotFound);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param kind A short lower-case word naming the use (`peek`, `git`).
 * @returns The folder.
 * @throws {ProvisioningError} `CACHE_ROOT_NOT_OWNED` for a folder the cache did not make;
 * `CACHE_READ_ONLY` / `CACHE_NO_SPACE` when it cannot be written; `INTEGRITY` when `tmp` or
 * `locks` is a symlink or not a directory.
 */
export async function makeScratchDir(root: string, kind: string): Promise<ScratchDir> {
  if (!/^[a-z]+$/.test(kind)) throw new TypeError(`Bad scratch kind "${kind}"`);
  try {
    const real = (await resolveCacheRoot(root, { create: true }))!;
    await ensureRealDir(real, ["tmp"]);
    const lock = await acquireLock(real, SCRATCH_LOCK_ID, { shared: true });
    const path = tmpPath(real, SCRATCH_LOCK_ID, kind);
    try {
      await Deno.mkdir(path, { mode: 0o755 });
    } catch (error) {
      lock.release();
      throw error;
    }
    let disposed: Promise<void> | undefined;
    return {
      path,
      [Symbol.asyncDispose]: () =>
        disposed ??= removeQuietly(path).catch(() => {}).finally(() => lock.release()),
    };
  } catch (error) {
    throw cacheWriteError(error, root, "make a scratch folder in the cache");
  }
}
