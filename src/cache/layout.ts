/**
 * Where everything lives under a cache root, and the checks that keep keys and digests from
 * naming paths outside it.
 *
 * ```
 * <root>/index.json                                  index: key → record
 * <root>/extensions/{type}/{name}/{version}/         the unpacked extension, exactly its tree
 * <root>/extensions/{type}/{name}/.{version}.entry.json   the entry's record (for rebuilds)
 * <root>/blobs/sha256/<hex>                          downloaded blobs, content-addressed
 * <root>/.provisioning-cache                         marker: the folder is the cache's own
 * <root>/tmp/<lockId>.<random>.<kind>                ingest files, staging dirs, trash, scratch
 * <root>/locks/<lockId>.lock                         one lock file per entry, index.lock, scratch.lock
 * ```
 *
 * @module
 */

// @noble/hashes, not node:crypto: lock ids are computed on every cache hit, and any node:
// module boots Deno's Node compatibility layer. Same SHA-256, same hex, so ids do not change.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { EXTENSION_TYPES, type ExtensionType } from "../manifest/types.ts";
import type { CacheKey } from "./types.ts";

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const DIGEST_PATTERN = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** Name of the index file at the cache root. */
export const INDEX_FILE = "index.json";

/** Suffix of the record file written beside each entry directory. */
export const ENTRY_META_SUFFIX = ".entry.json";

/** Lock id of the index (`locks/index.lock`). */
export const INDEX_LOCK_ID = "index";

/**
 * Lock id of scratch folders (`locks/scratch.lock`): every process holding a scratch folder
 * in `tmp/` holds this lock shared, so a sweep that can take it exclusively knows the
 * scratch folders there have no live owner.
 */
export const SCRATCH_LOCK_ID = "scratch";

/**
 * Returns `{type}/{name}/{version}`, the index key of an entry.
 *
 * @example
 * ```ts
 * import { keyString } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(keyString({ type: "provider", name: "aws", version: "1.2.3" }), "provider/aws/1.2.3");
 * ```
 *
 * @param key The entry's type, name and version.
 * @returns The index key.
 */
export function keyString(key: CacheKey): string {
  return `${key.type}/${key.name}/${key.version}`;
}

/**
 * Checks that a key's parts are safe single path segments.
 *
 * @example
 * ```ts
 * import { assertValidKey } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assertValidKey({ type: "taskserv", name: "k8s", version: "1.28.0+build.1" });
 * assert.throws(() => assertValidKey({ type: "provider", name: "../x", version: "1.0.0" }));
 * ```
 *
 * @param key The key to check.
 * @throws {ProvisioningError} `USAGE` when the type is unknown or a part could name another path.
 */
export function assertValidKey(key: CacheKey): void {
  if (!EXTENSION_TYPES.includes(key.type)) {
    throw new ProvisioningError(
      "USAGE",
      `Cannot use "${key.type}" as an extension type: expected one of ${
        EXTENSION_TYPES.map((t) => `"${t}"`).join(", ")
      }`,
    );
  }
  if (!NAME_PATTERN.test(key.name)) {
    throw new ProvisioningError(
      "USAGE",
      `Cannot use "${key.name}" as an extension name in the cache: expected letters, digits, ".", "_" or "-"`,
    );
  }
  if (!VERSION_PATTERN.test(key.version)) {
    throw new ProvisioningError(
      "USAGE",
      `Cannot use "${key.version}" as a version in the cache: expected letters, digits, ".", "_", "+" or "-"`,
    );
  }
}

/**
 * Parses `{type}/{name}/{version}` back into a key, or returns undefined when it is not a
 * valid key.
 *
 * @example
 * ```ts
 * import { parseKeyString } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseKeyString("cluster/web/2.0.0"), { type: "cluster", name: "web", version: "2.0.0" });
 * assert.equal(parseKeyString("nope/x/1"), undefined);
 * ```
 *
 * @param value The index key.
 * @returns The key, or undefined.
 */
export function parseKeyString(value: string): CacheKey | undefined {
  const parts = value.split("/");
  if (parts.length !== 3) return undefined;
  const [type, name, version] = parts as [string, string, string];
  const key = { type: type as ExtensionType, name, version };
  return isValidKey(key) ? key : undefined;
}

/**
 * Non-throwing twin of {@linkcode assertValidKey}.
 *
 * @example
 * ```ts
 * import { isValidKey } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isValidKey({ type: "provider", name: "aws", version: "1.0.0" }));
 * assert.ok(!isValidKey({ type: "provider", name: ".hidden", version: "1.0.0" }));
 * ```
 *
 * @param key The key to check.
 * @returns Whether the key is valid.
 */
export function isValidKey(key: CacheKey): boolean {
  return EXTENSION_TYPES.includes(key.type) && NAME_PATTERN.test(key.name) &&
    VERSION_PATTERN.test(key.version);
}

/**
 * Splits an `algorithm:hex` digest, checking it can name a blob file.
 *
 * @example
 * ```ts
 * import { parseDigest } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * const { algorithm, hex } = parseDigest("sha256:" + "a".repeat(64));
 * assert.equal(algorithm, "sha256");
 * assert.equal(hex.length, 64);
 * ```
 *
 * @param digest The digest.
 * @returns Its algorithm and hex part.
 * @throws {ProvisioningError} `INVALID_REFERENCE` for anything but `sha256:<64 hex>` or
 * `sha512:<128 hex>`.
 */
export function parseDigest(digest: string): { algorithm: "sha256" | "sha512"; hex: string } {
  if (!DIGEST_PATTERN.test(digest)) {
    throw new ProvisioningError(
      "INVALID_REFERENCE",
      `Cannot parse digest "${digest}": expected "sha256:" and 64 lower-case hex digits`,
    );
  }
  const [algorithm, hex] = digest.split(":") as ["sha256" | "sha512", string];
  return { algorithm, hex };
}

/** Absolute paths of the fixed parts of a cache root. */
export interface CachePaths {
  root: string;
  index: string;
  extensions: string;
  blobs: string;
  tmp: string;
  locks: string;
}

/**
 * The fixed paths under a cache root.
 *
 * @example
 * ```ts
 * import { cachePaths } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(cachePaths("/c").index, "/c/index.json");
 * ```
 *
 * @param root The cache root.
 * @returns The paths.
 */
export function cachePaths(root: string): CachePaths {
  return {
    root,
    index: join(root, INDEX_FILE),
    extensions: join(root, "extensions"),
    blobs: join(root, "blobs"),
    tmp: join(root, "tmp"),
    locks: join(root, "locks"),
  };
}

/**
 * Directory of an entry's unpacked extension.
 *
 * @example
 * ```ts
 * import { entryDir } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   entryDir("/c", { type: "provider", name: "aws", version: "1.0.0" }),
 *   "/c/extensions/provider/aws/1.0.0",
 * );
 * ```
 *
 * @param root The cache root.
 * @param key The entry.
 * @returns The directory.
 */
export function entryDir(root: string, key: CacheKey): string {
  return `${extensionsDir(root)}/${key.type}/${key.name}/${key.version}`;
}

// Listing 10,000 entries joins paths 10,000 times: remember the last root's directory.
let lastRoot = "";
let lastExtensions = "";
function extensionsDir(root: string): string {
  if (root !== lastRoot) {
    lastExtensions = join(root, "extensions");
    lastRoot = root;
  }
  return lastExtensions;
}

/**
 * The record file beside an entry directory: `extensions/{type}/{name}/.{version}.entry.json`.
 *
 * @example
 * ```ts
 * import { entryMetaPath } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   entryMetaPath("/c", { type: "provider", name: "aws", version: "1.0.0" }),
 *   "/c/extensions/provider/aws/.1.0.0.entry.json",
 * );
 * ```
 *
 * @param root The cache root.
 * @param key The entry.
 * @returns The file path.
 */
export function entryMetaPath(root: string, key: CacheKey): string {
  return join(root, "extensions", key.type, key.name, `.${key.version}${ENTRY_META_SUFFIX}`);
}

/**
 * Content-addressed path of a blob: `blobs/<algorithm>/<hex>`.
 *
 * @example
 * ```ts
 * import { blobPath } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * const digest = "sha256:" + "0".repeat(64);
 * assert.equal(blobPath("/c", digest), "/c/blobs/sha256/" + "0".repeat(64));
 * ```
 *
 * @param root The cache root.
 * @param digest The blob's digest.
 * @returns The file path.
 * @throws {ProvisioningError} `INVALID_REFERENCE` for a malformed digest.
 */
export function blobPath(root: string, digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return join(root, "blobs", algorithm, hex);
}

/**
 * Lock id of an entry: `entry-` and 24 hex digits of the key's SHA-256. Temporary files of
 * an operation on the entry start with this id, so a sweep can tell whether their owner is
 * alive by trying the lock.
 *
 * @example
 * ```ts
 * import { entryLockId } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(entryLockId({ type: "provider", name: "aws", version: "1.0.0" }), /^entry-[0-9a-f]{24}$/);
 * ```
 *
 * @param key The entry.
 * @returns The lock id.
 */
export function entryLockId(key: CacheKey): string {
  return `entry-${bytesToHex(sha256(utf8ToBytes(keyString(key)))).slice(0, 24)}`;
}

/**
 * Whether a string is a lock id this module produces.
 *
 * @example
 * ```ts
 * import { isLockId } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isLockId("index"));
 * assert.ok(isLockId("scratch"));
 * assert.ok(!isLockId("../x"));
 * ```
 *
 * @param value The candidate.
 * @returns Whether it is a lock id.
 */
export function isLockId(value: string): boolean {
  return value === INDEX_LOCK_ID || value === SCRATCH_LOCK_ID ||
    /^(entry|blob)-[0-9a-f]{24}$/.test(value);
}

/**
 * Lock id of a blob being stored on its own (`storeBlob`): `blob-` and 24 hex digits of
 * its digest's SHA-256.
 *
 * @example
 * ```ts
 * import { blobLockId, isLockId } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isLockId(blobLockId("sha256:" + "a".repeat(64))));
 * ```
 *
 * @param digest The blob's digest.
 * @returns The lock id.
 */
export function blobLockId(digest: string): string {
  return `blob-${bytesToHex(sha256(utf8ToBytes(digest))).slice(0, 24)}`;
}
