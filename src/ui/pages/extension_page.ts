/**
 * The extension page: description and badges, the README (sanitised Markdown), the
 * commands to copy, "Pull" for the chosen version, the versions with digests and dates,
 * the manifest (requires, dependencies as links, homepage, repository, license) and the
 * file tree.
 *
 * @module
 */

import type { DiscoveredExtension } from "../../discovery/types.ts";
import type { ExtensionDetails } from "../extension_details.ts";
import { html, type SafeHtml } from "../html.ts";
import { extensionPath, externalLink, page, sizeText } from "./layout.ts";

/** Sources whose versions can be pulled into the cache (the others are used in place). */
export const PULLABLE_SOURCES: readonly string[] = ["oci", "oci-layout", "gitea", "git"];

/** What the extension page is rendered from. */
export interface ExtensionPageData {
  details: ExtensionDetails;
  /** The README rendered and sanitised, when there is one. */
  readme: SafeHtml | undefined;
  /** The run's token, put into the Pull form. */
  token: string;
  /** Every catalogue entry, to link dependencies to their pages. */
  catalogue: readonly DiscoveredExtension[];
  /** A message after a pull (`pulled` query parameter). */
  notice: string | undefined;
  /** The signature badge of the chosen version, when known. */
  signed: boolean | undefined;
  /** What the workspace's `extensions.lock` pins for this extension, if it does. */
  locked?: { file: string; version: string; digest: string | null } | undefined;
}

function command(text: string): SafeHtml {
  return html`
    <div
      class="cmd"><pre><code>${text}</code></pre><button type="button" data-copy="${text}">Copy</button></div>
  `;
}

function dependencyLink(name: string, catalogue: readonly DiscoveredExtension[]): SafeHtml {
  const found = catalogue.find((e) => e.name === name);
  const href = found === undefined
    ? `/?q=${encodeURIComponent(name)}`
    : extensionPath(found.source, found.type, found.name);
  return html`<a href="${href}">${name}</a>`;
}

function requiresList(requires: ExtensionDetails["info"]["requires"]): SafeHtml {
  if (requires === null) return html`-`;
  if (Array.isArray(requires)) return html`${requires.map((r) => String(r)).join(", ") || "-"}`;
  const rows = Object.entries(requires).map(([k, v]) =>
    html`<li><code>${k}</code>: ${typeof v === "string" ? v : JSON.stringify(v)}</li>`
  );
  return rows.length === 0 ? html`-` : html`<ul>${rows}</ul>`;
}

/**
 * The extension page.
 *
 * @example
 * ```ts ignore
 * const text = extensionPage({ details, readme, token, catalogue, notice: undefined, signed: undefined });
 * ```
 *
 * @param data The details, README, token and catalogue.
 * @returns The document.
 */
export function extensionPage(data: ExtensionPageData): string {
  const { info, versions, files, filesProblem } = data.details;
  const pullable = PULLABLE_SOURCES.includes(info.source) && info.type !== "unknown";
  const chosen = info.version;
  const deps = Object.entries(info.dependencies);
  const pull = !pullable
    ? html`<p class="empty">Used in place from its folder: nothing to pull.</p>`
    : info.cached
    ? html`<p><span class="badge cached" id="cached-state">cached</span> ${chosen} is in the cache${
      info.path === null ? "" : html`: <code>${info.path}</code>`
    }</p>`
    : html`<form method="post" action="/pull" id="pull-form">
<input type="hidden" name="token" value="${data.token}">
<input type="hidden" name="name" value="${info.name}">
<input type="hidden" name="type" value="${info.type}">
<input type="hidden" name="version" value="${chosen}">
<input type="hidden" name="source" value="${info.source}">
<button type="submit" class="primary" id="pull">Pull ${chosen}</button></form>`;
  const versionRows = versions.map((v) =>
    html`
      <tr${v.version === chosen
        ? html`
          aria-current="true"
        `
        : ""}>
        <td><a class="version" href="${extensionPath(
          info.source,
          info.type,
          info.name,
          v.version,
        )}">${v.version}</a></td>
        <td>${v.date === null
          ? "-"
          : html`<span title="${v.dateKind ?? ""}">${
            v.date.slice(0, 19).replace("T", " ")
          }</span>`}</td>
        <td>${v.digest === null
          ? "-"
          : html`<code class="digest" title="${v.digest}">${v.digest}</code>`}</td>
        <td>${sizeText(v.size)}</td>
        <td>${v.cached
          ? html`<span class="badge cached">cached</span>`
          : ""}${data.locked?.version === v.version
          ? html`<span class="badge locked">locked</span>`
          : ""}</td>
        </tr>
    `
  );
  const tree = files === undefined
    ? html`<p class="empty">${filesProblem ?? "No files"}</p>`
    : html`
      <p class="empty">From the ${files.from === "layer"
        ? "registry layer (not cached)"
        : files.from}${files.truncated ? " (first entries only)" : ""}</p>
      <ul class="tree" id="files">${files.files.map((f) =>
        html`<li><span>${f.path}</span><span>${
          f.path.endsWith("/") ? "" : sizeText(f.size)
        }</span></li>`
      )}</ul>
    `;
  const body = html`
    <p><a href="/">← Catalogue</a></p>
    <h1>${info.name}</h1>
    <p
      class="meta"><span class="badge type">${info
        .type}</span><span class="version">${chosen}</span><span class="badge source">${info
        .source}</span>${info.cachedVersions.length > 0
        ? html`<span class="badge cached">cached</span>`
        : ""}${data.signed === undefined
        ? ""
        : html`<span class="badge ${data.signed ? "signed" : "unsigned"}">${
          data.signed ? "signed" : "unsigned"
        }</span>`}</p>
    <p>${info.description || "No description"}</p>
    ${data.notice === undefined ? "" : html`<p class="notice" id="notice">${data.notice}</p>`}
    <div class="layout">
      <div>
        <section class="readme" id="readme"><h2>README</h2>${data.readme ??
          html`<p class="empty">No docs/README.md${
            files === undefined ? " available" : ""
          }</p>`}</section>
        <section>
          <h2>Versions</h2>
          <div class="scroll">
            <table id="versions">
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Date</th>
                  <th>Digest</th>
                  <th>Size</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>${versionRows}</tbody>
            </table>
          </div>
        </section>
      </div>
      <div>
        <section><h2>Use it</h2>${data.locked === undefined ? "" : html`<p id="locked">
          <span class="badge locked">locked</span> This workspace's <code>${data.locked.file}</code>
          pins ${data.locked.version}${
          data.locked.digest === null ? "" : html`
            (<code class="digest" title="${data.locked.digest}">${data.locked.digest}</code>)
          `
        }
        </p>`}${pull}
    ${command(`provisioning ext load ${info.name} --version ${chosen}`)}
    ${pullable
      ? command(`provisioning ext pull ${info.name} --version ${chosen} --source ${info.source}`)
      : ""}
    <p class="empty">In extensions.toml (then <code>provisioning ext install</code>):</p>
    ${command(`${info.name} = { version = "^${chosen}", type = "${info.type}" }`)}
        </section>
        <section>
          <h2>Manifest</h2>
          <dl class="facts">
    <dt>Author</dt><dd>${info.author ?? "-"}</dd>
    <dt>License</dt><dd>${info.license ?? "-"}</dd>
    <dt>Homepage</dt><dd>${info.homepage === null ? "-" : externalLink(info.homepage)}</dd>
    <dt>Repository</dt><dd>${info.repository === null ? "-" : externalLink(info.repository)}</dd>
    <dt>Requires</dt><dd>${requiresList(info.requires)}</dd>
    <dt>Dependencies</dt><dd id="dependencies">${deps.length === 0
      ? "-"
      : html`<ul>${
        deps.map(([n, spec]) =>
          html`<li>${dependencyLink(n, data.catalogue)} <code>${spec}</code></li>`
        )
      }</ul>`}</dd>
    ${info.reference === null ? "" : html`
      <dt>Reference</dt>
      <dd><code>${info.reference}</code></dd>
    `}
    ${info.digest === null ? "" : html`
      <dt>Digest</dt>
      <dd><code>${info.digest}</code></dd>
    `}
    ${info.size === null ? "" : html`
      <dt>Size</dt>
      <dd>${sizeText(info.size)}</dd>
    `}
    <dt>Cached versions</dt><dd id="cached-versions">${info.cachedVersions.join(", ") ||
      "none"}</dd>
          </dl>
        </section>
        <section><h2>Files of ${chosen}</h2>${tree}</section>
      </div>
    </div>
  `;
  return page(info.name, "", body);
}
