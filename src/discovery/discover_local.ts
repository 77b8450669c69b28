/**
 * Discovery in the local source: every extension under the local roots, one entry per name
 * and type with all its versions.
 *
 * @module
 */

import type { ExtensionManifest } from "../manifest/types.ts";
import {
  type FolderSourceKind,
  type LocalExtension,
  type LocalScan,
  missingRootWarning,
  scanLocalExtensions,
} from "../sources/local.ts";
import { getLatestVersion, sortBySemver } from "../versions/mod.ts";
import type { DiscoveredExtension, ExtensionVersionDetails } from "./types.ts";

/** Options of {@linkcode discoverLocalExtensions}. */
export interface DiscoverLocalOptions {
  /** Receives one line per directory skipped because its manifest is invalid. */
  onWarning?: (message: string) => void;
}

/**
 * Discovers the extensions under local folders (see `localRoots(config)` for the configured
 * ones). Invalid manifests are reported through `onWarning` and left out.
 *
 * @example
 * ```ts
 * import { discoverLocalExtensions } from "./discover_local.ts";
 * import { bundledExamplesDir } from "../sources/local.ts";
 * import assert from "node:assert/strict";
 *
 * const found = await discoverLocalExtensions([bundledExamplesDir()]);
 * const kubernetes = found.find((e) => e.name === "kubernetes");
 * assert.deepEqual(kubernetes?.versions, ["1.29.1", "1.28.0"]);
 * assert.equal(kubernetes?.source, "local");
 * ```
 *
 * @param roots Folders to scan, highest precedence first.
 * @param options Warning sink, and which source the entries are of (default `local`).
 * @returns One entry per name and type, sorted by type then name.
 */
export async function discoverLocalExtensions(
  roots: readonly string[],
  options: DiscoverLocalOptions & { source?: FolderSourceKind } = {},
): Promise<DiscoveredExtension[]> {
  const scan = await scanLocalExtensions(roots);
  for (const root of scan.missingRoots ?? []) options.onWarning?.(missingRootWarning(root));
  for (const bad of scan.invalid) {
    options.onWarning?.(`skipping "${bad.path}": ${bad.error.message}`);
  }
  for (const ext of scan.extensions) for (const w of ext.warnings ?? []) options.onWarning?.(w);
  return localEntries(scan, options.source);
}

/**
 * Groups a scan into discovery entries (a version found under several roots counts once,
 * the first root wins).
 *
 * @example
 * ```ts
 * import { localEntries } from "./discover_local.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(localEntries({ extensions: [], invalid: [] }), []);
 * ```
 *
 * @param scan What `scanLocalExtensions` found.
 * @param source `local` (default) or `examples`.
 * @returns One entry per name and type, sorted by type then name.
 */
export function localEntries(
  scan: LocalScan,
  source: FolderSourceKind = "local",
): DiscoveredExtension[] {
  const groups = new Map<string, Map<string, LocalExtension>>();
  for (const ext of scan.extensions) {
    const key = `${ext.type}/${ext.name}`;
    let byVersion = groups.get(key);
    if (byVersion === undefined) groups.set(key, byVersion = new Map());
    if (!byVersion.has(ext.version)) byVersion.set(ext.version, ext);
  }
  const entries: DiscoveredExtension[] = [];
  for (const byVersion of groups.values()) {
    const versions = sortBySemver([...byVersion.keys()]).reverse();
    const highest = byVersion.get(getLatestVersion(versions) ?? versions[0]!)!;
    const details = localDetails(highest, source);
    entries.push({
      name: highest.name,
      type: highest.type,
      version: highest.version,
      versions,
      source,
      description: details.description,
      author: details.author,
      license: details.license,
      homepage: details.homepage,
      path: highest.path,
      reference: null,
      digest: null,
      size: null,
      metadataFrom: "manifest",
      cached: [],
    });
  }
  return entries.sort((a, b) =>
    a.type < b.type ? -1 : a.type > b.type ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  );
}

/**
 * The details of one local extension version.
 *
 * @example
 * ```ts
 * import { localDetails } from "./discover_local.ts";
 * import assert from "node:assert/strict";
 *
 * const manifest = { extension: { name: "aws", version: "1.0.0", type: "provider" as const } };
 * const details = localDetails({ ...manifest.extension, path: "/x/aws", manifest });
 * assert.equal(details.path, "/x/aws");
 * assert.equal(details.license, null);
 * ```
 *
 * @param ext The extension on disk.
 * @param source `local` (default) or `examples`.
 * @returns Its details.
 */
export function localDetails(
  ext: LocalExtension,
  source: FolderSourceKind = "local",
): ExtensionVersionDetails {
  const manifest: ExtensionManifest = ext.manifest;
  return {
    name: ext.name,
    type: ext.type,
    version: ext.version,
    source,
    manifest,
    description: manifest.extension.description ?? "",
    author: manifest.extension.author ?? null,
    license: manifest.metadata?.license ?? null,
    homepage: manifest.metadata?.homepage ?? null,
    repository: manifest.metadata?.repository ?? null,
    path: ext.path,
    reference: null,
    digest: null,
    size: null,
    metadataFrom: "manifest",
  };
}
