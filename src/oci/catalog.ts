/**
 * The registry catalog: `GET /v2/_catalog?n=` with `Link` pagination (a relative `Link` is
 * resolved against the request URL; paging stops on an empty or repeated page, because
 * distribution sends a `Link` even after the last page).
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { nextLink } from "../net/next_link.ts";
import { pagedList } from "../net/paged_list.ts";
import type { RegistryClient } from "./client.ts";
import { readBodyLimited } from "./http.ts";

/** Options of {@linkcode listArtifacts}. */
export interface ListArtifactsOptions {
  /** Registry (`host[:port]`); default `[oci] registry`. */
  registry?: string;
  /** Keep only repositories under this namespace; default `[oci] namespace`, `""` for all. */
  namespace?: string;
  /** Page size (`n`), default 100. */
  pageSize?: number;
}

const MAX_PAGES = 10_000;

/**
 * Lists repositories through the catalog API, keeping those under the namespace. When the
 * registry forbids the catalog (GHCR, ECR…) and `[oci] repositories` is set, those are
 * returned instead; otherwise the error says so and how to fix it.
 *
 * @example
 * ```ts ignore
 * const repos = await listArtifacts(client); // ["provisioning-extensions/aws", …]
 * ```
 *
 * @param client The registry client.
 * @param options Registry, namespace filter, page size.
 * @returns Full repository paths (`namespace/name`), sorted.
 * @throws {ProvisioningError} `AUTH_REFUSED` (401/403) or `UNSUPPORTED` (404/405) when the
 *   catalog is not available and no repositories are configured; `REGISTRY_ERROR` for a
 *   malformed page; network errors.
 */
export async function listArtifacts(
  client: RegistryClient,
  options: ListArtifactsOptions = {},
): Promise<string[]> {
  const registry = options.registry ?? client.registry;
  const namespace = options.namespace ?? client.settings.namespace;
  const prefix = namespace === "" ? "" : `${namespace.replace(/\/+$/, "")}/`;
  const keep = (repos: Iterable<string>) =>
    [...new Set(repos)].filter((r) => r.startsWith(prefix)).sort();

  let url: URL | undefined = new URL("v2/_catalog", client.baseUrl(registry));
  url.searchParams.set("n", String(options.pageSize ?? 100));
  const found = pagedList<string>(`catalog of "${registry}"`);
  const seen = new Set<string>();
  while (url !== undefined && !seen.has(url.href) && seen.size < MAX_PAGES) {
    seen.add(url.href);
    const response = await client.send({ method: "GET", url, scopes: ["registry:catalog:*"] });
    if ([401, 403, 404, 405].includes(response.status)) {
      const configured = client.settings.repositories ?? [];
      if (configured.length > 0) {
        await response.body?.cancel();
        return keep(configured);
      }
      const error = await client.fail("GET", url, response);
      throw new ProvisioningError(
        error.code === "AUTH_REFUSED" ? "AUTH_REFUSED" : "UNSUPPORTED",
        error.code === "AUTH_REFUSED"
          ? `Registry "${registry}" does not allow listing its catalog (HTTP ${response.status})`
          : `Registry "${registry}" has no catalog API (HTTP ${response.status})`,
        {
          cause: error,
          details: error.details,
          hint:
            "List the repositories to use in [oci] repositories, or use an account allowed to list the catalog",
        },
      );
    }
    if (!response.ok) throw await client.fail("GET", url, response);
    let page: unknown;
    let bytes = 0;
    try {
      const body = await readBodyLimited(response, 16 * 1024 * 1024);
      bytes = body.byteLength;
      page = JSON.parse(new TextDecoder().decode(body));
    } catch {
      page = undefined;
    }
    const list = (page as { repositories?: unknown } | undefined)?.repositories;
    if (list !== null && !Array.isArray(list)) {
      throw new ProvisioningError(
        "REGISTRY_ERROR",
        `Registry "${registry}" sent a catalog page without a "repositories" array`,
      );
    }
    const names = (list ?? []).filter((r): r is string => typeof r === "string");
    if (names.length === 0) break;
    found.add(names, bytes);
    url = nextLink(response.headers.get("link"), url);
  }
  return keep(found.items);
}
