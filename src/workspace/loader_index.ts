/**
 * The resolver's view of the real sources: versions from discovery (every source in `auto`
 * order), and a version's dependencies from loading it (through the cache, as `ext load`
 * does), remembering each load so the lock can record where it came from.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { mapConcurrent } from "../net/map_concurrent.ts";
import { getExtensionVersions } from "../discovery/get_extension_versions.ts";
import { loadExtension, type LoadExtensionOptions } from "../loader/load.ts";
import type { LoadResult } from "../loader/types.ts";
import type { LockedExtension, LockFile } from "./lock_file.ts";
import { LOCK_VERSION } from "./lock_file.ts";
import type { Place, ResolvedGraph, ResolveIndex } from "./resolve_dependencies.ts";
import { requiredTools } from "./required_tools.ts";
import { treeHash } from "./tree_hash.ts";

/** A {@linkcode ResolveIndex} over the configured sources, remembering what it loaded. */
export interface LoaderIndex extends ResolveIndex {
  /** The load of `name@version` the resolver asked for, if it did. */
  loaded(name: string, version: string): LoadResult | undefined;
  /**
   * Loads these versions now, at most `oci.concurrency` at once, so the resolver's later
   * questions about them are answered from memory. Used with a lock, whose versions are known
   * before resolving; a failure is left for the resolver to meet (and report) if it asks.
   */
  prefetch(nodes: readonly PrefetchNode[]): Promise<void>;
}

/** A version to load ahead of the resolver. */
export interface PrefetchNode {
  name: string;
  type: ExtensionType;
  version: string;
  /** Where the workspace said to look. */
  place?: Place;
  /** The digest the workspace pinned. */
  digest?: string;
}

/** Options of {@linkcode loaderIndex}. */
export interface LoaderIndexOptions extends LoadExtensionOptions {
  /** Called after each version is loaded, with how many are loaded so far. */
  onLoaded?: (name: string, version: string, loadedCount: number) => void;
}

/**
 * Builds the index over the sources of `options.config` (`options.sourceType`, default
 * `auto`).
 *
 * @example
 * ```ts ignore
 * const index = loaderIndex({ config });
 * const graph = await resolveDependencies([{ name: "app", spec: "^1.0.0" }], index);
 * await writeLock("extensions.lock", await lockGraph(graph, index));
 * ```
 *
 * @param options Configuration and loader options (source, offline, callbacks).
 * @returns The index.
 */
export function loaderIndex(options: LoaderIndexOptions): LoaderIndex {
  const loads = new Map<string, LoadResult>();
  // The loader memoises a load for the process, so a prefetched version is not fetched again.
  const load = async (
    name: string,
    type: ExtensionType | undefined,
    spec: string,
    place?: Place,
  ) => {
    const source = place?.source ?? options.sourceType;
    const result = await loadExtension(type, place?.reference ?? name, spec, {
      ...options,
      ...(source === undefined ? {} : { sourceType: source }),
    });
    if (!result.success) throw result.error;
    const key = `${name}@${result.version}`;
    if (!loads.has(key)) {
      loads.set(key, result);
      options.onLoaded?.(name, result.version!, loads.size);
    }
    return result;
  };
  const index: LoaderIndex = {
    async entry(name, type, place, digest) {
      if (digest !== undefined) {
        // A digest names one version: load it to learn which (and to have it).
        const result = await load(name, type, digest, place);
        return { versions: [result.version!], type: result.type! };
      }
      const source = place?.source ?? options.sourceType;
      const found = await getExtensionVersions(place?.reference ?? name, {
        config: options.config,
        ...(source === undefined ? {} : { source }),
        ...(type === undefined ? {} : { type }),
        ...(options.home === undefined ? {} : { home: options.home }),
      });
      if (found.type === "unknown") {
        throw new ProvisioningError(
          "USAGE",
          `Extension "${name}" does not say its type; name it in the requirement`,
        );
      }
      return { versions: found.versions, type: found.type };
    },
    async version(name, type, version, place, digest) {
      const result = await load(name, type, digest ?? version, place);
      if (result.version !== version) {
        throw new ProvisioningError(
          "DIGEST_MISMATCH",
          `${digest} of "${name}" holds version ${result.version}, not ${version}`,
        );
      }
      return {
        dependencies: result.manifest?.dependencies ?? {},
        ...(result.manifest?.dependencyTypes === undefined
          ? {}
          : { dependencyTypes: result.manifest.dependencyTypes }),
      };
    },
    loaded: (name, version) => loads.get(`${name}@${version}`),
    async prefetch(nodes) {
      await mapConcurrent(nodes, options.config.settings.oci.concurrency, async (node) => {
        try {
          await index.version(node.name, node.type, node.version, node.place, node.digest);
        } catch {
          // the resolver asks again if it needs this version, and reports the failure then
        }
      });
    },
  };
  return index;
}

/**
 * The lock of a resolved graph: each node's source, canonical origin, digest and tree hash
 * (read from where it was loaded).
 *
 * @param graph What {@linkcode resolveDependencies} returned over `index`.
 * @param index The index it used.
 * @returns The lock.
 * @throws {ProvisioningError} `INTERNAL` when a node was never loaded.
 */
export async function lockGraph(graph: ResolvedGraph, index: LoaderIndex): Promise<LockFile> {
  const extensions: LockedExtension[] = [];
  for (const node of graph.nodes) {
    const loaded = index.loaded(node.name, node.version);
    if (loaded?.path === undefined || loaded.source === undefined) {
      throw new ProvisioningError("INTERNAL", `"${node.name}@${node.version}" was not loaded`);
    }
    const reference = loaded.reference;
    extensions.push({
      name: node.name,
      type: node.type,
      version: node.version,
      source: loaded.source,
      origin: reference === undefined ? null : reference.slice(0, reference.lastIndexOf("@")),
      digest: loaded.digest ?? null,
      tree: await treeHash(loaded.path),
      signer: loaded.signer ?? null,
      requires: requiredTools(loaded.manifest?.requires),
      constraints: node.constraints,
      dependencies: node.dependencies,
    });
  }
  return { lockVersion: LOCK_VERSION, extensions };
}
