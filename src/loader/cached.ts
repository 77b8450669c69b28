/**
 * Answering a load from the cache alone: an exact version already cached (no network), or
 * the best cached match of a spec (offline, or when the registry cannot be reached).
 *
 * @module
 */

import { findBestCached, getFromCache } from "../cache/mod.ts";
import type { CacheEntry } from "../cache/types.ts";
import type { ConcreteSourceType } from "../config/types.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { fromCacheEntry } from "../sources/from_cache_entry.ts";
import type { MaterializedExtension } from "../sources/types.ts";
import { resolveVersion } from "../versions/mod.ts";

/**
 * The cached entry of an exact version: of `type` when given, else of any type (the most
 * recently used when the version is cached under several).
 *
 * @example
 * ```ts
 * import { findCachedVersion } from "./cached.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * assert.equal(await findCachedVersion(root, undefined, "aws", "1.0.0", "oci"), undefined);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param type The type, or undefined for any.
 * @param name Extension name.
 * @param version Exact version.
 * @param fallbackSource Reported as the source when the entry does not record one.
 * @returns The extension, or undefined on a miss.
 */
export async function findCachedVersion(
  root: string,
  type: ExtensionType | undefined,
  name: string,
  version: string,
  fallbackSource: ConcreteSourceType,
): Promise<MaterializedExtension | undefined> {
  const entry = type === undefined
    ? await findBestCached(
      root,
      undefined,
      name,
      (versions) => versions.includes(version) ? version : undefined,
    )
    : await getFromCache(root, type, name, version);
  return entry === undefined ? undefined : await fromEntry(entry, fallbackSource);
}

/**
 * The cached entry of the highest cached version satisfying `spec`.
 *
 * @example
 * ```ts
 * import { findCachedMatch } from "./cached.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * assert.equal(await findCachedMatch(root, "provider", "aws", "^1.0.0", "oci"), undefined);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param type The type, or undefined for any.
 * @param name Extension name.
 * @param spec Version spec.
 * @param fallbackSource Reported as the source when the entry does not record one.
 * @returns The extension, or undefined when nothing cached satisfies `spec`.
 */
export async function findCachedMatch(
  root: string,
  type: ExtensionType | undefined,
  name: string,
  spec: string,
  fallbackSource: ConcreteSourceType,
): Promise<MaterializedExtension | undefined> {
  const entry = await findBestCached(
    root,
    type,
    name,
    (versions) => resolveVersion(spec, versions),
  );
  return entry === undefined ? undefined : await fromEntry(entry, fallbackSource);
}

/** A cache entry as a loaded extension, reported as its recorded source when known. */
async function fromEntry(
  entry: CacheEntry,
  fallbackSource: ConcreteSourceType,
): Promise<MaterializedExtension> {
  return await fromCacheEntry(entry, entry.source === "unknown" ? fallbackSource : entry.source);
}
