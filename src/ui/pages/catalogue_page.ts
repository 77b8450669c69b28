/**
 * The catalogue: a search form (search as you type with the client script, or by
 * submitting without it), filters by type, source and "cached", and one card per extension
 * and source.
 *
 * @module
 */

import type { DiscoveredExtension, SourceReport } from "../../discovery/types.ts";
import { EXTENSION_TYPES } from "../../manifest/types.ts";
import type { CatalogueQuery } from "../filter_catalogue.ts";
import { html, type SafeHtml, trusted } from "../html.ts";
import type { SignatureBadges } from "../types.ts";
import { extensionPath, page } from "./layout.ts";

/** Most cards rendered at once (refine the search for more). */
export const MAX_CARDS = 1000;

/**
 * One card.
 *
 * @example
 * ```ts
 * import { card } from "./catalogue_page.ts";
 * import assert from "node:assert/strict";
 *
 * const out = card({
 *   name: "aws", type: "provider", version: "2.4.1", versions: ["2.4.1"], source: "oci",
 *   description: "<b>AWS</b>", author: null, license: null, homepage: null, path: null,
 *   reference: null, digest: null, size: null, metadataFrom: "manifest", cached: ["2.4.1"],
 * }, new Map());
 * assert.match(out.html, /href="\/ext\/oci\/provider\/aws"/);
 * assert.match(out.html, /&lt;b&gt;AWS&lt;\/b&gt;/);
 * assert.match(out.html, /class="badge cached"/);
 * ```
 *
 * @param entry The extension.
 * @param signatures Signature badges by `source/type/name@version` (empty: none shown).
 * @returns The card.
 */
export function card(entry: DiscoveredExtension, signatures: SignatureBadges): SafeHtml {
  const signed = signatures.get(`${entry.source}/${entry.type}/${entry.name}@${entry.version}`);
  return compact(html`
    <article class="card" data-name="${entry.name}" data-source="${entry.source}">
      <h2><a href="${extensionPath(entry.source, entry.type, entry.name)}">${entry.name}</a></h2>
      <p
        class="meta"><span class="badge type">${entry.type}</span><span class="version">${entry
          .version}</span><span class="badge source">${entry.source}</span>${entry.cached.length > 0
          ? html`<span class="badge cached" title="cached: ${
            entry.cached.join(", ")
          }">cached</span>`
          : ""}${signed === undefined
          ? ""
          : html`<span class="badge ${signed ? "signed" : "unsigned"}">${
            signed ? "signed" : "unsigned"
          }</span>`}</p>
      <p class="desc">${entry.description || "No description"}</p>
    </article>
  `);
}

/** Drops the source indentation of a template (a card holds no `pre`), as one card is sent 500 times. */
function compact(markup: SafeHtml): SafeHtml {
  return trusted(markup.html.replace(/\n\s*/g, "\n").trim());
}

/**
 * The cards of a result and its count line, as the `/search` answer carries them.
 *
 * @example
 * ```ts
 * import { resultParts } from "./catalogue_page.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(resultParts([], 12, new Map()).count, "No extension matches (12 in all)");
 * ```
 *
 * @param shown The matching extensions.
 * @param total How many there are in all.
 * @param signatures Signature badges.
 * @returns The cards' HTML and the count text.
 */
export function resultParts(
  shown: readonly DiscoveredExtension[],
  total: number,
  signatures: SignatureBadges,
): { html: SafeHtml; count: string } {
  const cards = shown.slice(0, MAX_CARDS).map((e) => card(e, signatures));
  const more = shown.length > MAX_CARDS ? ` (showing ${MAX_CARDS}; refine the search)` : "";
  const count = shown.length === 0
    ? `No extension matches (${total} in all)`
    : shown.length === total
    ? `${total} extension${total === 1 ? "" : "s"}${more}`
    : `${shown.length} of ${total} extensions${more}`;
  return { html: html`${cards}`, count };
}

/** What the catalogue page shows. */
export interface CataloguePageData {
  query: CatalogueQuery;
  shown: readonly DiscoveredExtension[];
  all: readonly DiscoveredExtension[];
  sources: readonly SourceReport[];
  warnings: readonly string[];
  signatures: SignatureBadges;
}

/**
 * The catalogue page.
 *
 * @example
 * ```ts
 * import { cataloguePage } from "./catalogue_page.ts";
 * import assert from "node:assert/strict";
 *
 * const out = cataloguePage({ query: { q: '"><x', type: "", source: "", cached: false },
 *   shown: [], all: [], sources: [], warnings: [], signatures: new Map() });
 * assert.match(out, /value="&quot;&gt;&lt;x"/);
 * ```
 *
 * @param data Query, results, sources and warnings.
 * @returns The document.
 */
export function cataloguePage(data: CataloguePageData): string {
  const { query } = data;
  const sources = [
    ...new Set([...data.sources.map((s) => s.source), ...data.all.map((e) => e.source)]),
  ];
  const option = (value: string, label: string, current: string) =>
    html`
      <option value="${value}" ${value === current
        ? html`
          selected
        `
        : ""}>${label}</option>
    `;
  const parts = resultParts(data.shown, data.all.length, data.signatures);
  const problems = data.sources.filter((s) => s.status === "failed" || s.status === "stale");
  const body = html`
    <h1>Catalogue</h1>
    <form class="search" action="/" method="get" role="search">
      <input type="search" name="q" id="q" value="${query.q}"
        placeholder="Search by name, type or description" aria-label="Search" autocomplete="off"
        autofocus>
      <select name="type" aria-label="Type">${option("", "All types", query.type)}${EXTENSION_TYPES
        .map((t) => option(t, t, query.type))}</select>
      <select name="source" aria-label="Source">${option("", "All sources", query.source)}${sources
        .map((s) => option(s, s, query.source))}</select>
      <label><input type="checkbox" name="cached" value="1"${query.cached
        ? html`
          checked
        `
        : ""}> Cached</label>
      <button type="submit">Search</button>
    </form>
    ${problems.map((s) =>
      html`<p class="notice error">${s.source} ${s.label}: ${s.status}${
        s.error === undefined ? "" : html`
          — ${s.error.message}
        `
      }</p>`
    )}
    <p class="count" id="count" aria-live="polite">${parts.count}</p>
    <div id="results" class="cards">${parts.html}</div>
  `;
  return page("Catalogue", "catalogue", body);
}
