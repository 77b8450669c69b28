/**
 * Data types of discovery: what a source reports about an extension, the per-source
 * "discoverer" shape new sources plug into, and the results of discovery, search, versions
 * and info. Plain objects, no classes; every result is JSON-ready (no `undefined` members).
 *
 * @module
 */

import type { ConcreteSourceType } from "../config/types.ts";
import type { ProvisioningError } from "../errors.ts";
import type { ExtensionManifest, ExtensionType, HookPermissions } from "../manifest/types.ts";

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

/** What a discoverer's operations receive. */
export interface DiscoverContext {
  /** Aborted when the source's time is up or the caller gives up: start no new work. */
  signal: AbortSignal;
  /** Reports a problem that does not stop the source (one line, no `warning:` prefix). */
  warn(message: string): void;
}

/** What a discoverer's `discover()` returns. */
export interface SourceListing {
  /** One entry per name and type. */
  extensions: DiscoveredExtension[];
  /** False when parts could not be read (such a listing is not cached). */
  complete: boolean;
}

/**
 * One source as discovery sees it. `local` and `oci` are built in
 * ({@linkcode createDiscoverers}); a `gitea` or `git` source plugs in by implementing this.
 */
export interface ExtensionDiscoverer {
  /** The source it reads. */
  readonly source: ConcreteSourceType;
  /** Names the source in messages: `127.0.0.1:5000/provisioning-extensions`, `local folders`. */
  readonly label: string;
  /**
   * Identity of what `discover()` lists, for the discovery cache (same key → same listing);
   * `undefined` for sources that are cheap to read and never cached (`local`).
   */
  readonly cacheKey: string | undefined;
  /**
   * When true, an unreachable source is skipped without a warning (its report says why):
   * the built-in default registry in `auto` mode, which nobody may be running.
   */
  readonly optional?: boolean;
  /** Every extension the source has (highest version's metadata, all versions). */
  discover(context: DiscoverContext): Promise<SourceListing>;
  /** The extensions with this name (any type), without listing everything when possible. */
  lookup(name: string, context: DiscoverContext): Promise<DiscoveredExtension[]>;
  /** Metadata of one version of an extension `lookup()` or `discover()` returned. */
  describe(
    entry: DiscoveredExtension,
    version: string,
    context: DiscoverContext,
  ): Promise<ExtensionVersionDetails>;
  /** Releases connections, if any. */
  close?(): void;
}

/**
 * What one source's discovery did: `fresh` (read from the source now), `cached` (from the
 * discovery cache, younger than `discovery_ttl`), `stale` (the source failed and an older
 * cached listing was used), `failed` (failed or timed out: nothing from it) or `skipped`
 * (not tried, for example no network permission in `auto` mode).
 */
export type SourceStatus = "fresh" | "cached" | "stale" | "failed" | "skipped";

/** One source's part in a discovery. */
export interface SourceReport {
  source: ConcreteSourceType;
  label: string;
  status: SourceStatus;
  /** Extensions it contributed (before the `type` filter). */
  count: number;
  /** Wall time spent on it, in ms. */
  elapsedMs: number;
  /** For `cached` and `stale`: age of the cached listing, in ms. */
  ageMs?: number;
  /** For `failed`, `stale` and `skipped`: why. */
  error?: ProvisioningError;
}

/** The result of {@linkcode discoverAllExtensions}. */
export interface DiscoveryResult {
  /** Every extension of every source, sorted by type, name, then source order. */
  extensions: DiscoveredExtension[];
  /** One report per source, in source order. */
  sources: SourceReport[];
  /** Every warning, in the order they were reported. */
  warnings: string[];
}

/** A search hit: the extension plus its rank. */
export interface SearchHit extends DiscoveredExtension {
  /** Higher is better; only meaningful relative to other hits of the same query. */
  score: number;
  /** Fields that matched: `name`, `name~` (fuzzy), `type`, `description`. */
  matched: string[];
}

/** The result of {@linkcode getExtensionVersions}. */
export interface ExtensionVersions {
  name: string;
  type: DiscoveredType;
  /** The source the extension would load from (first in `auto` order that has it). */
  source: ConcreteSourceType;
  /** Every version in any source, highest first. */
  versions: string[];
  /** Versions per source, highest first, in source order. */
  bySource: Partial<Record<ConcreteSourceType, string[]>>;
  /** Versions present in the local cache, highest first. */
  cached: string[];
}

/** The result of {@linkcode getExtensionInfo}: `ext info --format json`. */
export interface ExtensionInfo {
  name: string;
  type: DiscoveredType;
  version: string;
  description: string;
  author: string | null;
  requires: Record<string, unknown> | unknown[] | null;
  dependencies: Record<string, string>;
  /** Hook name → module path (`hooks:` of the manifest); `{}` when none. */
  hooks: Record<string, string>;
  /** What the hooks may do (`permissions:`, defaults filled in); `null` without hooks. */
  permissions: HookPermissions | null;
  homepage: string | null;
  repository: string | null;
  license: string | null;
  /** Where it would load from: the first source in `auto` order with a matching version. */
  source: ConcreteSourceType;
  /** `local`: the directory; otherwise the cache directory when cached, else `null`. */
  path: string | null;
  /** Versions per source, highest first. */
  versions: Partial<Record<ConcreteSourceType, string[]>>;
  /** `oci`: full reference with tag; `null` otherwise. */
  reference: string | null;
  /** `oci`: manifest digest; `null` otherwise. */
  digest: string | null;
  /** `oci`: bytes of the layers; `null` otherwise. */
  size: number | null;
  /** Whether this version is in the local cache. */
  cached: boolean;
  /**
   * The fingerprint of the key whose signature was verified when this version was pulled
   * (`[signatures] require`); `null` when it is not cached or was stored unverified.
   */
  signer: string | null;
  /** Every cached version, highest first. */
  cachedVersions: string[];
  metadataFrom: MetadataOrigin;
}
