/**
 * Everything the extension page shows about one extension, read through the library:
 * `getExtensionInfo` (manifest, versions per source, where it loads from, cached or not),
 * per-version digests and dates (the registry's manifests for OCI, the cache records for
 * pulled versions), and the files and README of the chosen version.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { listCached } from "../cache/list.ts";
import type { CacheEntry } from "../cache/types.ts";
import type { DiscoverAllOptions } from "../discovery/discover_all.ts";
import { getExtensionInfo } from "../discovery/get_extension_info.ts";
import { getOciExtensionMetadata } from "../sources/oci_metadata.ts";
import type { ExtensionInfo } from "../discovery/types.ts";
import { ProvisioningError } from "../errors.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { mapConcurrent } from "../net/map_concurrent.ts";
import { ANNOTATION_CREATED, createRegistryClient, getArtifactTags } from "../oci/mod.ts";
import { filesOfFolder, filesOfOciLayer, type VersionFiles } from "./version_files.ts";

/** Most versions whose digest and date are looked up (one manifest request each for OCI). */
export const MAX_DETAILED_VERSIONS = 30;

/** One row of the versions table. */
export interface VersionRow {
  version: string;
  /** Manifest digest (OCI), or the cache record's digest; null when unknown. */
  digest: string | null;
  /** ISO date, or null when the source records none. */
  date: string | null;
  /** What `date` is: the artifact's `created` annotation, when it was pulled, or the file time. */
  dateKind: "created" | "pulled" | "modified" | null;
  /** Bytes of the layers (OCI) or of the unpacked entry (cached). */
  size: number | null;
  /** Whether this version is in the cache. */
  cached: boolean;
}

/** What the extension page shows. */
export interface ExtensionDetails {
  info: ExtensionInfo;
  /** The source's versions, highest first, with digests and dates. */
  versions: VersionRow[];
  /** Files of the chosen version, when they could be read. */
  files: VersionFiles | undefined;
  /** Why the files could not be read. */
  filesProblem: string | undefined;
}

/** What is asked for. */
export interface DetailsRequest {
  name: string;
  type: ExtensionType | undefined;
  /** The source the catalogue card named. */
  source: DiscoverAllOptions["source"];
  /** The chosen version; default the highest. */
  version: string | undefined;
}

/**
 * Gathers the extension page's data.
 *
 * @example
 * ```ts
 * import { extensionDetails } from "./extension_details.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const details = await extensionDetails({ config, home }, {
 *   name: "kubernetes", type: "taskserv", source: "examples", version: undefined,
 * });
 * assert.equal(details.info.version, "1.29.1");
 * assert.equal(details.files?.from, "folder");
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param base Discovery options of the run (configuration, home, warnings).
 * @param request Name, type, source and version.
 * @returns The data.
 * @throws {ProvisioningError} As `getExtensionInfo` (`NOT_FOUND`, `VERSION_NOT_FOUND`…).
 */
export async function extensionDetails(
  base: DiscoverAllOptions,
  request: DetailsRequest,
): Promise<ExtensionDetails> {
  const info = await getExtensionInfo(request.name, {
    ...base,
    ...(request.source === undefined ? {} : { source: request.source }),
    ...(request.type === undefined ? {} : { type: request.type }),
    ...(request.version === undefined ? {} : { version: request.version }),
  });
  const cacheRoot = base.config.settings.cache.dir;
  const cachedEntries = info.type === "unknown"
    ? []
    : await listCached(cacheRoot, { name: info.name, type: info.type });
  const versions = await versionRows(base, info, cachedEntries);
  let files: VersionFiles | undefined;
  let filesProblem: string | undefined;
  try {
    files = await filesOf(base, info, cachedEntries);
    if (files === undefined) filesProblem = "Pull this version to see its files";
  } catch (error) {
    filesProblem = error instanceof Error ? error.message : String(error);
  }
  return { info, versions, files, filesProblem };
}

async function filesOf(
  base: DiscoverAllOptions,
  info: ExtensionInfo,
  cached: readonly CacheEntry[],
): Promise<VersionFiles | undefined> {
  if (info.source === "local" || info.source === "examples") {
    return info.path === null ? undefined : await filesOfFolder(info.path, "folder");
  }
  const entry = cached.find((e) => e.version === info.version);
  if (entry !== undefined) return await filesOfFolder(entry.path, "cache");
  if (info.source === "oci") {
    return await filesOfOciLayer(base.config, base.home ?? "", info.name, info.version);
  }
  return undefined;
}

async function versionRows(
  base: DiscoverAllOptions,
  info: ExtensionInfo,
  cached: readonly CacheEntry[],
): Promise<VersionRow[]> {
  const list = info.versions[info.source] ?? [info.version];
  const byVersion = new Map(cached.map((e) => [e.version, e]));
  const rows: VersionRow[] = list.map((version) => {
    const entry = byVersion.get(version);
    return {
      version,
      digest: entry?.digest ?? null,
      date: entry?.pulledAt ?? null,
      dateKind: entry === undefined ? null : "pulled",
      size: entry?.size ?? null,
      cached: info.cachedVersions.includes(version),
    };
  });
  if (info.source === "oci") {
    await ociDetails(base, info.name, rows.slice(0, MAX_DETAILED_VERSIONS));
  } else if ((info.source === "local" || info.source === "examples") && info.path !== null) {
    const row = rows.find((r) => r.version === info.version);
    const mtime = (await Deno.stat(join(info.path, "extension.yaml")).catch(() => undefined))
      ?.mtime;
    if (row !== undefined && mtime) {
      row.date = mtime.toISOString();
      row.dateKind = "modified";
    }
  }
  return rows;
}

/** Fills digest, created date and size of OCI versions from their manifests (never a layer). */
async function ociDetails(
  base: DiscoverAllOptions,
  name: string,
  rows: VersionRow[],
): Promise<void> {
  using client = createRegistryClient(base.config.settings.oci, {
    ...(base.home === undefined ? {} : { home: base.home }),
  });
  const tags = await getArtifactTags(client, client.reference(name));
  await mapConcurrent(rows, 4, async (row) => {
    try {
      const meta = await getOciExtensionMetadata(client, name, { version: row.version, tags });
      row.digest = meta.digest;
      row.size = meta.size;
      const created = meta.annotations[ANNOTATION_CREATED];
      if (created !== undefined) {
        row.date = created;
        row.dateKind = "created";
      }
    } catch (error) {
      if (!(error instanceof ProvisioningError)) throw error;
      base.onWarning?.(`${name} ${row.version}: ${error.message}`, "item");
    }
  });
}
