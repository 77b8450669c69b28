/**
 * Data types of the extension cache: blob sources, keys, entries, options and results.
 * Plain objects, no classes.
 *
 * @module
 */

import type { ExtensionType } from "../manifest/types.ts";

/**
 * A blob that can be opened as a stream, with the digest and size it must have. The OCI
 * client's `BlobSource` (which also carries `annotations` and a required `mediaType`) is
 * assignable to this shape.
 */
export interface BlobSource {
  /** `algorithm:hex` digest (`sha256:…` or `sha512:…`) of the bytes `open()` yields. */
  digest: string;
  /** Exact size in bytes. */
  size: number;
  /** Media type of the blob, when known (recorded, not interpreted). */
  mediaType?: string;
  /** Opens a fresh stream of the blob's bytes. */
  open(): Promise<ReadableStream<Uint8Array>>;
}

/**
 * An archive whose digest and size may be unknown (a `git archive` stream, a Gitea archive
 * download). When `digest`/`size` are given they are verified like a {@linkcode BlobSource}'s;
 * otherwise they are computed while the archive streams.
 */
export interface ArchiveSource {
  /** Expected `algorithm:hex` digest, when known. */
  digest?: string;
  /** Expected size in bytes, when known. */
  size?: number;
  /** Media type, when known. */
  mediaType?: string;
  /** Opens a fresh stream of the archive's bytes (tar or tar+gzip). */
  open(): Promise<ReadableStream<Uint8Array>>;
}

/** Identifies one cache entry: `{type}/{name}/{version}`. */
export interface CacheKey {
  type: ExtensionType;
  name: string;
  version: string;
}

/** Where a cache entry came from. `unknown` marks a directory found on disk without metadata. */
export type CacheSourceKind = "oci" | "oci-layout" | "gitea" | "git" | "local" | "unknown";

/**
 * What the index (and each entry's `.{version}.entry.json`) records about an entry.
 * Timestamps are ISO 8601 strings.
 */
export interface CacheRecord {
  type: ExtensionType;
  name: string;
  version: string;
  /** Where the entry came from. */
  source: CacheSourceKind;
  /**
   * The artifact's digest as its source names it: the manifest digest for OCI (what
   * `name@sha256:…` pins), the archive digest otherwise.
   */
  digest?: string;
  /**
   * The digest the tag pointed at when pulled, when it differs from `digest`: an image
   * index's digest (the tag named an index and `digest` is the manifest chosen from it).
   * A later look at the tag compares it with `tagDigest ?? digest` to see whether it moved.
   */
  tagDigest?: string;
  /** Digest of the blob that was unpacked (the OCI layer or the archive). */
  blobDigest?: string;
  /** Media type of that blob, when known. */
  mediaType?: string;
  /** Registry `host[:port]` (OCI). */
  registry?: string;
  /** Repository path inside the registry, or the OCI layout directory. */
  repository?: string;
  /** The reference that was resolved (`1.2.3`, `^1.2.0`, a digest…). */
  reference?: string;
  /** Git or Gitea remote URL. */
  remote?: string;
  /** Tag the version came from (`1.2.3`, `v1.2.3`). */
  tag?: string;
  /** Git commit the archive was made from. */
  commit?: string;
  /**
   * Fingerprint (`sha256:` of the DER public key) of the key whose cosign signature was
   * verified before the entry was written (`[signatures] require`); absent when none was.
   */
  signer?: string;
  /** Bytes of regular-file content in the unpacked tree. */
  size: number;
  /** Non-directory entries (files, symlinks, hard links) in the unpacked tree. */
  files: number;
  /** When the entry was written. */
  pulledAt: string;
  /** When the entry was last returned by a lookup (updated at most once per minute). */
  lastUsedAt: string;
}

/** A cache entry as returned by lookups: the record plus where it lives. */
export interface CacheEntry extends CacheRecord {
  /** `{type}/{name}/{version}`. */
  key: string;
  /** Absolute directory of the unpacked extension (contains `extension.yaml`). */
  path: string;
  /**
   * Only on a broken entry, from {@linkcode listCached} with `withBroken`: why it cannot be
   * used (`"extension.yaml is missing"`: deleted by hand). A broken entry answers no lookup;
   * loading it fetches it again, and `clear`/`prune` remove it like any other.
   */
  broken?: string;
}

/** Limits enforced while an archive streams. */
export interface ExtractLimits {
  /** Refuse archives whose regular files hold more than this many bytes in total. */
  maxBytes: number;
  /** Refuse archives with more than this many entries (files, directories, links). */
  maxFiles: number;
}

/** What {@linkcode extractArchive} wrote. */
export interface ExtractStats {
  /** Every entry written, the root excluded (counted against `maxFiles`). */
  entries: number;
  /** Regular files and hard links (also those written by materialised directory links). */
  files: number;
  /** Directories (also those written by materialised directory links). */
  directories: number;
  /** Symbolic links in the archive (made as links, materialised, or left out). */
  symlinks: number;
  /**
   * Symbolic links written as something else because Deno (or the file system) refused
   * `Deno.symlink`, as it does under any path-scoped `--allow-write`: a link to a file as a
   * hard link to it, a link to a directory as a copy of that directory (its directories
   * made anew, its files hard-linked). 0 when links could be made.
   */
  materializedLinks: number;
  /**
   * Symbolic links left out while materialising because they lead nowhere (their target is
   * not in the archive, or they only loop through other links).
   */
  omittedLinks: number;
  /**
   * Bytes of regular-file content, including (when links are materialised) the files they
   * add, which count towards `maxBytes` like the archive's own.
   */
  bytes: number;
  /** Whether the stream was gzip-compressed. */
  gzip: boolean;
}

/** Options every cache function accepts. */
export interface CacheOptions {
  /** Clock, for tests. Default: `() => new Date()`. */
  now?: () => Date;
}

/** Options of {@linkcode getFromCache}. */
export interface GetOptions extends CacheOptions {
  /**
   * Minimum milliseconds between two `lastUsedAt` updates of one entry (a hit inside the
   * interval writes nothing). Default 60,000. `Infinity` never updates.
   */
  touchIntervalMs?: number;
  /**
   * Which records may answer: a record it refuses is a miss (and is not touched). The loader
   * passes the origin rule of the source it asks for, so an entry of another registry,
   * repository or remote never answers.
   */
  accept?: (record: CacheRecord) => boolean;
}

/**
 * One layer of an artifact and where it goes in the unpacked tree: how `oras pull` lays out
 * an artifact of several layers (`oras push reg/x:1 extension.yaml kcl/`), each named by its
 * `org.opencontainers.image.title`.
 */
export interface TreePart {
  /** The layer. */
  blob: BlobSource;
  /**
   * Where it goes, relative to the tree's root: a safe relative path (no `..`, not absolute,
   * no backslash); `""` (the root itself) only for an archive.
   */
  path: string;
  /** `file`: written at `path` as it is; `archive`: a tar or tar+gzip unpacked at `path`. */
  kind: "file" | "archive";
  /** An archive's uncompressed-tar digest (`io.deis.oras.content.digest`), checked. */
  contentDigest?: string;
}

/** Options of the `save*ToCache` functions. */
export interface SaveOptions extends CacheOptions {
  /** Called as layer bytes arrive (all parts together: `total` is their sum). */
  onProgress?: (transferred: number, total: number) => void;
  /** Extraction limits. Default {@linkcode DEFAULT_EXTRACT_LIMITS}. */
  limits?: Partial<ExtractLimits>;
  /**
   * Checks the unpacked extension root (which already contains `extension.yaml`) before the
   * entry becomes visible; throw to refuse it. Typically parses the manifest and compares
   * name, type and version with the key.
   */
  validate?: (dir: string) => void | Promise<void>;
  /** Replace an existing entry instead of returning it. */
  force?: boolean;
  /** Keep the downloaded blob in `blobs/` (default true). */
  keepBlob?: boolean;
  /**
   * Where the extension lives inside the archive, relative to the archive root or to its
   * single top-level directory (Gitea's `subpath`). Default: found automatically.
   */
  subdir?: string;
  /**
   * Called, and awaited, as a save that fetches passes each {@linkcode SaveStep}. A small
   * hook for progress messages, and for tests that stop a save at a known point (the kill
   * test kills its child there).
   */
  onStep?: (step: SaveStep) => void | Promise<void>;
}

/**
 * The points a save passes, in order: `extracted` (verified and unpacked in `tmp/`),
 * `validated`, `recorded` (the record file is in place), `indexed` (the index row too; the
 * directory is not visible yet), `committed` (the entry is visible).
 */
export type SaveStep = "extracted" | "validated" | "recorded" | "indexed" | "committed";

/** What {@linkcode saveOciToCache} records besides the layer. */
export interface OciSaveInfo {
  /** The layer to unpack (tar+gzip or tar); give this or `parts`. */
  layer?: BlobSource;
  /** The digest of `layer`'s uncompressed tar (`io.deis.oras.content.digest`), checked. */
  contentDigest?: string;
  /** The layers of a multi-file artifact and where each goes; give this or `layer`. */
  parts?: readonly TreePart[];
  /** Names the artifact in messages (default `registry/repository:tag`). */
  label?: string;
  /** Manifest digest (recorded as the entry's `digest`; defaults to the layer digest). */
  digest?: string;
  /** The index digest the tag named, when the manifest was chosen from an index. */
  tagDigest?: string;
  /** Registry `host[:port]`, or omitted for an OCI layout. */
  registry?: string;
  /** Repository path, or the OCI layout directory. */
  repository?: string;
  /** The reference that was requested. */
  reference?: string;
  /** The tag that was pulled. */
  tag?: string;
  /** `oci` (default) or `oci-layout`. */
  source?: "oci" | "oci-layout";
  /** The fingerprint of the key whose signature was verified before saving. */
  signer?: string;
}

/** What {@linkcode saveGiteaToCache} records besides the archive. */
export interface GiteaSaveInfo {
  /** The archive (tar or tar+gzip) of the tree at `commit`. */
  archive: ArchiveSource;
  /** Remote URL. */
  remote?: string;
  /** Tag the version came from. */
  tag?: string;
  /** Commit the archive was made from. */
  commit?: string;
  /** The reference that was requested. */
  reference?: string;
  /** `gitea` (default) or `git`. */
  source?: "gitea" | "git";
}

/** Filter of {@linkcode listCached}; every given field must match. */
export interface ListFilter {
  type?: ExtensionType;
  name?: string;
  source?: CacheSourceKind;
  /** Also list broken entries (marked with `broken`); by default they are left out. */
  withBroken?: boolean;
}

/** Options of {@linkcode clearCache}: `all`, or a `type` and/or `name` filter. */
export interface ClearOptions extends CacheOptions {
  type?: ExtensionType;
  name?: string;
  all?: boolean;
}

/** Options of {@linkcode pruneCache}; an entry matching any criterion is removed. */
export interface PruneOptions extends CacheOptions {
  /** Remove entries not used for more than this many days. */
  days?: number;
  /** Keep only the N highest versions of each `{type}/{name}`. */
  keep?: number;
  /** Then remove least recently used entries until the entries total at most this many bytes. */
  maxSize?: number;
  /** Report what would be removed without removing anything. */
  dryRun?: boolean;
}

/** What {@linkcode pruneCache} (and {@linkcode clearCache}) removed. */
export interface RemovalResult {
  /** The removed entries (as they were). */
  removed: CacheEntry[];
  /** Bytes of unpacked content freed. */
  freedBytes: number;
  /** Blobs deleted because no remaining entry references them. */
  blobsRemoved: number;
  /** Bytes of blobs deleted. */
  blobBytesFreed: number;
  /** Entries skipped because another process was using them. */
  skipped: string[];
  /**
   * Leftovers of killed processes removed from `tmp/` (`clear --all` and `prune`; only the
   * cache's own temporary names, see `sweepTmp`).
   */
  leftoversRemoved: number;
  /** Bytes of those leftovers. */
  leftoverBytesFreed: number;
}

/** Per-type totals in {@linkcode CacheStats}. */
export interface TypeStats {
  entries: number;
  bytes: number;
}

/** What {@linkcode getCacheStats} reports. */
export interface CacheStats {
  /** The cache root. */
  root: string;
  /** Number of entries. */
  entries: number;
  /** Bytes of unpacked content in all entries. */
  bytes: number;
  /** Entries and bytes per extension type (only types present). */
  byType: Partial<Record<ExtensionType, TypeStats>>;
  /** Stored blobs. */
  blobs: { count: number; bytes: number };
  /**
   * The cache's own temporary files and folders in `tmp/`: operations in progress, or
   * leftovers of killed processes (which `clear --all` and `prune` remove).
   */
  leftovers: { count: number; bytes: number };
  /** Least recent `lastUsedAt`, if any entry. */
  oldestUse?: string;
  /** Most recent `lastUsedAt`, if any entry. */
  newestUse?: string;
}
