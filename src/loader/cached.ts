/**
 * Answering a load from the cache alone: an exact version already cached (no network), or
 * the best cached match of a spec (offline, or when the registry cannot be reached).
 *
 * @module
 */

// The modules, not the cache barrel (archives, hashing): an exact hit needs only these.
import { getFromCache } from "../cache/get.ts";
import { findBestCached } from "../cache/list.ts";
import type { CacheRecord } from "../cache/types.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { fromCacheEntry } from "../sources/from_cache_entry.ts";
import type { MaterializedExtension, Source } from "../sources/types.ts";
import { loadRangeEngine } from "../versions/_range_engine.ts";

/**
 * The cached entry of exactly `version` that `source` owns (same registry and repository,
 * layout folder or remote), as a loaded extension; undefined when there is none. Without a
 * type, any type.
 *
 * @param root The cache root.
 * @param type The type asked for, or undefined for any.
 * @param name Extension name.
 * @param version Exact version.
 * @param source The source the entry must have come from.
 * @returns The hit, or undefined.
 */
export async function findCachedVersion(
  root: string,
  type: ExtensionType | undefined,
  name: string,
  version: string,
  source: Source,
): Promise<MaterializedExtension | undefined> {
  const accept = { accept: (record: CacheRecord) => source.isOriginOf(record, name) };
  const entry = type === undefined
    ? await findBestCached(
      root,
      undefined,
      name,
      (versions) => versions.includes(version) ? version : undefined,
      accept,
    )
    : await getFromCache(root, type, name, version, accept);
  return entry === undefined ? undefined : await fromCacheEntry(entry, source.kind);
}

/**
 * The highest cached version satisfying `spec` that `source` owns, as a loaded extension
 * (for `--offline` and an unreachable source); undefined when there is none.
 *
 * @param root The cache root.
 * @param type The type asked for, or undefined for any.
 * @param name Extension name.
 * @param spec Version spec.
 * @param source The source the entry must have come from.
 * @returns The hit, or undefined.
 */
export async function findCachedMatch(
  root: string,
  type: ExtensionType | undefined,
  name: string,
  spec: string,
  source: Source,
): Promise<MaterializedExtension | undefined> {
  // A spec other than one exact version needs the range engine (`semver`), loaded only here.
  const { resolveVersion } = await loadRangeEngine();
  const entry = await findBestCached(
    root,
    type,
    name,
    (versions) => resolveVersion(spec, versions),
    { accept: (record) => source.isOriginOf(record, name) },
  );
  return entry === undefined ? undefined : await fromCacheEntry(entry, source.kind);
}

/**
 * The cached entry holding exactly the content `digest` names (its manifest digest, or the
 * index digest its tag named) that `source` owns, as a loaded extension: a digest reference
 * answered with no request, offline or with the registry down. Undefined when none.
 *
 * @param root The cache root.
 * @param type The type asked for, or undefined for any.
 * @param name Extension name.
 * @param digest The content digest (`sha256:…`).
 * @param source The source the entry must have come from.
 * @returns The hit, or undefined.
 */
export async function findCachedDigest(
  root: string,
  type: ExtensionType | undefined,
  name: string,
  digest: string,
  source: Source,
): Promise<MaterializedExtension | undefined> {
  const entry = await findBestCached(root, type, name, (versions) => versions.at(-1), {
    accept: (record) =>
      (record.digest === digest || record.tagDigest === digest) && source.isOriginOf(record, name),
  });
  return entry === undefined ? undefined : await fromCacheEntry(entry, source.kind);
}
