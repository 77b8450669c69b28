/**
 * The cache page: what `ext cache stats` and `ext cache list` show, with sizes.
 *
 * @module
 */

import type { CacheEntry, CacheStats } from "../../cache/types.ts";
import { html } from "../html.ts";
import { extensionPath, page, sizeText } from "./layout.ts";

/**
 * The cache page.
 *
 * @example
 * ```ts
 * import { cachePage } from "./cache_page.ts";
 * import assert from "node:assert/strict";
 *
 * const stats = { root: "/c", entries: 0, bytes: 0, byType: {}, blobs: { count: 0, bytes: 0 },
 *   leftovers: { count: 0, bytes: 0 } };
 * assert.match(cachePage(stats, []), /The cache is empty/);
 * ```
 *
 * @param stats `getCacheStats`.
 * @param entries `listCached`.
 * @returns The document.
 */
export function cachePage(stats: CacheStats, entries: readonly CacheEntry[]): string {
  const byType = Object.entries(stats.byType).map(([type, s]) =>
    html`
      <dt>${type}</dt>
      <dd>${s.entries} entr${s.entries === 1 ? "y" : "ies"}, ${sizeText(s.bytes)}</dd>
    `
  );
  const rows = entries.map((e) =>
    html`
      <tr>
        <td>${e.type}</td>
        <td><a href="${extensionPath(
          e.source === "unknown" ? "oci" : e.source,
          e.type,
          e.name,
          e.version,
        )}">${e.name}</a></td>
        <td class="version">${e.version}</td>
        <td>${e.source}</td>
        <td>${sizeText(e.size)}</td>
        <td>${e.files}</td>
        <td>${e.pulledAt.slice(0, 19).replace("T", " ")}</td>
        <td>${e.lastUsedAt.slice(0, 19).replace("T", " ")}</td>
        <td>${e.digest === undefined
          ? "-"
          : html`<code class="digest" title="${e.digest}">${e.digest}</code>`}</td>
      </tr>
    `
  );
  const body = html`
    <h1>Cache</h1>
    <section>
      <h2>Stats</h2>
      <dl class="facts" id="stats">
    <dt>Root</dt><dd><code>${stats.root}</code></dd>
    <dt>Entries</dt><dd id="entries">${stats.entries}</dd>
    <dt>Unpacked</dt><dd>${sizeText(stats.bytes)}</dd>
    <dt>Blobs</dt><dd>${stats.blobs.count} (${sizeText(stats.blobs.bytes)})</dd>
    <dt>Leftovers</dt><dd>${stats.leftovers.count} (${sizeText(stats.leftovers.bytes)})</dd>
    ${byType}
    ${stats.oldestUse === undefined ? "" : html`
      <dt>Oldest use</dt>
      <dd>${stats.oldestUse}</dd>
    `}
    ${stats.newestUse === undefined ? "" : html`
      <dt>Newest use</dt>
      <dd>${stats.newestUse}</dd>
    `}
      </dl>
    </section>
    <section><h2>Entries</h2>${entries.length === 0
      ? html`<p class="empty">The cache is empty.</p>`
      : html`
        <div class="scroll">
          <table id="cache-entries">
            <thead>
              <tr>
                <th>Type</th>
                <th>Name</th>
                <th>Version</th>
                <th>Source</th>
                <th>Size</th>
                <th>Files</th>
                <th>Pulled</th>
                <th>Last used</th>
                <th>Digest</th>
              </tr>
            </thead>
            <tbody>${rows}</tbody>
          </table>
        </div>
      `}
    <p class="empty">Remove entries with <code>provisioning ext cache prune</code> or <code>ext cache clear</code>.</p></section>
  `;
  return page("Cache", "cache", body);
}
