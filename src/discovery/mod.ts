/**
 * Discovery across sources: what extensions exist, in which versions, where they would load
 * from, and which are already cached — the seed's `discoverOciExtensions`,
 * `discoverLocalExtensions`, `discoverAllExtensions`, `searchExtensions`, `listExtensions`,
 * `getExtensionVersions` and `getOciExtensionMetadata`, plus `getExtensionInfo`.
 *
 * - OCI: the catalog under the namespace (paginated; or `[oci] repositories` for registries
 *   that forbid the catalog), then per repository its tags and the config blob of its
 *   highest version — never a layer — with `[oci] concurrency` requests at once. Artifacts
 *   without our config (pushed by ORAS) are described from their manifest annotations.
 * - Every source runs concurrently under its own time limit; one slow or failing source is a
 *   warning and the others' results stand.
 * - Remote listings are kept in a discovery cache (`<cache root>/discovery/`) for
 *   `[extensions] discovery_ttl` seconds; `refresh` bypasses it.
 * - Gitea: the organisation's repositories, their tags, and the raw `extension.yaml` of each
 *   highest tag (no archive). git: each configured remote's tags (`git ls-remote`) and the
 *   manifest of its highest tag (from the cache when that commit is there, else one shallow
 *   fetch).
 * - Every source is a `Source` of `src/sources`, made by `createSource` as loading makes it:
 *   it lists (`discover`), finds one name (`lookup`) and describes a version (`describe`)
 *   beside loading; one availability and permission check serves both.
 *
 * @example
 * ```ts
 * import { discoverAllExtensions, rankExtensions } from "./mod.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const { extensions } = await discoverAllExtensions({ config, source: "examples" });
 * assert.equal(rankExtensions(extensions, "kube")[0]?.name, "kubernetes");
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "../sources/oci_metadata.ts";
export {
  DEFAULT_DISCOVERY_CONCURRENCY,
  discoverOciExtensions,
  type DiscoverOciOptions,
  type OciDiscovery,
  type OciListingOptions,
} from "../sources/oci_source.ts";
export {
  discoverLocalExtensions,
  type DiscoverLocalOptions,
  localDetails,
  localEntries,
} from "../sources/local_source.ts";
export { createGiteaDiscoverer, type GiteaDiscovererOptions } from "../sources/gitea_source.ts";
export { createGitDiscoverer, type GitDiscovererOptions } from "../sources/git_source.ts";
export * from "./select_sources.ts";
export * from "./discovery_cache.ts";
export * from "./cached_versions.ts";
export * from "./discover_all.ts";
export * from "./search_extensions.ts";
export * from "./list_extensions.ts";
export * from "./get_extension_versions.ts";
export * from "./get_extension_info.ts";
export type { LookupOptions } from "./_lookup.ts";
