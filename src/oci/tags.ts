/**
 * Tag listing: `GET /v2/<name>/tags/list`, following `Link` pagination when the registry
 * pages, sorted client-side (registries return tags unsorted).
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { sortBySemver, tagToVersion } from "../versions/mod.ts";
import { nextLink } from "../net/next_link.ts";
import type { RegistryClient } from "./client.ts";
import { readBodyLimited } from "./http.ts";
import { pagedList } from "../net/paged_list.ts";
import type { Reference } from "./types.ts";

/** Options of {@linkcode getArtifactTags}. */
export interface GetTagsOptions {
  /** Page size (`n`) to ask for; default: the registry's own. */
  pageSize?: number;
  /** `false` keeps the registry's order (default: sorted, see {@linkcode sortTags}). */
  sort?: boolean;
  /** Lower bounds than `MAX_LIST_ITEMS` / `MAX_LIST_BYTES` (tests). */
  limits?: { maxItems?: number; maxBytes?: number };
}

const MAX_PAGE_BYTES = 16 * 1024 * 1024;
const MAX_PAGES = 10_000;

/**
 * Lists the tags of a repository. A reference's tag or digest is ignored.
 *
 * @example
 * ```ts ignore
 * const tags = await getArtifactTags(client, "aws"); // ["1.0.0", "1.2.0", "latest"]
 * ```
 *
 * @param client The registry client.
 * @param ref The repository (`name`, `namespace/name` or a full reference).
 * @param options Page size and sorting.
 * @returns The tags, semver tags first in ascending version order, then others.
 * @throws {ProvisioningError} `NOT_FOUND` for an unknown repository; `REGISTRY_ERROR` for a
 *   malformed page or more than `MAX_LIST_ITEMS` tags (or `MAX_LIST_BYTES` of pages);
 *   network and auth errors.
 */
export async function getArtifactTags(
  client: RegistryClient,
  ref: string | Reference,
  options: GetTagsOptions = {},
): Promise<string[]> {
  const reference = client.reference(ref);
  let url: URL | undefined = client.repositoryUrl(reference, "tags/list");
  if (options.pageSize !== undefined) url.searchParams.set("n", String(options.pageSize));
  const tags = pagedList<string>(
    `tags of "${reference.repository}" on "${reference.registry}"`,
    options.limits,
  );
  const seen = new Set<string>();
  while (url !== undefined && !seen.has(url.href) && seen.size < MAX_PAGES) {
    seen.add(url.href);
    const response = await client.send({
      method: "GET",
      url,
      scopes: [`repository:${reference.repository}:pull`],
    });
    if (!response.ok) {
      throw await client.fail("GET", url, response, {
        what: `list tags of "${reference.repository}"`,
        notFound:
          `Repository "${reference.repository}" not found in registry "${reference.registry}"`,
      });
    }
    const { page, bytes } = await readJson(response, url);
    const list = (page as { tags?: unknown })?.tags;
    if (list !== null && list !== undefined && !Array.isArray(list)) {
      throw new ProvisioningError(
        "REGISTRY_ERROR",
        `Registry "${url.host}" sent a tag list without a "tags" array`,
      );
    }
    const names = (list ?? []).filter((t): t is string => typeof t === "string");
    if (names.length === 0) break;
    tags.add(names, bytes);
    url = nextLink(response.headers.get("link"), url);
  }
  const unique = [...new Set(tags.items)];
  return options.sort === false ? unique : sortTags(unique);
}

/**
 * Sorts tags: those that map to a semantic version (`1.2.0`, `v1.2.0`, `1.0.0_build`) in
 * ascending version order, then every other tag in code-point order.
 *
 * @example
 * ```ts
 * import { sortTags } from "./tags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(
 *   sortTags(["latest", "1.10.0", "v1.2.0", "1.2.0-rc.1", "dev"]),
 *   ["1.2.0-rc.1", "v1.2.0", "1.10.0", "dev", "latest"],
 * );
 * ```
 *
 * @param tags Tags in any order.
 * @returns A new sorted array.
 */
export function sortTags(tags: readonly string[]): string[] {
  const byVersion = new Map<string, string[]>();
  const other: string[] = [];
  for (const tag of tags) {
    const version = tagToVersion(tag);
    if (version === undefined) other.push(tag);
    else {
      const same = byVersion.get(version);
      if (same === undefined) byVersion.set(version, [tag]);
      else same.push(tag);
    }
  }
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [
    ...sortBySemver([...byVersion.keys()]).flatMap((v) => byVersion.get(v)!.sort(compare)),
    ...other.sort(compare),
  ];
}

async function readJson(response: Response, url: URL): Promise<{ page: unknown; bytes: number }> {
  try {
    const body = await readBodyLimited(response, MAX_PAGE_BYTES);
    return { page: JSON.parse(new TextDecoder().decode(body)), bytes: body.byteLength };
  } catch (error) {
    if (!(error instanceof SyntaxError) && !(error instanceof RangeError)) throw error;
    throw new ProvisioningError(
      "REGISTRY_ERROR",
      `Registry "${url.host}" sent an invalid JSON page for "${url.pathname}"`,
    );
  }
}
