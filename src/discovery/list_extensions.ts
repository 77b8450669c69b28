/**
 * `ext list`: discovered extensions formatted as a table, JSON or YAML.
 *
 * @module
 */

import { formatData, formatTable, type OutputFormat } from "../cli/output.ts";
import { discoverAllExtensions, type DiscoverAllOptions } from "./discover_all.ts";
import type { DiscoveredExtension, DiscoveryResult } from "./types.ts";

/** Options of {@linkcode listExtensions}. */
export interface ListOptions extends DiscoverAllOptions {
  /** Output format; default `table`. */
  format?: OutputFormat;
  /** The terminal width a table fits (descriptions cut with `…`); unset: no limit. */
  width?: number | undefined;
}

/** The result of {@linkcode listExtensions}. */
export interface ExtensionList {
  /** One row per extension and source, sorted by type, name, then source order. */
  rows: DiscoveredExtension[];
  /** The rows formatted (`""` for a table without rows). */
  text: string;
  /** The discovery behind the rows (per-source reports, warnings). */
  discovery: DiscoveryResult;
}

/**
 * Discovers the extensions of the selected sources and formats them.
 *
 * @example
 * ```ts
 * import { listExtensions } from "./list_extensions.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const list = await listExtensions({ config, source: "examples", format: "table" });
 * assert.match(list.text, /^NAME +TYPE +VERSION +SOURCE +DESCRIPTION$/m);
 * assert.match(list.text, /^kubernetes +taskserv +1\.29\.1 +examples /m);
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param options Discovery options and the format.
 * @returns Rows, text and the discovery.
 * @throws {ProvisioningError} As {@linkcode discoverAllExtensions}.
 */
export async function listExtensions(options: ListOptions): Promise<ExtensionList> {
  const discovery = await discoverAllExtensions(options);
  const rows = discovery.extensions;
  return {
    rows,
    text: await formatExtensionList(rows, options.format ?? "table", options.width),
    discovery,
  };
}

/**
 * Formats rows of discovered extensions: a table `NAME TYPE VERSION SOURCE DESCRIPTION`
 * (cached versions marked in the version column), or the rows as JSON / YAML.
 *
 * @example
 * ```ts
 * import { formatExtensionList } from "./list_extensions.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await formatExtensionList([], "json"), "[]\n");
 * assert.equal(await formatExtensionList([], "table"), "");
 * ```
 *
 * @param rows The rows.
 * @param format `table`, `json` or `yaml`.
 * @param width The terminal width a table fits (the description is cut with `…`); unset: no limit.
 * @returns The text (with a trailing newline unless empty).
 */
export async function formatExtensionList(
  rows: readonly DiscoveredExtension[],
  format: OutputFormat,
  width?: number,
): Promise<string> {
  if (format !== "table") return await formatData(rows, format);
  return formatTable(rows, [
    { header: "NAME", value: (r) => r.name },
    { header: "TYPE", value: (r) => r.type },
    { header: "VERSION", value: versionCell },
    {
      header: "SOURCE",
      value: (r) => r.registry === undefined ? r.source : `${r.source} (${r.registry})`,
    },
    { header: "DESCRIPTION", value: (r) => r.description, truncate: true },
  ], { width });
}

/**
 * The version column: the highest version, marked `(cached)` when it is in the local cache,
 * or naming the cached versions when only others are.
 *
 * @example
 * ```ts
 * import { versionCell } from "./list_extensions.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(versionCell({ version: "2.0.0", cached: ["2.0.0"] }), "2.0.0 (cached)");
 * assert.equal(versionCell({ version: "2.0.0", cached: ["1.0.0"] }), "2.0.0 (cached: 1.0.0)");
 * assert.equal(versionCell({ version: "2.0.0", cached: [] }), "2.0.0");
 * assert.equal(
 *   versionCell({ version: "2.0.0", cached: ["2.0.0"], signed: ["2.0.0"] }),
 *   "2.0.0 (cached, signed)",
 * );
 * ```
 *
 * @param row A discovered extension.
 * @returns The cell text.
 */
export function versionCell(
  row: Pick<DiscoveredExtension, "version" | "cached" | "signed">,
): string {
  if (row.cached.length === 0) return row.version;
  if (row.signed?.includes(row.version)) return `${row.version} (cached, signed)`;
  if (row.cached.includes(row.version)) return `${row.version} (cached)`;
  return `${row.version} (cached: ${row.cached.join(", ")})`;
}
