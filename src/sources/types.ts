/**
 * The one interface every extension source implements (`local`, `examples`, `oci`,
 * `oci-layout`, `gitea`, `git`), for loading and for discovery alike, and the plain data it
 * exchanges with the loader and with `ext list|search|info|versions`.
 *
 * For loading, a source answers three questions: which versions of a name it has, which
 * version a spec picks, and where the chosen version lives on disk (`materialize`): a local
 * source points at the directory in place, a remote one streams the artifact into the cache,
 * checking its digest and validating the `extension.yaml` inside before the entry becomes
 * visible. For discovery it lists what it has (`discover`), finds one name (`lookup`) and
 * describes one version (`describe`), reading metadata only, never an artifact's content.
 *
 * @module
 */

import type { CacheRecord, ExtractLimits } from "../cache/types.ts";
import type { ConcreteSourceType, ResolvedConfig } from "../config/types.ts";
import type { ExtensionManifest, ExtensionType } from "../manifest/types.ts";
import type { RegistryClientOptions } from "../oci/mod.ts";
import type { GiteaSourceOptions } from "./gitea_source.ts";
import type { OciListingOptions } from "./oci_source.ts";

/** An extension type, or `unknown` for an artifact that does not say (pushed by ORAS). */
export type DiscoveredType = ExtensionType | "unknown";

/** Where the descriptive fields of a discovered extension came from. */
export type MetadataOrigin = "manifest" | "annotations";

/**
 * One extension (one name and type) as one source knows it: the highest version's
 * metadata plus every version. A row of `ext list|discover|search --format json`.
 */
export interface DiscoveredExtension {
  /** Extension name (for OCI: the repository's last path component). */
  name: string;
  /** Type from the manifest or the `dev.provisioning.extension.type` annotation. */
  type: DiscoveredType;
  /** Highest version (the highest release; a pre-release only when there is no release). */
  version: string;
  /** Every version, highest first. */
  versions: string[];
  /** The source that has it. */
  source: ConcreteSourceType;
  /** Description of the highest version (`""` when none). */
  description: string;
  /** `extension.author` / `org.opencontainers.image.authors`. */
  author: string | null;
  /** `metadata.license` / `org.opencontainers.image.licenses`. */
  license: string | null;
  /** `metadata.homepage` / `org.opencontainers.image.url`. */
  homepage: string | null;
  /** `local`: directory of the highest version; `null` for other sources. */
  path: string | null;
  /** `oci`: `registry/namespace/name:tag` of the highest version; `null` otherwise. */
  reference: string | null;
  /** `oci`: manifest digest of the highest version; `null` otherwise. */
  digest: string | null;
  /** `oci`: bytes of the highest version's layers (what a pull downloads); `null` otherwise. */
  size: number | null;
  /** `manifest` (our config blob or `extension.yaml`) or `annotations` (ORAS-style artifact). */
  metadataFrom: MetadataOrigin;
  /** Versions present in the local cache (pulled), highest first. Always `[]` for `local`. */
  cached: string[];
  /**
   * `oci` with several `[[oci.registries]]`: the `name` of the registry that has it; absent
   * otherwise (`reference` names the registry host either way).
   */
  registry?: string;
  /**
   * Cached versions whose signature was verified when pulled (the entry records its signer),
   * highest first; absent when none.
   */
  signed?: string[];
}

/** Full metadata of one version of one extension, as its source describes it. */
export interface ExtensionVersionDetails {
  name: string;
  type: DiscoveredType;
  version: string;
  source: ConcreteSourceType;
  /** The validated manifest, when the source has one (absent for annotation-only artifacts). */
  manifest: ExtensionManifest | undefined;
  description: string;
  author: string | null;
  license: string | null;
  homepage: string | null;
  /** `metadata.repository` / `org.opencontainers.image.source`. */
  repository: string | null;
  /** `local`: the directory; `null` otherwise. */
  path: string | null;
  /** `oci`: the full reference with tag; `null` otherwise. */
  reference: string | null;
  /** `oci`: manifest digest; `null` otherwise. */
  digest: string | null;
  /** `oci`: bytes of the layers; `null` otherwise. */
  size: number | null;
  metadataFrom: MetadataOrigin;
}

/** What a source's discovery operations receive. */
export interface DiscoverContext {
  /** Aborted when the source's time is up or the caller gives up: start no new work. */
  signal: AbortSignal;
  /** Reports a problem that does not stop the source (one line, no `warning:` prefix). */
  warn(message: string): void;
}

/** What {@linkcode Source.discover} returns. */
export interface SourceListing {
  /** One entry per name and type. */
  extensions: DiscoveredExtension[];
  /** False when parts could not be read (such a listing is not cached). */
  complete: boolean;
}

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
  /** Names the source in messages: `127.0.0.1:5000/provisioning-extensions`, `/srv/a:/srv/b`. */
  readonly label: string;
  /**
   * Why the source cannot be used with this configuration (no layout paths, no network
   * permission…), or undefined when it can. `auto` skips such a source; asking for it
   * explicitly is an error. Loading and discovery both go by it.
   */
  readonly unavailable: string | undefined;
  /**
   * With {@linkcode Source.unavailable}: the source is set up but this process may not use
   * it (no network permission, may not run `git`). `auto` discovery reports it as skipped,
   * where a source nobody set up is left out without a word.
   */
  readonly denied?: boolean;
  /**
   * Why discovery has nothing to list although loading works (`git` without `[git] remotes`
   * still loads a URL); discovery treats the source as not set up. Undefined otherwise.
   */
  readonly unlisted?: string;
  /**
   * Set up by nobody (the built-in default registry, which nobody may be running): `auto`
   * discovery skips it without a warning when it cannot be reached.
   */
  readonly implicit?: boolean;
  /**
   * Identity of what {@linkcode Source.discover} lists, for the discovery cache (same key →
   * same listing); undefined for sources that are cheap to read and never cached (folders,
   * layouts on disk).
   */
  readonly cacheKey: string | undefined;
  /**
   * The sources this one asks in order (one per `[[oci.registries]]`), when it is made of
   * several: discovery lists, reports and caches each part on its own. Absent otherwise.
   */
  readonly parts?: readonly Source[];
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
  /**
   * Every extension the source has: one row per name and type, with the highest version's
   * metadata and every version. A part that cannot be read is a warning through
   * `context.warn` and makes the listing incomplete; a failure of the whole source throws.
   *
   * @param context Abort signal (the source's time is up) and the warning sink.
   */
  discover(context: DiscoverContext): Promise<SourceListing>;
  /**
   * The rows of one name (any type), without listing everything when the source can.
   *
   * @param name Extension name.
   * @param context Abort signal and warning sink.
   */
  lookup(name: string, context: DiscoverContext): Promise<DiscoveredExtension[]>;
  /**
   * Metadata of one version of a row {@linkcode Source.lookup} or
   * {@linkcode Source.discover} returned.
   *
   * @param entry The row.
   * @param version One of its versions.
   * @param context Abort signal and warning sink.
   */
  describe(
    entry: DiscoveredExtension,
    version: string,
    context: DiscoverContext,
  ): Promise<ExtensionVersionDetails>;
  /** Releases connections. Safe to call more than once. */
  close(): void;
}

/** What {@linkcode createSource} needs to build a source, for loading or for discovery. */
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
  /**
   * More options of the registry client (retry timing, a credential store, notes); they
   * win over `home`, `fetch` and `onNote` above.
   */
  registry?: RegistryClientOptions;
  /** How the `oci` source lists a registry: repositories read at once, catalog page size. */
  ociListing?: OciListingOptions;
  /** A Gitea client to use, or the `fetch` of the one made (tests); `force` is the one above. */
  gitea?: GiteaSourceOptions;
}

/**
 * A source as discovery alone once saw it, before loading and discovery shared one
 * {@linkcode Source} interface: `source` for {@linkcode Source.kind}, `optional` for a source
 * `auto` may skip quietly when it cannot be reached.
 *
 * @deprecated Kept so callers that hand discovery their own sources (the `discoverers`
 * option, tests) go on compiling; implement {@linkcode Source} instead.
 */
export interface ExtensionDiscoverer
  extends Pick<Source, "label" | "cacheKey" | "discover" | "lookup" | "describe"> {
  /** The source it reads. */
  readonly source: ConcreteSourceType;
  /** When true, an unreachable source is skipped without a warning (its report says why). */
  readonly optional?: boolean;
  /** Releases connections, if any. */
  close?(): void;
}
