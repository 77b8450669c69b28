/**
 * The catalogue's search and filters: the same ranking as `ext search`
 * ({@linkcode rankExtensions}) when there is a query, the discovery order otherwise, then the
 * type, source and "cached" filters.
 *
 * @module
 */

import type { DiscoveredExtension } from "../discovery/types.ts";
import { rankExtensions } from "../discovery/search_extensions.ts";

/** What the catalogue is asked for (the query string of `/` and `/search`). */
export interface CatalogueQuery {
  /** Words to look for; empty lists everything. */
  q: string;
  /** `provider`, `taskserv`, `cluster`, or `""` for any. */
  type: string;
  /** A source (`oci`, `local`…), or `""` for any. */
  source: string;
  /** Only extensions with a version in the cache. */
  cached: boolean;
}

/**
 * Reads a catalogue query from URL search parameters; unknown values are kept (they then
 * match nothing) and nothing throws.
 *
 * @example
 * ```ts
 * import { readCatalogueQuery } from "./filter_catalogue.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(readCatalogueQuery(new URLSearchParams("q=kube&cached=1")),
 *   { q: "kube", type: "", source: "", cached: true });
 * ```
 *
 * @param params The URL's search parameters.
 * @returns The query.
 */
export function readCatalogueQuery(params: URLSearchParams): CatalogueQuery {
  return {
    q: (params.get("q") ?? "").slice(0, 200),
    type: params.get("type") ?? "",
    source: params.get("source") ?? "",
    cached: params.get("cached") === "1",
  };
}

/**
 * The extensions a catalogue query shows, best first.
 *
 * @example
 * ```ts
 * import { filterCatalogue } from "./filter_catalogue.ts";
 * import assert from "node:assert/strict";
 *
 * const entry = (name: string, type: "provider" | "taskserv", cached: string[] = []) => ({
 *   name, type, version: "1.0.0", versions: ["1.0.0"], source: "oci" as const,
 *   description: "", author: null, license: null, homepage: null, path: null,
 *   reference: null, digest: null, size: null, metadataFrom: "manifest" as const, cached,
 * });
 * const all = [entry("aws", "provider"), entry("kubernetes", "taskserv", ["1.0.0"])];
 * const names = (q: object) =>
 *   filterCatalogue(all, { q: "", type: "", source: "", cached: false, ...q }).map((e) => e.name);
 * assert.deepEqual(names({ q: "kubernets" }), ["kubernetes"]);
 * assert.deepEqual(names({ type: "provider" }), ["aws"]);
 * assert.deepEqual(names({ cached: true }), ["kubernetes"]);
 * ```
 *
 * @param entries Every discovered extension.
 * @param query Search words and filters.
 * @returns The matching extensions, ranked when there is a query.
 */
export function filterCatalogue(
  entries: readonly DiscoveredExtension[],
  query: CatalogueQuery,
): DiscoveredExtension[] {
  const kept = entries.filter((e) =>
    (query.type === "" || e.type === query.type) &&
    (query.source === "" || e.source === query.source) &&
    (!query.cached || e.cached.length > 0)
  );
  return query.q.trim() === "" ? kept : rankExtensions(kept, query.q);
}
