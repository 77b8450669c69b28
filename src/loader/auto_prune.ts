/**
 * The automatic prune after a pull, driven by `[cache] max_age_days` and `max_size`.
 *
 * @module
 */

import { getFromCache } from "../cache/get.ts";
import { blobPath } from "../cache/layout.ts";
import { pruneCache } from "../cache/prune.ts";
import type { RemovalResult } from "../cache/types.ts";
import type { CacheSettings } from "../config/types.ts";
import type { ExtensionType } from "../manifest/types.ts";

/**
 * Prunes the cache when `[cache] max_age_days` or `max_size` is set: entries unused for
 * longer than the age, then the least recently used until the cache fits the size. The entry
 * just pulled is never removed (the size limit is raised to fit it when it alone is larger).
 * Entries other processes are using are skipped.
 *
 * @example
 * ```ts
 * import { autoPrune } from "./auto_prune.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * const settings = {
 *   dir: root, max_age_days: undefined, max_size: undefined,
 *   max_extract_bytes: 1e9, max_extract_files: 1e5,
 * };
 * assert.equal(await autoPrune(settings, { type: "provider", name: "aws", version: "1.0.0" }), undefined);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param settings `[cache]` settings.
 * @param pulled The entry just pulled.
 * @returns What was removed, or undefined when no limit is configured.
 */
export async function autoPrune(
  settings: CacheSettings,
  pulled: { type: ExtensionType; name: string; version: string },
): Promise<RemovalResult | undefined> {
  const { dir, max_age_days: days, max_size: maxSize } = settings;
  if (days === undefined && maxSize === undefined) return undefined;
  let size = maxSize;
  if (size !== undefined) {
    // Least recently used go first and the pulled entry was used last, so it survives when
    // the limit leaves room for it and its blob.
    const entry = await getFromCache(dir, pulled.type, pulled.name, pulled.version, {
      touchIntervalMs: Infinity,
    });
    const blob = entry?.blobDigest === undefined
      ? 0
      : await Deno.stat(blobPath(dir, entry.blobDigest)).then((i) => i.size, () => 0);
    size = Math.max(size, (entry?.size ?? 0) + blob);
  }
  return await pruneCache(dir, {
    ...(days === undefined ? {} : { days }),
    ...(size === undefined ? {} : { maxSize: size }),
  });
}
