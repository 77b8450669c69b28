/**
 * Which discovered versions are already in the local extension cache (pulled), so list and
 * info can mark them.
 *
 * @module
 */

import { isInPlaceSource } from "../config/types.ts";
import { listCached } from "../cache/mod.ts";
import type { CacheEntry } from "../cache/mod.ts";
import { sortBySemver } from "../versions/mod.ts";
import type { DiscoveredExtension, DiscoveredType } from "./types.ts";

/** Cache entries grouped by extension name. */
export type CachedByName = Map<string, CacheEntry[]>;

/**
 * Reads the cache index once. The cache is optional here: a missing or unreadable cache is
 * an empty one.
 *
 * @example
 * ```ts
 * import { readCachedByName } from "./cached_versions.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal((await readCachedByName("/nonexistent-cache")).size, 0);
 * ```
 *
 * @param cacheRoot The cache root (`[cache] dir`).
 * @returns Entries by name.
 */
export async function readCachedByName(cacheRoot: string): Promise<CachedByName> {
  const byName: CachedByName = new Map();
  let entries: CacheEntry[];
  try {
    if (!(await Deno.stat(cacheRoot)).isDirectory) return byName;
    entries = await listCached(cacheRoot);
  } catch {
    return byName;
  }
  for (const entry of entries) {
    const list = byName.get(entry.name);
    if (list === undefined) byName.set(entry.name, [entry]);
    else list.push(entry);
  }
  return byName;
}

/**
 * The cached versions of one discovered extension: entries of the same name and type (any
 * type for an artifact of unknown type) that came from the same source (and, for OCI, the
 * same registry and repository: an entry of another namespace is not this row's). Local
 * extensions load in place and are never cached.
 *
 * @example
 * ```ts
 * import { cachedVersionsOf } from "./cached_versions.ts";
 * import assert from "node:assert/strict";
 *
 * const row = { name: "aws", type: "provider" as const, source: "oci" as const,
 *   reference: "r:5000/ns/aws:2.0.0" };
 * const cached = new Map([["aws", [
 *   { type: "provider", version: "1.0.0", source: "oci", registry: "r:5000", repository: "ns/aws" },
 *   { type: "provider", version: "2.0.0", source: "oci", registry: "r:5000", repository: "ns/aws" },
 *   { type: "provider", version: "3.0.0", source: "oci", registry: "other:5000", repository: "ns/aws" },
 *   { type: "provider", version: "4.0.0", source: "oci", registry: "r:5000", repository: "x/aws" },
 * ]]]);
 * assert.deepEqual(cachedVersionsOf(row, cached as never), ["2.0.0", "1.0.0"]);
 * ```
 *
 * @param entry The discovered extension.
 * @param cached What {@linkcode readCachedByName} returned.
 * @returns Cached versions, highest first.
 */
export function cachedVersionsOf(
  entry: Pick<DiscoveredExtension, "name" | "source" | "reference"> & { type: DiscoveredType },
  cached: CachedByName,
): string[] {
  if (isInPlaceSource(entry.source)) return [];
  const candidates = cached.get(entry.name);
  if (candidates === undefined) return [];
  const versions = candidates.filter((c) =>
    (entry.type === "unknown" || c.type === entry.type) &&
    (c.source === entry.source || c.source === "unknown") &&
    (c.registry === undefined || entry.reference === null ||
      [":", "@"].some((sep) => entry.reference!.startsWith(`${c.registry}/${c.repository}${sep}`)))
  ).map((c) => c.version);
  return sortBySemver(versions).reverse();
}

/**
 * Returns the entries with `cached` filled in.
 *
 * @example
 * ```ts
 * import { markCached } from "./cached_versions.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(markCached([], new Map()), []);
 * ```
 *
 * @param entries Discovered extensions.
 * @param cached What {@linkcode readCachedByName} returned.
 * @returns New entries with `cached` set.
 */
export function markCached(
  entries: readonly DiscoveredExtension[],
  cached: CachedByName,
): DiscoveredExtension[] {
  // Versions whose cache entry records a verified signer (`[signatures] require`).
  const signedOnly: CachedByName = new Map(
    [...cached].map(([name, list]) => [name, list.filter((c) => c.signer !== undefined)]),
  );
  return entries.map((entry) => {
    const signed = cachedVersionsOf(entry, signedOnly);
    return {
      ...entry,
      cached: cachedVersionsOf(entry, cached),
      ...(signed.length === 0 ? {} : { signed }),
    };
  });
}
