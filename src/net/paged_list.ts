/**
 * The one bound on lists a server sends in pages (tags, the catalog, Gitea repositories and
 * tags): however many pages and whatever `Link` headers come, at most so many items and so
 * many bytes are kept, then a clear error. Items are appended one by one, never spread into
 * a call (a page of 500,000 names overflowed the stack that way).
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";

/** At most this many items in one list (tags of a repository, repositories of a catalog). */
export const MAX_LIST_ITEMS = 100_000;
/** At most this many bytes of pages for one list. */
export const MAX_LIST_BYTES = 64 * 1024 * 1024;

/** Collects the pages of one list within {@linkcode MAX_LIST_ITEMS} and {@linkcode MAX_LIST_BYTES}. */
export interface PagedList<T> {
  /** Everything added so far. */
  readonly items: T[];
  /**
   * Adds one page.
   *
   * @param page The page's items.
   * @param bytes The page's size on the wire.
   * @throws {ProvisioningError} `REGISTRY_ERROR` once the list is over a bound.
   */
  add(page: readonly T[], bytes: number): void;
}

/**
 * Starts a bounded list.
 *
 * @example
 * ```ts
 * import { pagedList } from "./paged_list.ts";
 * import assert from "node:assert/strict";
 *
 * const list = pagedList<string>('tags of "ns/aws" on "r:5000"', { maxItems: 3 });
 * list.add(["1.0.0", "1.1.0"], 40);
 * assert.throws(() => list.add(["2.0.0", "2.1.0"], 40), /more than 3 items/);
 * ```
 *
 * @param what What is listed, for the error (`tags of "ns/aws" on "host"`).
 * @param limits Lower bounds for tests.
 * @returns The list.
 */
export function pagedList<T>(
  what: string,
  limits: { maxItems?: number; maxBytes?: number } = {},
): PagedList<T> {
  const maxItems = limits.maxItems ?? MAX_LIST_ITEMS;
  const maxBytes = limits.maxBytes ?? MAX_LIST_BYTES;
  const items: T[] = [];
  let bytes = 0;
  return {
    items,
    add(page, size) {
      bytes += size;
      if (items.length + page.length > maxItems || bytes > maxBytes) {
        throw new ProvisioningError(
          "REGISTRY_ERROR",
          `The server sent more than ${
            items.length + page.length > maxItems ? `${maxItems} items` : `${maxBytes} bytes`
          } for the ${what}; refusing the rest`,
          { hint: "A repository or organisation this large is not an extension source" },
        );
      }
      for (const item of page) items.push(item);
    },
  };
}
