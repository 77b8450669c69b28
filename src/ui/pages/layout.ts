/**
 * The page shell every page shares: the stylesheet and the script as files (no inline
 * script or style, so the Content-Security-Policy can forbid both), the header with the
 * navigation, and small helpers for links and sizes.
 *
 * @module
 */

import { formatSize } from "../../publish/format_size.ts";
import { html, type SafeHtml } from "../html.ts";

/** URL of the stylesheet. */
export const STYLESHEET_PATH = "/assets/ui.css";
/** URL of the client script. */
export const SCRIPT_PATH = "/assets/ui.js";

/**
 * A whole HTML page.
 *
 * @example
 * ```ts
 * import { page } from "./layout.ts";
 * import { html } from "../html.ts";
 * import assert from "node:assert/strict";
 *
 * const out = page("A <title>", "catalogue", html`<p>x</p>`);
 * assert.match(out, /<title>A &lt;title&gt; · provisioning ext<\/title>/);
 * assert.doesNotMatch(out, /<script>/);
 * ```
 *
 * @param title The page title (escaped).
 * @param current Which navigation item is current.
 * @param body The content of `<main>`.
 * @returns The document.
 */
export function page(title: string, current: "catalogue" | "cache" | "", body: SafeHtml): string {
  const nav = (href: string, label: string, key: string) =>
    html`
      <a href="${href}" ${current === key
        ? html`
          aria-current="page"
        `
        : ""}>${label}</a>
    `;
  return "<!doctype html>\n" + html`
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>${title} · provisioning ext</title>
        <link rel="stylesheet" href="${STYLESHEET_PATH}">
        <script src="${SCRIPT_PATH}" defer></script>
      </head>
      <body>
        <header class="top"><a class="brand" href="/">provisioning ext</a>
    <nav>${nav("/", "Catalogue", "catalogue")}${nav("/cache", "Cache", "cache")}</nav></header>
        <main>${body}</main>
      </body>
    </html>
  `.html;
}

/**
 * An `http(s)` URL as a link; anything else (`javascript:`, relative, broken) as text.
 *
 * @example
 * ```ts
 * import { externalLink } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(externalLink("javascript:alert(1)").html, "javascript:alert(1)");
 * assert.match(externalLink("https://example.com/x").html, /^<a href="https:\/\/example.com\/x"/);
 * ```
 *
 * @param url The URL from a manifest.
 * @returns The link or the text.
 */
export function externalLink(url: string): SafeHtml {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    return html`${url}`;
  }
  return html`<a href="${parsed.href}" rel="noopener noreferrer nofollow">${url}</a>`;
}

/**
 * Bytes as `1.2 KiB`; `-` for null.
 *
 * @example
 * ```ts
 * import { sizeText } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sizeText(null), "-");
 * assert.equal(sizeText(512), "512 B");
 * ```
 *
 * @param bytes The size, or null when unknown.
 * @returns The text.
 */
export function sizeText(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? "-" : formatSize(bytes);
}

/**
 * The path of an extension's page, each part encoded.
 *
 * @example
 * ```ts
 * import { extensionPath } from "./layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(extensionPath("oci", "taskserv", "redis", "1.2.0+b"),
 *   "/ext/oci/taskserv/redis?version=1.2.0%2Bb");
 * ```
 *
 * @param source The source.
 * @param type The extension type.
 * @param name The name.
 * @param version A version to show instead of the highest.
 * @returns The path.
 */
export function extensionPath(
  source: string,
  type: string,
  name: string,
  version?: string,
): string {
  const path = `/ext/${encodeURIComponent(source)}/${encodeURIComponent(type)}/${
    encodeURIComponent(name)
  }`;
  return version === undefined ? path : `${path}?version=${encodeURIComponent(version)}`;
}
