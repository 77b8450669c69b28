/**
 * Reading and writing one entry's record: validation of untrusted JSON, the record file
 * beside the entry directory, and the entry a lookup returns.
 *
 * @module
 */

import { dirname, isAbsolute, relative, sep } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { removeQuietly, tmpPath } from "./_fs.ts";
import { ensureRealDir } from "./safe_dirs.ts";
import { entryDir, entryMetaPath, isValidKey, keyString } from "./layout.ts";
import type { CacheEntry, CacheKey, CacheRecord, CacheSourceKind } from "./types.ts";

const SOURCES: readonly CacheSourceKind[] = [
  "oci",
  "oci-layout",
  "gitea",
  "git",
  "local",
  "unknown",
];
const OPTIONAL_STRINGS = [
  "digest",
  "tagDigest",
  "blobDigest",
  "mediaType",
  "registry",
  "repository",
  "reference",
  "remote",
  "tag",
  "commit",
  "signer",
] as const;

/**
 * Checks an untrusted value (from `index.json` or a record file) and returns a clean record,
 * or undefined when it is not one.
 *
 * @example
 * ```ts
 * import { parseRecord } from "./entry_record.ts";
 * import assert from "node:assert/strict";
 *
 * const now = new Date(0).toISOString();
 * const record = parseRecord({
 *   type: "provider", name: "aws", version: "1.0.0", source: "oci", size: 1, files: 1,
 *   pulledAt: now, lastUsedAt: now, junk: true,
 * });
 * assert.equal(record?.name, "aws");
 * assert.equal(parseRecord({ type: "provider" }), undefined);
 * ```
 *
 * @param value Parsed JSON.
 * @returns The record, or undefined.
 */
export function parseRecord(value: unknown): CacheRecord | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const key = { type: v.type, name: v.name, version: v.version } as CacheKey;
  if (!isValidKey(key)) return undefined;
  if (!SOURCES.includes(v.source as CacheSourceKind)) return undefined;
  for (const field of ["size", "files"]) {
    const n = v[field];
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) return undefined;
  }
  for (const field of ["pulledAt", "lastUsedAt"]) {
    const t = v[field];
    if (typeof t !== "string" || Number.isNaN(Date.parse(t))) return undefined;
  }
  const record: CacheRecord = {
    type: key.type,
    name: key.name,
    version: key.version,
    source: v.source as CacheSourceKind,
    size: v.size as number,
    files: v.files as number,
    pulledAt: v.pulledAt as string,
    lastUsedAt: v.lastUsedAt as string,
  };
  for (const field of OPTIONAL_STRINGS) {
    const s = v[field];
    if (s === undefined) continue;
    if (typeof s !== "string") return undefined;
    record[field] = s;
  }
  return record;
}

/**
 * The entry a lookup returns for a record.
 *
 * @example
 * ```ts
 * import { toEntry } from "./entry_record.ts";
 * import assert from "node:assert/strict";
 *
 * const t = new Date(0).toISOString();
 * const entry = toEntry("/c", {
 *   type: "provider", name: "aws", version: "1.0.0", source: "oci", size: 0, files: 0,
 *   pulledAt: t, lastUsedAt: t,
 * });
 * assert.equal(entry.key, "provider/aws/1.0.0");
 * assert.equal(entry.path, "/c/extensions/provider/aws/1.0.0");
 * ```
 *
 * @param root The cache root.
 * @param record The record.
 * @returns The record plus `key` and `path`.
 */
export function toEntry(root: string, record: CacheRecord): CacheEntry {
  return { key: keyString(record), path: entryDir(root, record), ...record };
}

/**
 * Reads the record file beside an entry directory; undefined when missing, corrupt or for
 * another key.
 *
 * @example
 * ```ts
 * import { readEntryRecord } from "./entry_record.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await readEntryRecord("/nonexistent", { type: "provider", name: "a", version: "1" }), undefined);
 * ```
 *
 * @param root The cache root.
 * @param key The entry.
 * @returns The record, or undefined.
 */
export async function readEntryRecord(
  root: string,
  key: CacheKey,
): Promise<CacheRecord | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(entryMetaPath(root, key));
  } catch {
    return undefined;
  }
  let record: CacheRecord | undefined;
  try {
    record = parseRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
  return record && keyString(record) === keyString(key) ? record : undefined;
}

/**
 * Renames `from` to `to` (a path below `root`), after checking that every folder between
 * `root` and `to` is a real directory and creating missing ones one by one (a concurrent
 * removal may delete an empty `{type}/{name}` directory in between, so a rename that finds
 * no parent creates it again). A link at `to` itself is replaced, never followed.
 *
 * @example
 * ```ts
 * import { renameIntoPlace } from "./entry_record.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a`, "x");
 * await renameIntoPlace(dir, `${dir}/a`, `${dir}/b/c/a`);
 * assert.equal(await Deno.readTextFile(`${dir}/b/c/a`), "x");
 * await Deno.symlink(dir, `${dir}/link`);
 * await assert.rejects(renameIntoPlace(dir, `${dir}/b/c/a`, `${dir}/link/a`), { code: "INTEGRITY" });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param root The (real) cache root.
 * @param from Existing path.
 * @param to New path, below `root`.
 * @throws {ProvisioningError} `INTEGRITY` when a folder on the way is a symlink or not a
 * directory.
 */
export async function renameIntoPlace(root: string, from: string, to: string): Promise<void> {
  const folders = relative(root, dirname(to)).split(sep).filter((part) => part !== "");
  if (folders[0] === ".." || isAbsolute(relative(root, to))) {
    throw new ProvisioningError(
      "INTERNAL",
      `Cannot move "${from}" to "${to}": not below "${root}"`,
    );
  }
  for (let attempt = 0;; attempt++) {
    await ensureRealDir(root, folders);
    try {
      await Deno.rename(from, to);
      return;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) || attempt >= 3) throw error;
      await Deno.lstat(from); // rethrows NotFound when the source is what is missing
    }
  }
}

/**
 * Writes the record file beside an entry directory (temp file + rename), with its mtime set
 * to the record's `lastUsedAt` (later uses only touch the mtime). The temporary file in
 * `tmp/` is created with `createNew` (never opening or following anything already there);
 * the rename replaces a link at the record's path rather than following it. The caller
 * holds the entry's lock and has checked `tmp/`.
 *
 * @example
 * ```ts
 * import { readEntryRecord, writeEntryRecord } from "./entry_record.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/tmp`);
 * const t = new Date(0).toISOString();
 * const record = {
 *   type: "provider" as const, name: "aws", version: "1.0.0", source: "oci" as const,
 *   size: 0, files: 0, pulledAt: t, lastUsedAt: t,
 * };
 * await writeEntryRecord(root, "index", record);
 * assert.deepEqual(await readEntryRecord(root, record), record);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param lockId The lock id held (names the temporary file).
 * @param record The record.
 */
export async function writeEntryRecord(
  root: string,
  lockId: string,
  record: CacheRecord,
): Promise<void> {
  const tmp = tmpPath(root, lockId, "record");
  try {
    await Deno.writeTextFile(tmp, JSON.stringify(record, null, 2) + "\n", { createNew: true });
    // The file's mtime carries the last use (touches update only the mtime).
    const used = new Date(record.lastUsedAt);
    await Deno.utime(tmp, used, used);
    await renameIntoPlace(root, tmp, entryMetaPath(root, record));
  } catch (error) {
    await removeQuietly(tmp);
    throw error;
  }
}
