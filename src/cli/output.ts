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
}

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
 * @param rows The rows to show.
 * @param columns Header and cell reader of each column.
 * @returns The table with a trailing newline; an empty string when there are no rows.
 */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0) return "";
  const cells = rows.map((row) => columns.map((c) => cellText(c.value(row))));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((r) => r[i]?.length ?? 0))
  );
  const line = (values: readonly string[]) =>
    values.map((v, i) => i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)).join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join("\n") + "\n";
}

function cellText(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return "-";
  return printable(String(value)); // descriptions and names come from outside
}

/**
 * Serialises a result as JSON (two-space indent) or YAML, with a trailing newline.
 * YAML is loaded only when asked for, so other formats do not pay for the parser.
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
