/**
 * Data types of discovery: the results of discovery, search, versions and info. What one
 * source reports about an extension ({@linkcode DiscoveredExtension},
 * {@linkcode ExtensionVersionDetails}) belongs to the `Source` interface of `src/sources`
 * and is re-exported here. Plain objects, no classes; every result is JSON-ready (no `undefined`
 * members).
 *
 * @module
 */

import type { ConcreteSourceType } from "../config/types.ts";
import type { ProvisioningError } from "../errors.ts";
import type { HookPermissions } from "../manifest/types.ts";
import type { DiscoveredExtension, DiscoveredType, MetadataOrigin } from "../sources/types.ts";

export type {
  DiscoverContext,
  DiscoveredExtension,
  DiscoveredType,
  ExtensionDiscoverer,
  ExtensionVersionDetails,
  MetadataOrigin,
  SourceListing,
} from "../sources/types.ts";

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
