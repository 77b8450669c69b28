/**
 * Extension sources behind one {@linkcode Source} interface: `local` (folders, used in
 * place), `oci` (a registry, streamed into the cache), `oci-layout` (OCI image layouts on
 * disk, for air-gapped use), `gitea` (repositories of a Gitea/Forgejo organisation, over its
 * REST API) and `git` (any git remote, through the `git` binary). Each lists versions,
 * resolves a spec and materialises the chosen version, and for discovery lists its
 * extensions, looks one name up and describes a version; {@linkcode createSource} builds one
 * by kind from the configuration, for the loader and for discovery alike.
 *
 * @example
 * ```ts
 * import { createSource } from "./mod.ts";
 * import { bundledExamplesDir } from "./local.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({
 *   cwd: "/", home: "/nonexistent",
 *   env: { PROVISIONING_EXTENSIONS_PATH: bundledExamplesDir() },
 * });
 * const local = createSource("local", { config });
 * const versions = await local.listVersions("kubernetes");
 * assert.deepEqual(versions.map((v) => v.version), ["1.28.0", "1.29.1"]);
 * const context = { signal: new AbortController().signal, warn: () => {} };
 * const [row] = await local.lookup("kubernetes", context);
 * assert.deepEqual(row?.versions, ["1.29.1", "1.28.0"]);
 * ```
 *
 * @module
 */

// resolveLocalExtension reads ranges with the range engine: loaded here for every user of the
// barrel (the loader imports the source modules directly, see src/versions/_range_engine.ts).
import "../versions/resolve_version.ts";

export * from "./types.ts";
export * from "./local.ts";
export * from "./resolve_local.ts";
export * from "./local_source.ts";
export * from "./oci_source.ts";
export * from "./oci_layout.ts";
export * from "./oci_layout_source.ts";
export * from "./oci_metadata.ts";
export * from "./git_remotes.ts";
export * from "./gitea_source.ts";
export * from "./git_source.ts";
export * from "./create_source.ts";
export * from "./from_cache_entry.ts";
