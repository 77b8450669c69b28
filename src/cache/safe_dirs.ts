/**
 * The cache's folders, checked without following links.
 *
 * Deno checks a write grant (`--allow-write=<cache>`) against the path as written, and the
 * operating system then follows any symlink in it. So a symlink planted at one of the
 * cache's fixed folders (`extensions`, `extensions/<type>`, `extensions/<type>/<name>`,
 * `blobs`, `blobs/<algorithm>`, `locks`, `tmp`) would let the cache's own writes, renames
 * and deletions land outside the root, and the permission grant would not stop them.
 *
 * So the root is resolved once, with `realPath`, when an operation starts (the root itself
 * may be a symlink: that is the user's configuration), and every fixed folder below it is
 * checked with `lstat` before it is used: a symlink or anything but a directory is refused
 * (`INTEGRITY`, exit 5), and a missing folder is created with a non-recursive `mkdir`, one
 * component at a time from the root, so no link is ever followed on the way.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";

/**
 * `lstat`, or undefined when the path does not exist. Synchronous: these checks sit on
 * every lookup, and one `lstat` costs less than a trip through the async op queue.
 */
function lstatSyncOrUndefined(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The error for a path inside the cache that is not what the cache made: a symlink, or a
 * file where a folder belongs (or the reverse).
 *
 * @example
 * ```ts
 * import { unexpectedCachePath } from "./safe_dirs.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.symlink("/", `${dir}/tmp`);
 * const error = unexpectedCachePath(`${dir}/tmp`, await Deno.lstat(`${dir}/tmp`), "folder");
 * assert.equal(error.code, "INTEGRITY");
 * assert.match(error.message, /is a symbolic link/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param path The offending path.
 * @param info Its `lstat` (or its `readDir` entry).
 * @param expected What the cache expects there.
 * @returns The error to throw.
 */
export function unexpectedCachePath(
  path: string,
  info: { isSymlink: boolean },
  expected: "folder" | "file",
): ProvisioningError {
  const what = info.isSymlink
    ? "is a symbolic link"
    : expected === "folder"
    ? "is not a directory"
    : "is not a regular file";
  return new ProvisioningError(
    "INTEGRITY",
    `Refusing cache ${expected} "${path}": it ${what}`,
    {
      hint: `Remove "${path}" and run the command again; the cache recreates it and never ` +
        "follows links inside its root, since a link there could redirect writes outside it",
    },
  );
}

/**
 * Walks `parts` below `root` with `lstat`, creating missing folders (non-recursively) when
 * `create` is set. Returns false when a folder is missing and not created.
 */
async function walkDirs(
  root: string,
  parts: readonly string[],
  create: boolean,
): Promise<boolean> {
  let path = root;
  for (const part of parts) {
    path = join(path, part);
    let info = lstatSyncOrUndefined(path);
    if (info === undefined) {
      if (!create) return false;
      try {
        await Deno.mkdir(path, { mode: 0o755 });
      } catch (error) {
        // Another process made it first (or planted something): look again.
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      }
      info = await Deno.lstat(path);
    }
    if (info.isSymlink || !info.isDirectory) throw unexpectedCachePath(path, info, "folder");
  }
  return true;
}

/**
 * Makes sure `root/parts[0]/parts[1]/…` are real directories, creating missing ones one
 * component at a time with a non-recursive `mkdir`; never follows a link.
 *
 * @example
 * ```ts
 * import { ensureRealDir } from "./safe_dirs.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await ensureRealDir(root, ["blobs", "sha256"]);
 * assert.ok((await Deno.lstat(`${root}/blobs/sha256`)).isDirectory);
 * await Deno.symlink(root, `${root}/tmp`);
 * await assert.rejects(ensureRealDir(root, ["tmp"]), { code: "INTEGRITY" });
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The (real) cache root.
 * @param parts Folder names below the root, outermost first.
 * @throws {ProvisioningError} `INTEGRITY` when a component is a symlink or not a directory.
 */
export async function ensureRealDir(root: string, parts: readonly string[]): Promise<void> {
  await walkDirs(root, parts, true);
}

/**
 * Whether `root/parts[0]/parts[1]/…` exist as real directories; creates nothing, never
 * follows a link.
 *
 * @example
 * ```ts
 * import { hasRealDir } from "./safe_dirs.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * assert.equal(await hasRealDir(root, ["extensions", "provider"]), false);
 * await Deno.symlink(root, `${root}/extensions`);
 * await assert.rejects(hasRealDir(root, ["extensions", "provider"]), { code: "INTEGRITY" });
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The (real) cache root.
 * @param parts Folder names below the root, outermost first.
 * @returns True when every folder exists; false at the first missing one.
 * @throws {ProvisioningError} `INTEGRITY` when a component is a symlink or not a directory.
 */
export async function hasRealDir(root: string, parts: readonly string[]): Promise<boolean> {
  return await walkDirs(root, parts, false);
}

/**
 * Refuses a `readDir` entry of a cache folder that is a symlink where a folder belongs
 * (`readDir` entries describe a link as a link, so walking them never follows one; this
 * makes a planted link an error rather than something silently skipped).
 *
 * @example
 * ```ts
 * import { refuseLinkedEntry } from "./safe_dirs.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.symlink("/", `${dir}/sha256`);
 * const [entry] = [...Deno.readDirSync(dir)];
 * assert.throws(() => refuseLinkedEntry(dir, entry!), { code: "INTEGRITY" });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The folder that was read.
 * @param entry One of its entries.
 * @throws {ProvisioningError} `INTEGRITY` when the entry is a symlink.
 */
export function refuseLinkedEntry(dir: string, entry: Deno.DirEntry): void {
  if (entry.isSymlink) throw unexpectedCachePath(join(dir, entry.name), entry, "folder");
}

/** The fixed folders a save needs, as path components below the root. */
export const LAYOUT_DIRS: readonly (readonly string[])[] = [
  ["extensions"],
  ["blobs", "sha256"],
  ["locks"],
  ["tmp"],
];

/**
 * Creates (or checks) the fixed folders of a cache root: `extensions`, `blobs/sha256`,
 * `locks` and `tmp`.
 *
 * @example
 * ```ts
 * import { ensureLayout } from "./safe_dirs.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await ensureLayout(root);
 * assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name).sort(), [
 *   "blobs", "extensions", "locks", "tmp",
 * ]);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The (real) cache root, which exists.
 * @throws {ProvisioningError} `INTEGRITY` when a folder is a symlink or not a directory.
 */
export async function ensureLayout(root: string): Promise<void> {
  for (const parts of LAYOUT_DIRS) await ensureRealDir(root, parts);
}
