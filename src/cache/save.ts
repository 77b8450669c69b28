/**
 * Saving an archive into the cache: download (verifying digest and size), extract safely,
 * find and validate the extension root, then commit atomically under the entry's lock.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { lstatOrUndefined, removeQuietly, tmpPath } from "./_fs.ts";
import { cacheWriteError } from "./_write_errors.ts";
import { renameIntoPlace, toEntry, writeEntryRecord } from "./entry_record.ts";
import { normalizeEntryName } from "./archive_paths.ts";
import {
  archiveHeadProblem,
  DEFAULT_EXTRACT_LIMITS,
  extractArchive,
  HEAD_BYTES,
} from "./extract.ts";
import { lookupRecord } from "./get.ts";
import { mutateIndex } from "./index_file.ts";
import { ingestToFile } from "./ingest.ts";
import {
  assertValidKey,
  blobPath,
  entryDir,
  entryLockId,
  entryMetaPath,
  keyString,
  parseDigest,
} from "./layout.ts";
import { acquireLock } from "./lock.ts";
import { resolveCacheRoot } from "./root.ts";
import { ensureLayout, ensureRealDir, hasRealDir } from "./safe_dirs.ts";
import { isSameOrigin } from "./origin.ts";
import { sweepTmp } from "./sweep.ts";
import { assertLinksInside, locateExtensionRoot, treeTotals } from "./tree.ts";
import type {
  ArchiveSource,
  CacheEntry,
  CacheKey,
  CacheRecord,
  ExtractLimits,
  ExtractStats,
  GiteaSaveInfo,
  OciSaveInfo,
  SaveOptions,
  TreePart,
} from "./types.ts";

/** Record fields the caller supplies (source, registry, tag…). */
type Provenance = Omit<
  CacheRecord,
  "type" | "name" | "version" | "size" | "files" | "pulledAt" | "lastUsedAt" | "blobDigest"
>;

/**
 * Saves an OCI layer into the cache as `{type}/{name}/{version}` and returns the entry.
 *
 * Flow: if the entry exists (and not `force`) it is returned at once. Otherwise the entry's
 * lock is taken (concurrent savers of the same key wait here, then find the entry and
 * return it without calling `layer.open()`); the layer is taken from `blobs/` when present,
 * else streamed once through a verifier (digest, size) into `tmp/` while it is extracted
 * into a fresh staging directory; the extension root is located (`extension.yaml` at the
 * top or in the single top-level directory) and passed to `validate`; then the record file,
 * the index row and finally the directory are put in place by renames. Every cache folder
 * on the way is checked with `lstat` first and a symlink there is refused, so nothing is
 * ever written, renamed or deleted through a link planted in the cache. Failures leave
 * nothing visible and remove their temporary files; a killed process leaves only
 * temporary files, which the next save sweeps.
 *
 * @example
 * ```ts
 * import { saveOciToCache } from "./save.ts";
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
 * const key = { type: "provider" as const, name: "aws", version: "1.0.0" };
 * const entry = await saveOciToCache(root, key, { layer, registry: "localhost:5000" });
 * assert.equal(entry.source, "oci");
 * assert.equal(await Deno.readTextFile(`${entry.path}/extension.yaml`), "a: 1");
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root (created when missing; resolved once with `realPath`, and the
 * entry's `path` is below the real root).
 * @param key Type, name and version of the entry.
 * @param info The layer and where it came from.
 * @param options Validation, limits, force, clock.
 * @returns The entry.
 * @throws {ProvisioningError} `DIGEST_MISMATCH`/`SIZE_MISMATCH` for a corrupt download,
 * `UNSAFE_ARCHIVE`/`INTEGRITY` for a refused or corrupt archive, `INVALID_EXTENSION` when no
 * `extension.yaml` is found, `USAGE` for a bad key, `INTEGRITY` when a cache folder or lock
 * file is a symlink or not what the cache made (nothing is written through it),
 * `INVALID_CONFIG` when the root is not a directory, `CACHE_ROOT_NOT_OWNED` when it is a
 * folder the cache did not make (see `root.ts`), `CACHE_NO_SPACE` when the disk is full and
 * `CACHE_READ_ONLY` when the folder cannot be written (each naming the cache folder, with
 * nothing left behind), and whatever `validate` or `layer.open()` throw.
 */
export async function saveOciToCache(
  root: string,
  key: CacheKey,
  info: OciSaveInfo,
  options: SaveOptions = {},
): Promise<CacheEntry> {
  const parts: readonly Part[] | undefined = info.parts ??
    (info.layer === undefined ? undefined : [{
      blob: info.layer,
      path: "",
      kind: "archive",
      ...(info.contentDigest === undefined ? {} : { contentDigest: info.contentDigest }),
    }]);
  if (parts === undefined || parts.length === 0 || (info.parts && info.layer)) {
    throw new ProvisioningError("USAGE", "Cannot save an artifact: give one layer or its parts");
  }
  const single = info.layer;
  const provenance: Provenance = {
    source: info.source ?? "oci",
    ...definedFields({
      digest: info.digest ?? single?.digest,
      mediaType: single?.mediaType,
      registry: info.registry,
      repository: info.repository,
      reference: info.reference,
      tag: info.tag,
      tagDigest: info.tagDigest,
      signer: info.signer,
    }),
  };
  const label = info.label ??
    [info.registry, info.repository].filter((p) => p !== undefined).join("/") +
      (info.tag === undefined ? "" : `:${info.tag}`);
  const describe = (blob: ArchiveSource) => `layer "${blob.digest}" of "${label}"`;
  return await saveArchiveToCache(root, key, parts, provenance, options, label, describe);
}

/**
 * Saves a git or Gitea archive (tar or tar+gzip of the tree at `commit`) into the cache;
 * the same flow as {@linkcode saveOciToCache}. The archive's digest and size are verified
 * when given and computed otherwise; `subdir` in `options` selects where in the repository
 * the extension lives.
 *
 * @example
 * ```ts
 * import { saveGiteaToCache } from "./save.ts";
 * import { packTar } from "modern-tar";
 * import assert from "node:assert/strict";
 *
 * const tar = await packTar([
 *   { header: { name: "repo/extension.yaml", size: 4, type: "file" }, body: "a: 1" },
 * ]);
 * const archive = { open: () => Promise.resolve(new Blob([tar]).stream()) };
 * const root = await Deno.makeTempDir();
 * const key = { type: "taskserv" as const, name: "k8s", version: "1.28.0" };
 * const entry = await saveGiteaToCache(root, key, { archive, tag: "v1.28.0", commit: "abc" });
 * assert.equal(entry.commit, "abc");
 * assert.match(entry.digest ?? "", /^sha256:/);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root The cache root (created when missing).
 * @param key Type, name and version of the entry.
 * @param info The archive and where it came from.
 * @param options Validation, limits, subdir, force, clock.
 * @returns The entry.
 * @throws {ProvisioningError} As {@linkcode saveOciToCache}.
 */
export async function saveGiteaToCache(
  root: string,
  key: CacheKey,
  info: GiteaSaveInfo,
  options: SaveOptions = {},
): Promise<CacheEntry> {
  const provenance: Provenance = {
    source: info.source ?? "gitea",
    ...definedFields({
      digest: info.archive.digest,
      mediaType: info.archive.mediaType,
      remote: info.remote,
      reference: info.reference,
      tag: info.tag,
      commit: info.commit,
    }),
  };
  const parts: Part[] = [{ blob: info.archive, path: "", kind: "archive" }];
  const label = info.remote ?? "the archive";
  const describe = (blob: ArchiveSource) =>
    blob.digest === undefined ? `archive of "${label}"` : `archive "${blob.digest}" of "${label}"`;
  return await saveArchiveToCache(root, key, parts, provenance, options, label, describe);
}

/** A {@linkcode TreePart} whose blob may not know its digest yet (a git archive). */
type Part = Omit<TreePart, "blob"> & { blob: ArchiveSource };

/** Whether a stored record holds what `provenance` describes: same origin, same digest. */
function sameContent(record: CacheRecord, provenance: Provenance): boolean {
  return isSameOrigin(record, provenance) &&
    (provenance.digest === undefined || record.digest === provenance.digest);
}

function definedFields<T extends Record<string, string | undefined>>(
  fields: T,
): { [K in keyof T]?: string } {
  const out: { [K in keyof T]?: string } = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined) out[k as keyof T] = v;
  }
  return out;
}

async function saveArchiveToCache(
  configuredRoot: string,
  key: CacheKey,
  parts: readonly Part[],
  provenance: Provenance,
  options: SaveOptions,
  label: string,
  describe: (blob: ArchiveSource) => string,
): Promise<CacheEntry> {
  assertValidKey(key);
  for (const { blob } of parts) {
    if (blob.digest !== undefined) parseDigest(blob.digest);
    if (blob.size !== undefined && (!Number.isSafeInteger(blob.size) || blob.size < 0)) {
      throw new ProvisioningError("USAGE", `Cannot use ${blob.size} as a blob size`);
    }
  }
  try {
    return await saveLocked(configuredRoot, key, parts, provenance, options, label, describe);
  } catch (error) {
    // A full disk or a read-only cache is the cache folder's problem, named as such (not
    // an unexpected failure, not a damaged archive); nothing was made visible.
    throw cacheWriteError(error, configuredRoot, `save "${keyString(key)}"`);
  }
}

async function saveLocked(
  configuredRoot: string,
  key: CacheKey,
  parts: readonly Part[],
  provenance: Provenance,
  options: SaveOptions,
  label: string,
  describe: (blob: ArchiveSource) => string,
): Promise<CacheEntry> {
  const root = (await resolveCacheRoot(configuredRoot, { create: true }))!;
  await ensureLayout(root);
  const lookup = { ...options, touchIntervalMs: Infinity };
  // An entry of the same key answers only for the same origin and content; one of another
  // registry, repository, remote or digest is replaced, never returned.
  const reusable = async () => {
    if (options.force) return undefined;
    const existing = await lookupRecord(root, key, lookup);
    return existing !== undefined && sameContent(existing, provenance) ? existing : undefined;
  };
  const before = await reusable();
  if (before) return toEntry(root, before);
  await sweepTmp(root, options).catch(() => 0);
  const lockId = entryLockId(key);
  using _lock = await acquireLock(root, lockId);
  const locked = await reusable();
  if (locked) return toEntry(root, locked);
  const temps: string[] = [];
  const temp = (kind: string) => {
    const path = tmpPath(root, lockId, kind);
    temps.push(path);
    return path;
  };
  const step = options.onStep ?? (() => {});
  let recorded = false;
  try {
    const stage = temp("stage");
    const fetched = await stageTree(root, parts, stage, temp, options, label, describe);
    await step("extracted");
    let extensionRoot = stage;
    let totals = {
      files: fetched.stats.files + fetched.stats.symlinks,
      bytes: fetched.stats.bytes,
    };
    const rel = await locateExtensionRoot(stage, options.subdir);
    if (rel.length === 0 && fetched.stats.materializedLinks + fetched.stats.omittedLinks > 0) {
      totals = await treeTotals(extensionRoot); // the tree is not what the archive listed
    }
    if (rel.length > 0) {
      extensionRoot = temp("root");
      await Deno.rename(join(stage, ...rel), extensionRoot);
      await removeQuietly(stage);
      // (Materialised links are files and copies by now, of the same verified archive.)
      await assertLinksInside(extensionRoot);
      totals = await treeTotals(extensionRoot);
    }
    await options.validate?.(extensionRoot);
    await step("validated");

    const now = (options.now ?? (() => new Date()))().toISOString();
    const record: CacheRecord = {
      ...key,
      ...provenance,
      ...definedFields({
        digest: provenance.digest ?? fetched.digest,
        blobDigest: fetched.digest,
      }),
      size: totals.bytes,
      files: totals.files,
      pulledAt: now,
      lastUsedAt: now,
    };
    // Commit. Order matters for crash safety: the old directory leaves first, then the
    // record file and the index row are written, and the directory appears last. A crash
    // in between leaves a row or record without a directory, which readers ignore and
    // repair; a directory never appears without its record.
    if (fetched.ingested && fetched.digest) {
      await renameIntoPlace(root, fetched.ingested, blobPath(root, fetched.digest));
    }
    const dir = entryDir(root, key);
    await ensureRealDir(root, ["extensions", key.type, key.name]);
    // A link planted at the entry's own path is moved away like an old entry, not followed.
    if (await lstatOrUndefined(dir)) await Deno.rename(dir, temp("trash"));
    recorded = true;
    await writeEntryRecord(root, lockId, record);
    await step("recorded");
    await mutateIndex(root, (rows) => {
      rows[keyString(key)] = record;
    }, options);
    await step("indexed");
    await renameIntoPlace(root, extensionRoot, dir);
    recorded = false;
    await step("committed");
    return toEntry(root, record);
  } catch (error) {
    // Failed mid-commit (a full disk writing the index): take the record back, so nothing
    // of this save stays behind; the row, if written, is dropped by the next lookup.
    if (recorded && !(await lstatOrUndefined(entryDir(root, key)))) {
      await Deno.remove(entryMetaPath(root, key)).catch(() => {});
    }
    throw error;
  } finally {
    for (const path of temps) await removeQuietly(path).catch(() => {});
  }
}

/** What {@linkcode stageTree} put into the staging directory. */
interface Staged {
  stats: ExtractStats;
  /** The digest of the one archive unpacked (absent for a tree of several parts). */
  digest?: string;
  /** Its verified copy in `tmp/`, to move into `blobs/` when the entry is committed. */
  ingested?: string;
}

/**
 * Builds the tree in `stage` from the parts. Every part is hashed exactly once on its way
 * to disk (`ingestToFile`: the one verifying stream), and an archive is unpacked only from
 * its verified copy, so the extractor never reads a byte whose digest has not matched; a
 * corrupt layer is a `DIGEST_MISMATCH` naming the layer and the artifact, not an archive
 * error. One archive at the root (an extension layer, a git archive) is unpacked from
 * `blobs/` when stored there and its verified copy kept for `blobs/`; the parts of a
 * multi-file artifact are each written (a file) or unpacked (an archive) at their path.
 */
async function stageTree(
  root: string,
  parts: readonly Part[],
  stage: string,
  temp: (kind: string) => string,
  options: SaveOptions,
  label: string,
  layerLabel: (blob: ArchiveSource) => string,
): Promise<Staged> {
  const total = parts.reduce((sum, p) => sum + (p.blob.size ?? 0), 0);
  let done = 0;
  const progress = (blob: ArchiveSource) => {
    const report = options.onProgress;
    if (report === undefined) return {};
    const before = done;
    done += blob.size ?? 0;
    return { onProgress: (p: { transferred: number }) => report(before + p.transferred, total) };
  };
  const only = parts.length === 1 && parts[0]!.kind === "archive" && parts[0]!.path === ""
    ? parts[0]!
    : undefined;
  if (only !== undefined) {
    const { blob } = only;
    const extract = {
      label: layerLabel(blob),
      ...definedFields({ contentDigest: only.contentDigest }),
    };
    const stored = await openStoredBlob(root, blob);
    if (stored) {
      const stats = await extractArchive(stored.readable, stage, options.limits, extract);
      return { stats, digest: blob.digest! };
    }
    checkArchiveSize(blob, options.limits, label);
    const ingest = temp("blob");
    const verified = await ingestToFile(blob, ingest, {
      label: extract.label,
      ...progress(blob),
      // Not an archive at all: stop at its first block, not after gigabytes.
      checkHead: { bytes: HEAD_BYTES, check: throwArchiveHeadProblem },
    });
    const file = await Deno.open(ingest, { read: true });
    const stats = await extractArchive(file.readable, stage, options.limits, extract);
    return (options.keepBlob ?? true)
      ? { stats, digest: verified.digest, ingested: ingest }
      : { stats, digest: verified.digest };
  }
  const maxBytes = options.limits?.maxBytes ?? DEFAULT_EXTRACT_LIMITS.maxBytes;
  if (total > maxBytes) {
    throw new ProvisioningError(
      "UNSAFE_ARCHIVE",
      `Refusing artifact "${label}": its layers hold more than ${maxBytes} bytes`,
    );
  }
  await Deno.mkdir(stage, { mode: 0o755 });
  // Folders first, so a file layer may land inside a folder layer (`ext/` + `ext/NOTES.txt`).
  const ordered = [...parts].sort((a, b) => a.kind === b.kind ? 0 : a.kind === "archive" ? -1 : 1);
  for (const part of ordered) {
    const where = safePartPath(part, label);
    await makeParents(stage, where.slice(0, -1), label);
    const dest = join(stage, ...where);
    const blabel = layerLabel(part.blob);
    if (await lstatOrUndefined(dest)) throw duplicateTitle(label, where);
    if (part.kind === "file") {
      await ingestToFile(part.blob, dest, { label: blabel, ...progress(part.blob) });
      continue;
    }
    const ingest = temp("blob");
    await ingestToFile(part.blob, ingest, { label: blabel, ...progress(part.blob) });
    const unpacked = temp("part");
    await extractArchive(
      (await Deno.open(ingest, { read: true })).readable,
      unpacked,
      options.limits,
      {
        label: blabel,
        ...definedFields({ contentDigest: part.contentDigest }),
      },
    );
    await removeQuietly(ingest);
    // ORAS tars a directory under its title (`ext/…`): that folder is what goes at `path`.
    const inner = join(unpacked, ...where);
    const info = await lstatOrUndefined(inner);
    await Deno.rename(info?.isDirectory ? inner : unpacked, dest);
  }
  const totals = await treeTotals(stage);
  return {
    stats: {
      entries: totals.files,
      files: totals.files,
      directories: 0,
      symlinks: 0,
      materializedLinks: 0,
      omittedLinks: 0,
      bytes: totals.bytes,
      gzip: false,
    },
  };
}

/** The stored blob opened for reading, when `blobs/` holds it at the right size. */
async function openStoredBlob(root: string, blob: ArchiveSource): Promise<Deno.FsFile | undefined> {
  if (blob.digest === undefined) return undefined;
  const stored = blobPath(root, blob.digest);
  const algorithm = parseDigest(blob.digest).algorithm;
  const info = await hasRealDir(root, ["blobs", algorithm])
    ? await lstatOrUndefined(stored)
    : undefined;
  if (!info?.isFile || (blob.size !== undefined && info.size !== blob.size)) return undefined;
  try {
    return await Deno.open(stored, { read: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    return undefined;
  }
}

/** A part's path split into safe components (a layer title is as untrusted as a tar name). */
function safePartPath(part: Part, label: string): string[] {
  const normalized = normalizeEntryName(part.path);
  if ("reason" in normalized || normalized.parts.length === 0) {
    const reason = "reason" in normalized ? normalized.reason : "it is empty";
    throw new ProvisioningError(
      "UNSAFE_ARCHIVE",
      `Refusing layer "${part.blob.digest}" of "${label}" titled "${part.path}": ${reason}`,
      { hint: "Layer titles must be relative paths inside the extension" },
    );
  }
  return normalized.parts;
}

/** Creates `parts` below `dir` one component at a time (a fresh staging tree: no links). */
async function makeParents(dir: string, parts: readonly string[], label: string): Promise<void> {
  for (let i = 1; i <= parts.length; i++) {
    const path = join(dir, ...parts.slice(0, i));
    const info = await lstatOrUndefined(path);
    if (info === undefined) await Deno.mkdir(path, { mode: 0o755 });
    else if (!info.isDirectory) throw duplicateTitle(label, parts.slice(0, i));
  }
}

function duplicateTitle(label: string, parts: readonly string[]): ProvisioningError {
  return new ProvisioningError(
    "UNSAFE_ARCHIVE",
    `Refusing artifact "${label}": two of its layers are titled "${parts.join("/")}"`,
    { hint: "Each layer of an artifact needs its own title (its path in the extension)" },
  );
}

/**
 * Refuses, before a byte is downloaded, an archive layer whose declared size could not unpack
 * within the limits: its content at most `maxBytes`, plus tar's 512-byte header and padding per
 * entry and gzip's worst case (incompressible data grows by well under 1 %).
 */
function checkArchiveSize(
  blob: ArchiveSource,
  limits: Partial<ExtractLimits> | undefined,
  label: string,
): void {
  const maxBytes = limits?.maxBytes ?? DEFAULT_EXTRACT_LIMITS.maxBytes;
  const maxFiles = limits?.maxFiles ?? DEFAULT_EXTRACT_LIMITS.maxFiles;
  const bound = maxBytes + Math.ceil(maxBytes / 100) + maxFiles * 1024 + 64 * 1024;
  if (blob.size !== undefined && blob.size > bound) {
    throw new ProvisioningError(
      "UNSAFE_ARCHIVE",
      `Refusing artifact "${label}": its layer is ${blob.size} bytes, more than its contents may ` +
        `unpack to ([cache] max_extract_bytes = ${maxBytes})`,
      { hint: "Raise [cache] max_extract_bytes if the extension really is this large" },
    );
  }
}

function throwArchiveHeadProblem(head: Uint8Array): void {
  const problem = archiveHeadProblem(head);
  if (problem !== undefined) throw problem;
}
