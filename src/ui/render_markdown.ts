/**
 * An extension's README as HTML: Markdown rendered by `marked`, then sanitised by
 * `sanitize-html` with an allow-list (no `script`, `style`, `iframe`, forms or event-handler
 * attributes; links only `http`, `https` and `mailto`), so a hostile README cannot run
 * script in the page. Both packages are imported on first use, never at start-up.
 *
 * @module
 */

import { type SafeHtml, trusted } from "./html.ts";

/** Tags a README may use besides the sanitiser's defaults. */
const EXTRA_TAGS = ["img", "h1", "h2", "del", "input"];

/**
 * Renders Markdown to sanitised HTML.
 *
 * @example
 * ```ts
 * import { renderMarkdown } from "./render_markdown.ts";
 * import assert from "node:assert/strict";
 *
 * const out = await renderMarkdown("# Hi\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>");
 * assert.match(out.html, /<h1>Hi<\/h1>/);
 * assert.doesNotMatch(out.html, /script|onerror/);
 * ```
 *
 * @param markdown The Markdown text.
 * @returns The sanitised HTML.
 */
export async function renderMarkdown(markdown: string): Promise<SafeHtml> {
  const [{ marked }, { default: sanitizeHtml }] = await Promise.all([
    import("marked"),
    import("sanitize-html"),
  ]);
  const rendered = await marked.parse(markdown, { gfm: true, async: true });
  const clean = sanitizeHtml(rendered, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, ...EXTRA_TAGS],
    allowedAttributes: {
      a: ["href", "title", "rel"],
      img: ["src", "alt", "title", "width", "height"],
      code: ["class"],
      th: ["align"],
      td: ["align"],
      input: ["type", "checked", "disabled"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["http", "https", "data"] },
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    transformTags: {
      a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow" }),
      input: (tagName: string, attribs: Record<string, string>) =>
        attribs.type === "checkbox"
          ? { tagName, attribs: { ...attribs, disabled: "" } }
          : { tagName: "span", attribs: {} },
    },
  });
  return trusted(clean);
}
