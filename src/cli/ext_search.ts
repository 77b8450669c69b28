/**
 * `ext search QUERY` and `ext discover`.
 *
 * @module
 */

import type { ConcreteSourceType } from "../config/types.ts";
import type { SourceReport } from "../discovery/types.ts";
import type { GlobalConfigOptions } from "./config.ts";
import { discoveryOptions, noteCachedListings, type ReadOptions } from "./ext_read.ts";
import type { CliContext } from "./io.ts";
import { paint } from "./io.ts";

/** `ext search QUERY`: extensions ranked by how well name, type and description match. */
export async function runSearch(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  query: string,
  options: ReadOptions,
): Promise<void> {
  const { searchExtensions } = await import("../discovery/search_extensions.ts");
  const { formatExtensionList } = await import("../discovery/list_extensions.ts");
  const { hits, discovery } = await searchExtensions(
    query,
    await discoveryOptions(ctx, globals, options),
  );
  await noteCachedListings(ctx, discovery);
  if (options.format === "table" && hits.length === 0) {
    return ctx.err(`No extensions match "${query}"\n`);
  }
  ctx.out(await formatExtensionList(hits, options.format, ctx.stdoutColumns));
}

/**
 * `ext discover`: every extension of every selected source, grouped by source, with a
 * summary line per source on stderr (fresh, cached, stale, failed or skipped).
 */
export async function runDiscover(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  options: ReadOptions,
): Promise<void> {
  const { discoverAllExtensions } = await import("../discovery/discover_all.ts");
  const { formatExtensionList } = await import("../discovery/list_extensions.ts");
  const result = await discoverAllExtensions(
    await discoveryOptions(ctx, globals, { ...options, quietSourceFailures: true }),
  );
  const order: ConcreteSourceType[] = result.sources.map((s) => s.source);
  const rows = [...result.extensions].sort((a, b) =>
    order.indexOf(a.source) - order.indexOf(b.source)
  );
  for (const report of result.sources) ctx.err(summaryLine(ctx, report));
  if (options.format === "table" && rows.length === 0) return ctx.err("No extensions found\n");
  ctx.out(await formatExtensionList(rows, options.format, ctx.stdoutColumns));
}

function summaryLine(ctx: CliContext, report: SourceReport): string {
  const head = `${paint(ctx, "bold", report.source)} ${report.label}:`;
  const count = `${report.count} extension${report.count === 1 ? "" : "s"}`;
  const seconds = `${(report.elapsedMs / 1000).toFixed(1)} s`;
  const age = report.ageMs === undefined ? "" : `${Math.round(report.ageMs / 1000)} s old`;
  switch (report.status) {
    case "fresh":
      return `${head} ${count} (${seconds})\n`;
    case "cached":
      return `${head} ${count} from the discovery cache (${age}; --refresh to re-read)\n`;
    case "stale":
      return `${head} ${count} from an old discovery cache (${age}): ${report.error?.message}\n`;
    case "failed":
      return `${head} failed: ${report.error?.message}\n`;
    case "skipped":
      return `${head} skipped: ${report.error?.message}\n`;
  }
}
