/**
 * The extension cache: unpacked extensions under
 * `<root>/extensions/{type}/{name}/{version}/`, downloaded blobs content-addressed in
 * `<root>/blobs/sha256/`, and an index (`<root>/index.json`) for lookups by
 * `{type}/{name}/{version}`.
 *
 * - Every write is atomic (temporary file or directory in `<root>/tmp/` + rename).
 * - Concurrent processes are safe: `flock` locks per entry and for the index
 *   (`<root>/locks/`); concurrent saves of one key download once.
 * - A process killed at any moment leaves no visible half entry; its leftovers in `tmp/`
 *   are swept by the next save once no live process holds their lock.
 * - Each entry's record is also written beside its directory
 *   (`extensions/{type}/{name}/.{version}.entry.json`), so a missing or corrupt index is
 *   rebuilt from disk with full metadata.
 * - Archives are extracted safely (see {@linkcode extractArchive}); digests and sizes are
 *   verified before anything becomes visible. Under a path-scoped `--allow-write`, where Deno
 *   refuses `Deno.symlink`, an archive's symlinks are materialised (hard links for files,
 *   copies for directories) so the extension still unpacks; the entry's `files`/`size` then
 *   count what is on disk.
 * - Links are never followed inside the root. Deno checks a write grant against the path as
 *   written, so a symlink planted at a cache folder would carry writes outside the root even
 *   under `--allow-write=<cache>`. The root is resolved once with `realPath` when an
 *   operation starts (the root itself may be a link: that is the user's configuration) and
 *   every operation works from the real path; each fixed folder (`extensions`,
 *   `extensions/{type}`, `extensions/{type}/{name}`, `blobs`, `blobs/sha256`, `locks`,
 *   `tmp`) is checked with `lstat` before use and created missing with a non-recursive
 *   `mkdir`, one component at a time. A symlink, or anything but a directory, there is
 *   refused with `INTEGRITY` (exit 5) naming the path; remove it and the cache recreates it.
 *   Lock files are created with `createNew` and opened only when `lstat` shows a regular
 *   file; temporary files are created with `createNew`; the index, record files, blobs and
 *   entry directories are put in place by `rename`, which replaces a link rather than
 *   following it. When the configured root is a link, a Deno write grant must name the
 *   resolved path.
 *
 * @example Save and look up
 * ```ts
 * import { getFromCache, listCached, saveOciToCache } from "./mod.ts";
 * import { packTar } from "modern-tar";
 * import { createHash } from "node:crypto";
 * import assert from "node:assert/strict";
 *
 * const tar = await packTar([
 *   { header: { name: "extension.yaml", size: 4, type: "file" }, body: "a: 1" },
 * ]);
 * const layer = {
 *   digest: "sha256:" + createHash("sha256").update(tar).digest("hex"),
 *   size: tar.length,
 *   open: () => Promise.resolve(new Blob([tar]).stream()),
 * };
 * const root = await Deno.makeTempDir();
 * await saveOciToCache(root, { type: "provider", name: "aws", version: "1.0.0" }, { layer });
 * const entry = await getFromCache(root, "provider", "aws", "1.0.0");
 * assert.equal(entry?.digest, layer.digest);
 * assert.equal((await listCached(root)).length, 1);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @module
 */

export * from "./types.ts";
export { DEFAULT_EXTRACT_LIMITS, extractArchive, type ExtractOptions } from "./extract.ts";
export { normalizeEntryName, symlinkTargetProblem } from "./archive_paths.ts";
export { DEFAULT_TOUCH_INTERVAL_MS, getFromCache } from "./get.ts";
export { saveGiteaToCache, saveOciToCache } from "./save.ts";
export { type IngestOptions, ingestToFile, storeBlob } from "./ingest.ts";
export { blobOriginsPath, readBlobOrigins, recordBlobOrigins } from "./blob_origins.ts";
export { clearCache, removeFromCache } from "./remove.ts";
export { findBestCached, getCacheStats, listCached } from "./list.ts";
export { pruneCache, selectForPrune } from "./prune.ts";
export { loadIndex, readIndex, rebuildIndex } from "./index_file.ts";
export { type LeftoverTotals, sweepTmp } from "./sweep.ts";
export { type CacheOrigin, describeOrigin, isSameOrigin } from "./origin.ts";
export { blobPath, cachePaths, entryDir, entryMetaPath, keyString } from "./layout.ts";
export { MANIFEST_FILE } from "./tree.ts";
export { ensureRealDir } from "./safe_dirs.ts";
export { CACHE_MARKER, resolveCacheRoot } from "./root.ts";
export { makeScratchDir, type ScratchDir } from "./scratch.ts";
