/**
 * The one interface every extension source implements (`local`, `oci`, `oci-layout`, and
 * the `gitea`/`git` sources to come), and the plain data it exchanges with the loader.
 *
 * A source answers three questions: which versions of a name it has, which version a spec
 * picks, and where the chosen version lives on disk (`materialize`): a local source points at
 * the directory in place, a remote one streams the artifact into the cache, checking its
 * digest and validating the `extension.yaml` inside before the entry becomes visible.
 *
 * @module
 */

import type { CacheRecord, ExtractLimits } from "../cache/types.ts";
import type { ConcreteSourceType, ResolvedConfig } from "../config/types.ts";
import type { ExtensionManifest, ExtensionType } from "../manifest/types.ts";

/** One version a source offers. */
export interface SourceVersion {
  /** Semantic version (`1.2.3`, `1.2.3+build.1`). */
  version: string;
  /** The extension type, when the source knows it without downloading anything. */
  type?: ExtensionType;
  /**
   * What the source needs to fetch this version again: a tag (`v1.2.3`, `1.2.3_b.1`) for
   * OCI and layouts, a directory for `local`.
   */
  ref: string;
}

/** The version a source chose for a spec. */
export interface ResolvedVersion extends SourceVersion {
  /** The source that resolved it. */
  source: ConcreteSourceType;
  /** Extension name. */
  name: string;
  /** The spec it was resolved from (recorded in the cache as the reference). */
  spec: string;
}

/** Progress of a download, for progress bars. */
export interface SourceProgress {
  /** Extension name. */
  name: string;
  /** Version being fetched. */
  version: string;
  /** Bytes received so far. */
  transferred: number;
  /** Total bytes (0 when unknown). */
  total: number;
}

/** Options of {@linkcode Source.materialize}. */
export interface MaterializeOptions {
  /** Cache root remote sources store into (`settings.cache.dir`). */
  cacheRoot: string;
  /** The type the caller asked for: the artifact must have it (`TYPE_MISMATCH` otherwise). */
  type?: ExtensionType;
  /** Refetch and replace a cached entry. */
  force?: boolean;
  /** Extraction limits (`[cache] max_extract_bytes`, `max_extract_files`). */
  limits?: Partial<ExtractLimits>;
  /** Called as bytes arrive. */
  onProgress?: (progress: SourceProgress) => void;
  /** Receives the fetched manifest's warnings (unknown keys), once, when it is first stored. */
  onWarning?: (message: string) => void;
  /**
   * Checks the artifact before any of it is downloaded (the signature gate of
   * `[signatures] require`): given where it is and its manifest digest, throws to refuse it,
   * or returns the signer fingerprint recorded in the cache entry.
   */
  verify?: (artifact: {
    source: ConcreteSourceType;
    registry?: string | undefined;
    repository: string;
    digest: string;
  }) => Promise<{ signer?: string }>;
}

/** A version that is ready to use on disk. */
export interface MaterializedExtension {
  /** The source it came from (a cache entry keeps the source that wrote it). */
  source: ConcreteSourceType;
  name: string;
  type: ExtensionType;
  version: string;
  /** Directory holding `extension.yaml`: in place for `local`, the cache entry otherwise. */
  path: string;
  /** The validated manifest. */
  manifest: ExtensionManifest;
  /** Manifest digest (OCI and OCI layouts); the archive's SHA-256 for git and Gitea. */
  digest?: string;
  /**
   * Where the content came from (`registry/repository`, the layout folder, the remote):
   * with `digest`, the canonical reference `origin@digest`. Absent for `local`.
   */
  origin?: string;
  /**
   * The digest the tag named when fetched, when it is not `digest` (an image index the
   * manifest was chosen from). A tag has moved when it names neither.
   */
  tagDigest?: string;
  /** Whether bytes were downloaded or unpacked just now (false for a cache hit or `local`). */
  fetched: boolean;
  /** The fingerprint of the key whose signature was verified when it was fetched. */
  signer?: string;
}

/**
 * An extension source. Errors are {@linkcode ProvisioningError}s: `NOT_FOUND` /
 * `VERSION_NOT_FOUND` when the source does not have what was asked (the `auto` chain moves
 * on), `UNREACHABLE` / `TIMEOUT` when it cannot be reached (the loader falls back to the
 * cache), anything else stops the chain.
 */
export interface Source {
  /** Which source this is. */
  readonly kind: ConcreteSourceType;
  /**
   * Why the source cannot be used with this configuration (no layout paths, not built yet…),
   * or undefined when it can. `auto` skips such a source; asking for it explicitly is an error.
   */
  readonly unavailable: string | undefined;
  /** Whether versions are stored in the cache (remote sources) or used in place (`local`). */
  readonly cached: boolean;
  /** Whether the source needs the network (skipped with `--offline`). */
  readonly network: boolean;
  /**
   * Every version of `name`, ascending, with the type when known.
   *
   * @param name Extension name.
   * @param type When given, only versions of this type (where the type is known).
   */
  listVersions(name: string, type?: ExtensionType): Promise<SourceVersion[]>;
  /**
   * The highest version of `name` satisfying `spec`.
   *
   * @param name Extension name.
   * @param spec Version spec (already checked by the caller).
   * @param type When given, only this type.
   */
  resolve(name: string, spec: string, type?: ExtensionType): Promise<ResolvedVersion>;
  /**
   * Makes the resolved version available on disk and validates it.
   *
   * @param resolved What {@linkcode Source.resolve} returned.
   * @param options Cache root, asserted type, force, limits, progress.
   */
  materialize(
    resolved: ResolvedVersion,
    options: MaterializeOptions,
  ): Promise<MaterializedExtension>;
  /**
   * Whether a cache record came from this source for `name`: the same registry and
   * repository, a layout folder of this source, or the same remote. Only such a record may
   * answer a request made of this source (a source that is not cached owns none).
   *
   * @param record A cache record.
   * @param name The extension name asked for.
   */
  isOriginOf(record: CacheRecord, name: string): boolean;
  /**
   * The digest the resolved version's tag names now (OCI: one `HEAD` of the tag; a layout:
   * its `index.json`), for sources whose tags can move under a cached entry. Absent where
   * the source checks moved tags itself (git, Gitea) or has no tags (`local`).
   *
   * @param resolved What {@linkcode Source.resolve} returned.
   */
  currentDigest?(resolved: ResolvedVersion): Promise<string>;
  /**
   * The version a content digest holds, for a digest reference (`aws@sha256:…`): reads the
   * manifest the digest names (an index: the extension's manifest in it) and the version it
   * declares; `ref` is the digest, so materialising fetches exactly that content. Absent
   * where content is not addressed by digest (`local`, git, Gitea).
   *
   * @param name Extension name.
   * @param digest The manifest or index digest.
   * @param type When given, only this type.
   */
  resolveDigest?(name: string, digest: string, type?: ExtensionType): Promise<ResolvedVersion>;
  /** Releases connections. Safe to call more than once. */
  close(): void;
}

/** What {@linkcode createSource} needs to build a source. */
export interface SourceContext {
  /** The effective configuration. */
  config: ResolvedConfig;
  /** Home directory, for registry credentials (`~/.docker/config.json`…). */
  home?: string;
  /** The `fetch` the registry client builds on (tests count requests with it). */
  fetch?: typeof fetch;
  /** Receives one-line notes from the registry client (ignored credential helpers…). */
  onNote?: (note: string, level?: "note" | "warning") => void;
  /**
   * The load is forced (`--force`): sources that check a cached version against the remote
   * (a git tag that moved) let the refetch replace it instead of refusing.
   */
  force?: boolean;
}
