/**
 * The `local` and `examples` sources behind the {@linkcode Source} interface: extensions in
 * folders on disk, used in place (never copied into the cache), and listed by discovery one
 * row per name and type with all its versions.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import type { ExtensionManifest, ExtensionType } from "../manifest/types.ts";
import { withRangeEngine } from "../versions/_range_engine.ts";
import { getLatestVersion } from "../versions/get_latest_version.ts";
import { sortBySemver } from "../versions/sort_by_semver.ts";
import {
  bundledExamplesDir,
  folderRoots,
  type FolderSourceKind,
  localCandidates,
  type LocalExtension,
  type LocalScan,
  missingRootWarning,
  scanLocalExtensions,
} from "./local.ts";
import { resolveLocalExtension } from "./resolve_local.ts";
import type {
  DiscoverContext,
  DiscoveredExtension,
  ExtensionVersionDetails,
  ResolvedVersion,
  Source,
  SourceVersion,
} from "./types.ts";

/**
 * Creates the local source (`extensions.paths`, the workspace's `extensions/`) or the
 * `examples` source (the bundled demos). The folders are scanned once, on first use.
 *
 * @example
 * ```ts
 * import { createLocalSource } from "./local_source.ts";
 * import { bundledExamplesDir } from "./local.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({
 *   cwd: "/", home: "/nonexistent",
 *   env: { PROVISIONING_EXTENSIONS_PATH: bundledExamplesDir() },
 * });
 * const source = createLocalSource(config);
 * const resolved = await source.resolve("kubernetes", "~1.28.0");
 * const ext = await source.materialize(resolved, { cacheRoot: "/unused" });
 * assert.equal(ext.version, "1.28.0");
 * assert.equal(ext.fetched, false);
 * ```
 *
 * @param config The effective configuration (`extensions.paths`, the workspace).
 * @param kind `local` (default) or `examples`.
 * @param onWarning Receives a missing configured folder (once) and the loaded extension's
 *   manifest warnings (unknown keys).
 * @returns The source.
 */
export function createLocalSource(
  config: ResolvedConfig,
  kind: FolderSourceKind = "local",
  onWarning?: (message: string) => void,
): Source {
  // The folders as configured until the workspace's own is known to exist.
  let roots: readonly string[] = kind === "examples"
    ? [bundledExamplesDir()]
    : config.settings.extensions.paths;
  let scan: Promise<LocalScan> | undefined;
  const scanOnce = () =>
    scan ??= folderRoots(kind, config).then((found) => {
      roots = found;
      return scanLocalExtensions(found);
    });
  let loadWarned = false;
  const scanned = async () => {
    const result = await scanOnce();
    if (!loadWarned) {
      loadWarned = true;
      for (const root of result.missingRoots ?? []) onWarning?.(missingRootWarning(root));
    }
    return result;
  };
  let listWarned = false;
  /** The scan for discovery, whose warnings (every skipped manifest too) are told once. */
  const listed = async (context: DiscoverContext) => {
    const result = await scanOnce();
    if (!listWarned) {
      listWarned = true;
      for (const root of result.missingRoots ?? []) context.warn(missingRootWarning(root));
      for (const bad of result.invalid) {
        context.warn(`skipping "${bad.path}": ${bad.error.message}`);
      }
      for (const ext of result.extensions) for (const w of ext.warnings ?? []) context.warn(w);
    }
    return result;
  };
  return {
    kind,
    get label() {
      return roots.join(":") || "(no folders configured)";
    },
    unavailable: undefined,
    cacheKey: undefined,
    cached: false,
    network: false,
    async listVersions(name: string, type?: ExtensionType): Promise<SourceVersion[]> {
      const found = localCandidates(await scanned(), name, type);
      const byVersion = new Map(found.map((e) => [e.version, e]));
      return sortBySemver([...byVersion.keys()]).map((version) => {
        const ext = byVersion.get(version)!;
        return { version, type: ext.type, ref: ext.path };
      });
    },
    async resolve(name: string, spec: string, type?: ExtensionType): Promise<ResolvedVersion> {
      const scan = await scanned();
      const ext = await withRangeEngine(() => resolveLocalExtension(scan, name, spec, type, kind));
      return {
        source: kind,
        name: ext.name,
        version: ext.version,
        type: ext.type,
        ref: ext.path,
        spec,
      };
    },
    async materialize(resolved: ResolvedVersion) {
      const ext = localCandidates(await scanned(), resolved.name, resolved.type)
        .find((e) => e.version === resolved.version);
      if (ext === undefined) {
        throw new ProvisioningError(
          "NOT_FOUND",
          `Extension "${resolved.name}" ${resolved.version} is no longer in the ${kind} source`,
        );
      }
      for (const warning of ext.warnings ?? []) onWarning?.(warning);
      return {
        source: kind,
        name: ext.name,
        type: ext.type,
        version: ext.version,
        path: ext.path,
        manifest: ext.manifest,
        fetched: false,
      };
    },
    isOriginOf: () => false,
    async discover(context) {
      return { extensions: localEntries(await listed(context), kind), complete: true };
    },
    async lookup(name, context) {
      return localEntries(await listed(context), kind).filter((e) => e.name === name);
    },
    async describe(entry, version, context) {
      const found = (await listed(context)).extensions.find((e) =>
        e.name === entry.name && e.type === entry.type && e.version === version
      );
      if (found === undefined) {
        throw new ProvisioningError(
          "VERSION_NOT_FOUND",
          `Version "${version}" of ${entry.type} "${entry.name}" not found in the ${kind} source`,
        );
      }
      return localDetails(found, kind);
    },
    close() {},
  };
}

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
 * import { discoverLocalExtensions } from "./local_source.ts";
 * import { bundledExamplesDir } from "./local.ts";
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
 * import { localEntries } from "./local_source.ts";
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
 * import { localDetails } from "./local_source.ts";
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
