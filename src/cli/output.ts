/**
 * Rendering of command results as `table`, `json` or `yaml`, and of messages on stderr.
 *
 * JSON and YAML go to stdout alone; everything meant for a person (warnings, notices,
 * progress) goes to stderr so `--format json | jq` always works.
 *
 * @module
 */

import { printable } from "./io.ts";

/** Output formats every read command accepts. */
export const OUTPUT_FORMATS = ["table", "json", "yaml"] as const;

/** One of {@linkcode OUTPUT_FORMATS}. */
export type OutputFormat = typeof OUTPUT_FORMATS[number];

/** A column of a table: header and how to read the cell from a row. */
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | undefined | null;
  /** Free text (a description) that may be cut with `…` to fit {@linkcode TableOptions.width}. */
  truncate?: boolean;
}

/** How {@linkcode formatTable} lays the table out. */
export interface TableOptions {
  /**
   * The terminal's width in columns: the widest truncatable column is cut (at a word
   * boundary, with `…`) so each line fits. Unset: nothing is cut (a pipe, a file).
   */
  width?: number | undefined;
}

/** A truncated column keeps at least this many characters (or its header's length). */
const MIN_TRUNCATED_WIDTH = 10;

/**
 * Lays rows out as an aligned plain-text table (no borders, two spaces between columns).
 *
 * @example
 * ```ts
 * import { formatTable } from "./output.ts";
 * import assert from "node:assert/strict";
 *
 * const text = formatTable([{ n: "aws", v: "2.4.1" }], [
 *   { header: "NAME", value: (r) => r.n },
 *   { header: "VERSION", value: (r) => r.v },
 * ]);
 * assert.equal(text, "NAME  VERSION\naws   2.4.1\n");
 * ```
 *
 * With a width, the description gives way so every line fits:
 *
 * ```ts
 * import { formatTable } from "./output.ts";
 * import assert from "node:assert/strict";
 *
 * const text = formatTable([{ n: "aws", d: "Amazon Web Services provider for clusters" }], [
 *   { header: "NAME", value: (r) => r.n },
 *   { header: "DESCRIPTION", value: (r) => r.d, truncate: true },
 * ], { width: 30 });
 * assert.equal(text, "NAME  DESCRIPTION\naws   Amazon Web Services…\n");
 * ```
 *
 * @param rows The rows to show.
 * @param columns Header and cell reader of each column.
 * @param options The terminal width to fit, if any.
 * @returns The table with a trailing newline; an empty string when there are no rows.
 */
export function formatTable<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  options: TableOptions = {},
): string {
  if (rows.length === 0) return "";
  const cells = rows.map((row) => columns.map((c) => cellText(c.value(row))));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((r) => textWidth(r[i] ?? "")))
  );
  if (options.width !== undefined) fitWidths(columns, widths, options.width);
  const line = (values: readonly string[]) =>
    values.map((v, i) => {
      const width = widths[i] ?? 0;
      const text = columns[i]?.truncate ? truncateText(v, width) : v;
      return i === values.length - 1 ? text : text.padEnd(width + text.length - textWidth(text));
    }).join("  ").trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join("\n") + "\n";
}

/** Narrows the widest truncatable columns (in place) until a line fits `width`. */
function fitWidths<T>(columns: readonly Column<T>[], widths: number[], width: number): void {
  const order = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.truncate)
    .sort((a, b) => (widths[b.i] ?? 0) - (widths[a.i] ?? 0));
  for (const { c, i } of order) {
    const total = widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
    const excess = total - width;
    if (excess <= 0) return;
    const current = widths[i] ?? 0;
    widths[i] = Math.max(
      Math.min(current, Math.max(c.header.length, MIN_TRUNCATED_WIDTH)),
      current - excess,
    );
  }
}

/**
 * Cuts text to at most `width` characters, at a word boundary when one is near, ending in `…`.
 *
 * @example
 * ```ts
 * import { truncateText } from "./output.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(truncateText("Kubernetes control plane", 15), "Kubernetes…");
 * assert.equal(truncateText("short", 15), "short");
 * assert.equal(truncateText("Supercalifragilistic", 8), "Superca…");
 * ```
 *
 * @param text One line of text.
 * @param width The most characters the result may have (at least 1).
 * @returns The text, or its start followed by `…`.
 */
export function truncateText(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  const head = chars.slice(0, Math.max(0, width - 1)).join("");
  const space = head.lastIndexOf(" ");
  const cut = space >= head.length / 2 ? head.slice(0, space) : head;
  return cut.trimEnd() + "…";
}

/** Characters (code points), the unit widths are counted in. */
function textWidth(text: string): number {
  return [...text].length;
}

function cellText(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return "-";
  return printable(String(value)); // descriptions and names come from outside
}

/**
 * Serialises a result as JSON (two-space indent) or YAML, with a trailing newline.
 * YAML is loaded only when asked for, so other formats do not pay for the parser. It is the
 * `yaml` package's text, not js-yaml's (which reads manifests): js-yaml folds long strings
 * into `>-` blocks and quotes `yes` or ISO dates, so `-o yaml` output would change.
 *
 * @example
 * ```ts
 * import { formatData } from "./output.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await formatData({ a: 1 }, "json"), '{\n  "a": 1\n}\n');
 * assert.equal(await formatData({ a: 1 }, "yaml"), "a: 1\n");
 * ```
 *
 * @param data Any JSON-compatible value.
 * @param format `json` or `yaml`.
 * @returns The text to print.
 */
export async function formatData(data: unknown, format: "json" | "yaml"): Promise<string> {
  if (format === "json") return JSON.stringify(data, null, 2) + "\n";
  const { stringify } = await import("yaml");
  return stringify(data);
}
