/**
 * Pruning: remove entries by last use, by version count per extension, and down to a size.
 *
 * @module
 */

import { versionComparator } from "./_compare_versions.ts";
import { blobSizes, listCached } from "./list.ts";
import { collectBlobs, removeEntries } from "./remove.ts";
import { emptyRemoval, rethrowIntegrity } from "./_removal.ts";
import { resolveCacheRoot } from "./root.ts";
import { sweepLeftovers } from "./sweep.ts";
import { cacheWriteError } from "./_write_errors.ts";
import type { CacheEntry, PruneOptions, RemovalResult } from "./types.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Selects the entries {@linkcode pruneCache} removes: those unused for more than `days`;
 * those beyond the `keep` highest versions of each `{type}/{name}`; then, while the
 * remaining entries plus the blobs only they use exceed `maxSize` bytes, the least recently
 * used. No criterion selects nothing.
 *
 * @example
 * ```ts
 * import { selectForPrune } from "./prune.ts";
 * import assert from "node:assert/strict";
 *
 * const at = (d: string) => new Date(d).toISOString();
 * const entry = (version: string, used: string) => ({
 *   key: `provider/aws/${version}`, path: "", type: "provider" as const, name: "aws", version,
 *   source: "oci" as const, size: 10, files: 1, pulledAt: at(used), lastUsedAt: at(used),
 * });
 * const entries = [entry("1.0.0", "2024-01-01"), entry("2.0.0", "2024-03-01")];
 * const now = () => new Date("2024-03-02");
 * assert.deepEqual(selectForPrune(entries, new Map(), { days: 30, now }).map((e) => e.version), ["1.0.0"]);
 * assert.deepEqual(selectForPrune(entries, new Map(), { keep: 1 }).map((e) => e.version), ["1.0.0"]);
 * ```
 *
 * @param entries Every cached entry.
 * @param blobs Stored blob sizes by digest.
 * @param options Criteria and clock.
 * @returns The entries to remove.
 */
export function selectForPrune(
  entries: readonly CacheEntry[],
  blobs: ReadonlyMap<string, number>,
  options: PruneOptions,
): CacheEntry[] {
  const selected = new Set<CacheEntry>();
  if (options.days !== undefined) {
    const cutoff = (options.now ?? (() => new Date()))().getTime() - options.days * DAY_MS;
    for (const entry of entries) {
      if (Date.parse(entry.lastUsedAt) < cutoff) selected.add(entry);
    }
  }
  if (options.keep !== undefined) {
    const groups = new Map<string, CacheEntry[]>();
    for (const entry of entries) {
      const group = `${entry.type}/${entry.name}`;
      groups.set(group, [...(groups.get(group) ?? []), entry]);
    }
    const byVersion = versionComparator();
    for (const group of groups.values()) {
      group.sort((a, b) => byVersion(b.version, a.version));
      for (const entry of group.slice(Math.max(0, options.keep))) selected.add(entry);
    }
  }
  if (options.maxSize !== undefined) {
    const remaining = entries.filter((e) => !selected.has(e));
    const users = new Map<string, number>();
    for (const e of remaining) {
      if (e.blobDigest) users.set(e.blobDigest, (users.get(e.blobDigest) ?? 0) + 1);
    }
    let total = remaining.reduce((sum, e) => sum + e.size, 0);
    for (const digest of users.keys()) total += blobs.get(digest) ?? 0;
    const byAge = [...remaining].sort((a, b) =>
      a.lastUsedAt < b.lastUsedAt ? -1 : a.lastUsedAt > b.lastUsedAt ? 1 : 0
    );
    for (const entry of byAge) {
      if (total <= options.maxSize) break;
      selected.add(entry);
      total -= entry.size;
      if (entry.blobDigest) {
        const left = (users.get(entry.blobDigest) ?? 1) - 1;
        users.set(entry.blobDigest, left);
        if (left === 0) total -= blobs.get(entry.blobDigest) ?? 0;
      }
    }
  }
  return entries.filter((e) => selected.has(e));
}

/**
 * Removes entries selected by {@linkcode selectForPrune} (skipping entries another process
 * is using), then the blobs no remaining entry references, then the leftovers of killed
 * processes in `tmp/` (only the cache's own temporary names; not with `dryRun`).
 *
 * @example
 * ```ts
 * import { pruneCache } from "./prune.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * const result = await pruneCache(root, { days: 30 });
 * assert.deepEqual(result.removed, []);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root.
 * @param options Criteria (`days`, `keep`, `maxSize`), `dryRun`, clock.
 * @returns What was (or, with `dryRun`, would be) removed.
 * @throws {ProvisioningError} `INTEGRITY` when a cache folder it uses is a symlink or not a
 * directory (see `safe_dirs.ts`); `CACHE_ROOT_NOT_OWNED` for a folder the cache did not
 * make; `CACHE_READ_ONLY` when it cannot be written.
 */
export async function pruneCache(root: string, options: PruneOptions = {}): Promise<RemovalResult> {
  try {
    return await pruneRealRoot(root, options);
  } catch (error) {
    throw cacheWriteError(error, root, "prune the cache");
  }
}

async function pruneRealRoot(root: string, options: PruneOptions): Promise<RemovalResult> {
  const real = await resolveCacheRoot(root);
  if (real === undefined) return emptyRemoval();
  const entries = await listCached(real, { withBroken: true }, options);
  const blobs = await blobSizes(real);
  const selected = selectForPrune(entries, blobs, options);
  if (options.dryRun) {
    return {
      ...emptyRemoval(),
      removed: selected,
      freedBytes: selected.reduce((sum, e) => sum + e.size, 0),
    };
  }
  const keys = selected.map(({ type, name, version }) => ({ type, name, version }));
  const { removed, skipped } = await removeEntries(real, keys, { ...options, wait: false });
  const candidates = new Set(removed.flatMap((e) => (e.blobDigest ? [e.blobDigest] : [])));
  const freed = candidates.size > 0
    ? await collectBlobs(real, candidates, options)
    : { count: 0, bytes: 0 };
  const leftovers = await sweepLeftovers(real, options).catch(rethrowIntegrity);
  return {
    removed,
    freedBytes: removed.reduce((sum, e) => sum + e.size, 0),
    blobsRemoved: freed.count,
    blobBytesFreed: freed.bytes,
    skipped,
    leftoversRemoved: leftovers.count,
    leftoverBytesFreed: leftovers.bytes,
  };
}
