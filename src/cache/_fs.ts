/**
 * Small file-system helpers shared by the cache modules (private).
 *
 * @module
 */

import { join } from "../fs/path.ts";

/** A fresh path in `tmp/` owned by the holder of `lockId`: `<lockId>.<random>.<kind>`. */
export function tmpPath(root: string, lockId: string, kind: string): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  const hex = Array.from(random, (b) => b.toString(16).padStart(2, "0")).join("");
  return join(root, "tmp", `${lockId}.${hex}.${kind}`);
}

/**
 * Writes `text` to `dest` through a temporary file in `tmp/` (created with `createNew`, so
 * nothing already there is opened or followed) and a rename (which replaces a link at
 * `dest`, never its target). The caller has checked `tmp/` and `dest`'s folder.
 */
export async function writeFileAtomic(
  root: string,
  lockId: string,
  dest: string,
  text: string,
): Promise<void> {
  const tmp = tmpPath(root, lockId, "write");
  try {
    await Deno.writeTextFile(tmp, text, { createNew: true });
    await Deno.rename(tmp, dest);
  } catch (error) {
    await removeQuietly(tmp);
    throw error;
  }
}

/** Removes a path (recursively, never following symlinks); a missing path is fine. */
export async function removeQuietly(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** `lstat`, or undefined when the path does not exist. */
export async function lstatOrUndefined(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
}

/** Reads a directory's entries, or [] when it does not exist. */
export async function readDirOrEmpty(path: string): Promise<Deno.DirEntry[]> {
  const entries: Deno.DirEntry[] = [];
  try {
    for await (const entry of Deno.readDir(path)) entries.push(entry);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return [];
    }
    throw error;
  }
  return entries;
}

/** Writes all of `data` to `file` (`write` may write less than asked). */
export async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    offset += await file.write(data.subarray(offset));
  }
}
