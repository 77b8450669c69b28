/**
 * Where blobs were last seen in a registry: `<cache root>/origins/<hash of registry>.json`
 * maps a blob digest to the repositories (of that registry) known to hold it, most recent
 * first. Pulls and publishes record what they moved; a publish asks it for the repositories
 * to mount a blob from (`POST …/blobs/uploads/?mount=<digest>&from=<repository>`) instead of
 * uploading it again. It is a hint: a wrong entry costs one refused mount, so reading never
 * fails (a missing or unreadable file is no hint) and writes are best effort (temp file +
 * rename, so a reader sees a whole file; the last of two concurrent writers wins).
 *
 * @module
 */

// @noble/hashes, not node:crypto: lock ids are computed on every cache hit, and any node:
// module boots Deno's Node compatibility layer. Same SHA-256, same hex, so ids do not change.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { join } from "../fs/path.ts";
import { lstatOrUndefined } from "./_fs.ts";

/** Repositories kept per blob. */
const MAX_REPOSITORIES = 4;
/** Blobs kept per registry (the least recently recorded go first). */
const MAX_BLOBS = 4096;

interface OriginsFile {
  format: 1;
  registry: string;
  blobs: Record<string, string[]>;
}

/**
 * The file holding one registry's blob origins.
 *
 * @example
 * ```ts
 * import { blobOriginsPath } from "./blob_origins.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(blobOriginsPath("/c", "r:5000"), /^\/c\/origins\/[0-9a-f]{16}\.json$/);
 * ```
 *
 * @param root The cache root.
 * @param registry `host[:port]`.
 * @returns The file's path.
 */
export function blobOriginsPath(root: string, registry: string): string {
  const hash = bytesToHex(sha256(utf8ToBytes(registry))).slice(0, 16);
  return join(root, "origins", `${hash}.json`);
}

/**
 * The repositories of `registry` recorded as holding `digest`, most recent first (none when
 * nothing is known or the file cannot be read).
 *
 * @example
 * ```ts
 * import { readBlobOrigins, recordBlobOrigins } from "./blob_origins.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * const digest = "sha256:" + "a".repeat(64);
 * assert.deepEqual(await readBlobOrigins(root, "r:5000", digest), []);
 * await recordBlobOrigins(root, "r:5000", "team-a/aws", [digest]);
 * await recordBlobOrigins(root, "r:5000", "team-b/aws", [digest]);
 * assert.deepEqual(await readBlobOrigins(root, "r:5000", digest), ["team-b/aws", "team-a/aws"]);
 * assert.deepEqual(await readBlobOrigins(root, "other:5000", digest), []);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param registry `host[:port]`.
 * @param digest The blob digest.
 * @returns Repository paths.
 */
export async function readBlobOrigins(
  root: string,
  registry: string,
  digest: string,
): Promise<string[]> {
  return (await readFile(root, registry))?.blobs[digest] ?? [];
}

/**
 * Records that `repository` of `registry` holds `digests` (moved to the front of each
 * digest's list). Refuses to write through a link at `origins/` or at the file.
 *
 * @example
 * ```ts ignore
 * await recordBlobOrigins(cacheRoot, "r:5000", "team-a/aws", [config.digest, layer.digest]);
 * ```
 *
 * @param root The cache root (its `origins/` folder is created when missing).
 * @param registry `host[:port]`.
 * @param repository The repository path.
 * @param digests The blobs it holds.
 * @throws {Error} File-system errors (callers treat the record as optional).
 */
export async function recordBlobOrigins(
  root: string,
  registry: string,
  repository: string,
  digests: readonly string[],
): Promise<void> {
  const file = await readFile(root, registry) ?? { format: 1, registry, blobs: {} };
  for (const digest of digests) {
    const known = (file.blobs[digest] ?? []).filter((r) => r !== repository);
    delete file.blobs[digest]; // re-inserted last: the most recently recorded
    file.blobs[digest] = [repository, ...known].slice(0, MAX_REPOSITORIES);
  }
  const keys = Object.keys(file.blobs);
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_BLOBS))) delete file.blobs[old];
  const path = blobOriginsPath(root, registry);
  const dir = join(path, "..");
  // Only `origins/` itself is written (a publish may write nothing else of the cache).
  const info = await lstatOrUndefined(dir);
  if (info === undefined) await Deno.mkdir(dir, { recursive: true });
  else if (!info.isDirectory) throw new Error(`"${dir}" is not a folder`);
  if ((await lstatOrUndefined(path))?.isSymlink) throw new Error(`"${path}" is a link`);
  const temp = join(dir, `.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeTextFile(temp, JSON.stringify(file), { createNew: true });
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

async function readFile(root: string, registry: string): Promise<OriginsFile | undefined> {
  try {
    const path = blobOriginsPath(root, registry);
    if (!(await lstatOrUndefined(path))?.isFile) return undefined;
    const data = JSON.parse(await Deno.readTextFile(path)) as Partial<OriginsFile> | null;
    if (data?.format !== 1 || data.registry !== registry) return undefined;
    if (typeof data.blobs !== "object" || data.blobs === null) return undefined;
    const blobs: Record<string, string[]> = {};
    for (const [digest, repositories] of Object.entries(data.blobs)) {
      if (Array.isArray(repositories)) {
        blobs[digest] = repositories.filter((r): r is string => typeof r === "string");
      }
    }
    return { format: 1, registry, blobs };
  } catch {
    return undefined;
  }
}
