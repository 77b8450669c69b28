/**
 * HTML built by escaping: every value put into the {@linkcode html} template is escaped
 * unless it is already {@linkcode SafeHtml} (another template's result, or sanitised
 * Markdown), so text from an extension (name, description, README, file names) can never
 * open a tag or an attribute in the page.
 *
 * @module
 */

/** HTML that is known to be safe to insert as it is. */
export interface SafeHtml {
  /** The markup. */
  readonly html: string;
}

/** What the {@linkcode html} template accepts as a value. */
export type HtmlValue =
  | SafeHtml
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./html.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(escapeHtml(`<img src=x onerror="a('b')">&`),
 *   "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;");
 * ```
 *
 * @param text Any text.
 * @returns The escaped text.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Marks markup as safe. Use only for markup this module built or the Markdown sanitiser
 * returned.
 *
 * @example
 * ```ts
 * import { html, trusted } from "./html.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(html`<p>${trusted("<b>x</b>")}</p>`.html, "<p><b>x</b></p>");
 * ```
 *
 * @param markup The markup.
 * @returns It, marked safe.
 */
export function trusted(markup: string): SafeHtml {
  return { html: markup };
}

function isSafe(value: unknown): value is SafeHtml {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    typeof (value as SafeHtml).html === "string";
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  if (isSafe(value)) return value.html;
  return escapeHtml(String(value));
}

/**
 * The HTML template tag: strings are escaped, arrays joined, `null`/`undefined`/`false`
 * left out, {@linkcode SafeHtml} inserted as it is.
 *
 * @example
 * ```ts
 * import { html } from "./html.ts";
 * import assert from "node:assert/strict";
 *
 * const name = "<script>x</script>";
 * const out = html`<ul>${["a", name].map((n) => html`<li title="${n}">${n}</li>`)}</ul>`;
 * assert.equal(out.html,
 *   '<ul><li title="a">a</li><li title="&lt;script&gt;x&lt;/script&gt;">&lt;script&gt;x&lt;/script&gt;</li></ul>');
 * ```
 *
 * @param strings The literal parts.
 * @param values The values, escaped unless safe.
 * @returns The markup.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? "");
  return { html: out };
}
