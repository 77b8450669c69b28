/**
 * The cache root and its ownership: the cache works only in a folder it made (or one that
 * holds nothing but a cache's own names), never in a folder of the user's.
 *
 * A root the cache creates gets a marker file, `<root>/.provisioning-cache`
 * (`{"schema":1,"createdBy":"provisioning ext","createdAt":"…"}`), written before anything
 * else is saved there. A root without the marker is used only when it is empty or holds
 * nothing but the cache's own top-level names (`index.json`, `extensions/` with type
 * folders, `blobs/` with algorithm folders, `tmp/`, `locks/`, `discovery/`, `origins/`): a cache made
 * before the marker existed, or one another command started. Such a root is adopted: the
 * marker is written the first time the cache writes there. Any other non-empty folder is
 * refused (`CACHE_ROOT_NOT_OWNED`, exit 2) before anything is read, written or deleted in it.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { EXTENSION_TYPES } from "../manifest/types.ts";
import { writeFileAtomic } from "./_fs.ts";
import { INDEX_FILE, INDEX_LOCK_ID } from "./layout.ts";
import { withLock } from "./lock.ts";
import { ensureRealDir, unexpectedCachePath } from "./safe_dirs.ts";

/** Name of the marker file at the root of every cache the cache made or adopted. */
export const CACHE_MARKER = ".provisioning-cache";

/** Top-level names a cache root may hold (what the cache and its commands create there). */
const OWN_NAMES: ReadonlySet<string> = new Set([
  CACHE_MARKER,
  INDEX_FILE,
  "extensions",
  "blobs",
  "tmp",
  "locks",
  "discovery",
  "origins",
]);

/** Names allowed inside the fixed folders, checked when a root has no marker. */
const OWN_CHILDREN: Readonly<Record<string, ReadonlySet<string>>> = {
  extensions: new Set(EXTENSION_TYPES),
  blobs: new Set(["sha256", "sha512"]),
};

/**
 * Resolves a cache root to its real path (following the links the user configured, once),
 * checks it is a directory and that it is the cache's own (see the module doc). With
 * `create`, a missing root is created first (with its parents) and the root is claimed: the
 * marker is written when missing. Without `create` nothing is written, and a root that does
 * not exist yields undefined. Every cache operation works from the returned path, so a link
 * at the root that changes while it runs does not split its work over two trees.
 *
 * Note for permission grants: Deno checks paths as written, so when the configured root is
 * a symlink, the write grant must name the resolved path (reading the configured path is
 * enough to resolve it; only a missing root is created through its configured path).
 *
 * @example
 * ```ts
 * import { CACHE_MARKER, resolveCacheRoot } from "./root.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.realPath(await Deno.makeTempDir());
 * await Deno.mkdir(`${dir}/real`);
 * await Deno.symlink(`${dir}/real`, `${dir}/link`);
 * assert.equal(await resolveCacheRoot(`${dir}/link`), `${dir}/real`);
 * assert.equal(await resolveCacheRoot(`${dir}/missing`), undefined);
 * assert.equal(await resolveCacheRoot(`${dir}/made`, { create: true }), `${dir}/made`);
 * assert.ok((await Deno.lstat(`${dir}/made/${CACHE_MARKER}`)).isFile);
 * await Deno.writeTextFile(`${dir}/real/notes.txt`, "mine");
 * await assert.rejects(resolveCacheRoot(`${dir}/real`), { code: "CACHE_ROOT_NOT_OWNED" });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param root The configured cache root.
 * @param options `create`: make the root when it is missing and claim it.
 * @returns The real path, or undefined when the root does not exist and `create` is unset.
 * @throws {ProvisioningError} `INVALID_CONFIG` when the root is not a directory;
 * `CACHE_ROOT_NOT_OWNED` when it holds files the cache did not make; `INTEGRITY` when the
 * marker (or, with `create`, `tmp` or `locks`) is a symlink or not what the cache made.
 */
export async function resolveCacheRoot(
  root: string,
  options: { create?: boolean } = {},
): Promise<string | undefined> {
  let real = realPathOrUndefined(root);
  if (real === undefined && options.create) {
    // Only a missing root is made, so an existing one needs no write grant on its
    // configured path (only on the real one).
    try {
      await Deno.mkdir(root, { recursive: true });
    } catch (error) {
      // A file (or a dangling link) in the way is reported below.
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    real = realPathOrUndefined(root);
  }
  if (real === undefined) {
    if (!options.create) return undefined;
    throw notADirectory(root);
  }
  if (!Deno.lstatSync(real).isDirectory) throw notADirectory(root);
  if (!hasMarker(real)) {
    await assertAdoptable(real, root);
    if (options.create) await claimCacheRoot(real);
  }
  return real;
}

/**
 * Writes the marker of a (checked) real root when it is missing, under the index lock. For
 * writers that already hold the index lock, see {@linkcode writeMarkerIfMissing}.
 *
 * @example
 * ```ts
 * import { CACHE_MARKER, claimCacheRoot } from "./root.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await claimCacheRoot(root);
 * assert.equal(JSON.parse(await Deno.readTextFile(`${root}/${CACHE_MARKER}`)).schema, 1);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The real cache root, already checked by {@linkcode resolveCacheRoot}.
 * @throws {ProvisioningError} `INTEGRITY` when `tmp`, `locks` or the marker is not what the
 * cache made.
 */
export async function claimCacheRoot(root: string): Promise<void> {
  if (hasMarker(root)) return;
  await ensureRealDir(root, ["tmp"]);
  await ensureRealDir(root, ["locks"]);
  await withLock(root, INDEX_LOCK_ID, () => writeMarkerIfMissing(root));
}

/**
 * Writes the marker (temporary file in `tmp/` + rename) unless it is there. The caller
 * holds the index lock (which also owns the temporary file's name) and has checked `tmp/`.
 *
 * @example
 * ```ts
 * import { CACHE_MARKER, writeMarkerIfMissing } from "./root.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/tmp`);
 * await writeMarkerIfMissing(root);
 * assert.equal(JSON.parse(await Deno.readTextFile(`${root}/${CACHE_MARKER}`)).createdBy, "provisioning ext");
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The real cache root.
 * @param now Clock (the marker's `createdAt`).
 */
export async function writeMarkerIfMissing(
  root: string,
  now: () => Date = () => new Date(),
): Promise<void> {
  if (hasMarker(root)) return;
  const text = JSON.stringify({
    schema: 1,
    createdBy: "provisioning ext",
    createdAt: now().toISOString(),
  }) + "\n";
  await writeFileAtomic(root, INDEX_LOCK_ID, join(root, CACHE_MARKER), text);
}

/** Whether the marker is there (a regular file); a link or folder there is refused. */
function hasMarker(root: string): boolean {
  const path = join(root, CACHE_MARKER);
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  if (!info.isFile) throw unexpectedCachePath(path, info, "file");
  return true;
}

/** Refuses a root without the marker that holds anything but the cache's own names. */
async function assertAdoptable(real: string, configured: string): Promise<void> {
  const foreign: string[] = [];
  for await (const item of Deno.readDir(real)) {
    if (!OWN_NAMES.has(item.name)) {
      foreign.push(item.name);
      continue;
    }
    const allowed = OWN_CHILDREN[item.name];
    if (allowed === undefined || !item.isDirectory) continue;
    for await (const child of Deno.readDir(join(real, item.name))) {
      if (!allowed.has(child.name)) foreign.push(`${item.name}/${child.name}`);
    }
  }
  if (foreign.length === 0) return;
  foreign.sort();
  const named = foreign.slice(0, 3).map((name) => `"${name}"`).join(", ");
  const more = foreign.length > 3 ? ` and ${foreign.length - 3} more` : "";
  throw new ProvisioningError(
    "CACHE_ROOT_NOT_OWNED",
    `Refusing to use "${configured}" as the cache folder: it holds files the cache did not make (${named}${more})`,
    {
      hint: "Point cache.dir (PROVISIONING_CACHE_DIR, --cache-dir) at an empty or new folder; " +
        `the cache marks the folders it owns with a "${CACHE_MARKER}" file`,
    },
  );
}

function realPathOrUndefined(path: string): string | undefined {
  try {
    return Deno.realPathSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
}

function notADirectory(root: string): ProvisioningError {
  return new ProvisioningError(
    "INVALID_CONFIG",
    `Cannot use "${root}" as the cache root: it is not a directory`,
    { hint: "Point cache.dir (or PROVISIONING_CACHE_DIR) at a directory" },
  );
}
