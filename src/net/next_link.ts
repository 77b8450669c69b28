/**
 * `Link` header pagination (RFC 8288 `rel="next"`), shared by the registry client (catalog,
 * tags) and the Gitea client (repositories, tags).
 *
 * @module
 */

/**
 * The `rel="next"` target of a `Link` header, resolved against the request URL.
 *
 * @example
 * ```ts
 * import { nextLink } from "./next_link.ts";
 * import assert from "node:assert/strict";
 *
 * const page = new URL("https://git.example.com/api/v1/orgs/x/repos?page=1");
 * const header = '<https://git.example.com/api/v1/orgs/x/repos?page=2>; rel="next"';
 * assert.equal(nextLink(header, page)?.searchParams.get("page"), "2");
 * assert.equal(nextLink('</a>; rel="prev"', page), undefined);
 * ```
 *
 * @param header The `Link` header value.
 * @param requestUrl The URL the page was requested from.
 * @returns The next page's URL, or `undefined`.
 */
export function nextLink(header: string | null, requestUrl: URL): URL | undefined {
  if (header === null) return undefined;
  let pos = 0;
  while (pos < header.length) {
    const open = header.indexOf("<", pos);
    if (open === -1) return undefined;
    const close = header.indexOf(">", open);
    if (close === -1) return undefined;
    const target = header.slice(open + 1, close);
    // Parameters run to the next top-level comma (commas inside quotes do not count).
    let end = close + 1;
    let quoted = false;
    while (end < header.length && (quoted || header[end] !== ",")) {
      if (header[end] === '"') quoted = !quoted;
      else if (header[end] === "\\" && quoted) end++;
      end++;
    }
    const params = header.slice(close + 1, end);
    for (
      const param of params.matchAll(/;\s*([A-Za-z*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g)
    ) {
      if (param[1]!.toLowerCase() !== "rel") continue;
      const rels = (param[2] ?? param[3] ?? "").toLowerCase().split(/\s+/);
      if (rels.includes("next")) {
        try {
          return new URL(target, requestUrl);
        } catch {
          return undefined;
        }
      }
    }
    pos = end + 1;
  }
  return undefined;
}
