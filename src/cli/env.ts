/**
 * `provisioning env`: the effective settings and where each comes from.
 *
 * @module
 */

import { envReport } from "../config/mod.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import type { CliContext } from "./io.ts";
import { formatData, formatTable, type OutputFormat } from "./output.ts";

/** Prints the settings as a table (KEY, VALUE, ORIGIN) or as JSON/YAML. */
export async function runEnv(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  format: OutputFormat,
): Promise<void> {
  const report = envReport(await loadCliConfig(ctx, globals));
  if (format !== "table") return ctx.out(await formatData(report, format));
  ctx.out(`Workspace: ${report.workspace ?? "(none)"}\n`);
  ctx.out(formatTable(report.settings, [
    { header: "KEY", value: (e) => e.key },
    { header: "VALUE", value: (e) => Array.isArray(e.value) ? e.value.join(":") || "-" : e.value },
    { header: "ORIGIN", value: (e) => e.origin },
  ]));
}
