/**
 * The discovery cache: one JSON file per remote source listing under
 * `<cache root>/discovery/`, fresh for `[extensions] discovery_ttl` seconds, written
 * atomically (temporary file in the same folder, then rename), so a reader never sees half a
 * file and concurrent writers simply replace each other.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "../fs/path.ts";
import type { ConcreteSourceType } from "../config/types.ts";
import type { DiscoveredExtension } from "./types.ts";
import { writeJsonReplacing } from "../fs/write_replacing.ts";

/** Version of the file layout; files of another version are ignored. */
export const DISCOVERY_CACHE_FORMAT = 1;

/** One cached listing. */
export interface DiscoveryCacheFile {
  /** {@linkcode DISCOVERY_CACHE_FORMAT}. */
  format: number;
  /** The source listed. */
  source: ConcreteSourceType;
  /** The source's label (registry and namespace), for people reading the file. */
  label: string;
  /** The source's cache key (`Source.cacheKey`); a file whose key differs is not used. */
  key: string;
  /** When the listing was made (ISO 8601). */
  createdAt: string;
  /** The listing (without cache marks). */
  extensions: DiscoveredExtension[];
}

/**
 * The file a listing is cached in: `<root>/discovery/<source>-<hash of key>.json`.
 *
 * @example
 * ```ts
 * import { discoveryCachePath } from "./discovery_cache.ts";
 * import assert from "node:assert/strict";
 *
 * const path = discoveryCachePath("/c", "oci", '["oci","r:5000","ns",[]]');
 * assert.match(path, /^\/c\/discovery\/oci-[0-9a-f]{16}\.json$/);
 * ```
 *
 * @param cacheRoot The cache root (`[cache] dir`).
 * @param source The source.
 * @param key The source's cache key.
 * @returns The file path.
 */
export function discoveryCachePath(
  cacheRoot: string,
  source: ConcreteSourceType,
  key: string,
): string {
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 16);
  return join(cacheRoot, "discovery", `${source}-${hash}.json`);
}

/**
 * Reads a cached listing. A missing, unreadable, corrupt or foreign file is no listing.
 *
 * @example
 * ```ts
 * import { readDiscoveryCache } from "./discovery_cache.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await readDiscoveryCache("/nonexistent/oci-0.json", "k"), undefined);
 * ```
 *
 * @param path The file.
 * @param key The cache key it must carry.
 * @returns The listing, or undefined.
 */
export async function readDiscoveryCache(
  path: string,
  key: string,
): Promise<DiscoveryCacheFile | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const file = data as Partial<DiscoveryCacheFile> | null;
  if (
    file === null || typeof file !== "object" || file.format !== DISCOVERY_CACHE_FORMAT ||
    file.key !== key || typeof file.createdAt !== "string" ||
    Number.isNaN(Date.parse(file.createdAt)) || !Array.isArray(file.extensions) ||
    !file.extensions.every(isEntry)
  ) {
    return undefined;
  }
  return file as DiscoveryCacheFile;
}

/**
 * Writes a listing atomically: a temporary file beside the target, then a rename. Creates
 * the folder when missing.
 *
 * @example
 * ```ts
 * import { readDiscoveryCache, writeDiscoveryCache } from "./discovery_cache.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * const path = `${root}/discovery/oci-1.json`;
 * await writeDiscoveryCache(path, {
 *   format: 1, source: "oci", label: "r/ns", key: "k",
 *   createdAt: new Date(0).toISOString(), extensions: [],
 * });
 * assert.equal((await readDiscoveryCache(path, "k"))?.label, "r/ns");
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param path The file.
 * @param file The listing.
 * @throws {Error} File-system errors (callers treat the cache as optional).
 */
export async function writeDiscoveryCache(path: string, file: DiscoveryCacheFile): Promise<void> {
  await writeJsonReplacing(path, file);
}

/**
 * Removes the OCI listings of one registry and namespace from the discovery cache, so the
 * next `ext list` / `ext search` reads the registry again: `ext publish` and `ext delete`
 * call it after changing the registry. A listing of another registry or namespace stays; a
 * cache without listings is left as it is.
 *
 * @example
 * ```ts
 * import { discoveryCachePath, forgetOciListings, writeDiscoveryCache } from "./discovery_cache.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * const key = JSON.stringify(["oci", "r:5000", "ns", []]);
 * await writeDiscoveryCache(discoveryCachePath(root, "oci", key), {
 *   format: 1, source: "oci", label: "r:5000/ns", key, createdAt: new Date().toISOString(),
 *   extensions: [],
 * });
 * assert.equal(await forgetOciListings(root, "r:5000", "other"), 0);
 * assert.equal(await forgetOciListings(root, "r:5000", "ns"), 1);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param cacheRoot The cache root.
 * @param registry `host[:port]` as the registry client names it.
 * @param namespace The namespace.
 * @returns How many listings were removed.
 */
export async function forgetOciListings(
  cacheRoot: string,
  registry: string,
  namespace: string,
): Promise<number> {
  const dir = join(cacheRoot, "discovery");
  let removed = 0;
  let names: string[];
  try {
    names = [];
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && /^oci-[0-9a-f]{16}\.json$/.test(entry.name)) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
  for (const name of names) {
    const path = join(dir, name);
    const key = await keyOf(path);
    if (!Array.isArray(key) || key[1] !== registry || key[2] !== namespace) continue;
    await Deno.remove(path).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
    removed++;
  }
  return removed;
}

/** The parsed `key` of a listing file (the `oci` source's `["oci", registry, ns, repos]`). */
async function keyOf(path: string): Promise<unknown> {
  try {
    const file = JSON.parse(await Deno.readTextFile(path)) as { key?: unknown };
    return typeof file.key === "string" ? JSON.parse(file.key) : undefined;
  } catch {
    return undefined; // unreadable: readers ignore it too
  }
}

function isEntry(value: unknown): value is DiscoveredExtension {
  const e = value as Partial<DiscoveredExtension> | null;
  return e !== null && typeof e === "object" && typeof e.name === "string" &&
    typeof e.type === "string" && typeof e.version === "string" &&
    Array.isArray(e.versions) && typeof e.source === "string" &&
    typeof e.description === "string";
}
