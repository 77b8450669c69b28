/**
 * The `local` and `examples` sources behind the {@linkcode Source} interface: extensions in
 * folders on disk, used in place (never copied into the cache).
 *
 * @module
 */

import type { ResolvedConfig } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { sortBySemver } from "../versions/mod.ts";
import {
  folderRoots,
  type FolderSourceKind,
  localCandidates,
  type LocalScan,
  missingRootWarning,
  scanLocalExtensions,
} from "./local.ts";
import { resolveLocalExtension } from "./resolve_local.ts";
import type { ResolvedVersion, Source, SourceVersion } from "./types.ts";

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
  let scan: Promise<LocalScan> | undefined;
  const scanned = () =>
    scan ??= folderRoots(kind, config).then(scanLocalExtensions).then((result) => {
      for (const root of result.missingRoots ?? []) onWarning?.(missingRootWarning(root));
      return result;
    });
  return {
    kind,
    unavailable: undefined,
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
      const ext = resolveLocalExtension(await scanned(), name, spec, type, kind);
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
    close() {},
  };
}
