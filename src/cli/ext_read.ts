/**
 * `ext list`, `ext info` and `ext versions` across sources (`--source auto` reads every
 * source concurrently; one failing source is a warning).
 *
 * @module
 */

import { isInPlaceSource, type SourceType } from "../config/types.ts";
import type { DiscoverAllOptions } from "../discovery/discover_all.ts";
import type { DiscoveryResult, ExtensionInfo } from "../discovery/types.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import type { CliContext } from "./io.ts";
import { paint, printable } from "./io.ts";
import { formatData, formatTable, type OutputFormat } from "./output.ts";

/** Options shared by the read commands. */
export interface ReadOptions {
  source?: SourceType;
  type?: ExtensionType;
  format: OutputFormat;
  /** Bypass the discovery cache. */
  refresh?: boolean;
}

/**
 * The discovery options of a CLI run: configuration, home, source, type, refresh, and
 * warnings printed to stderr as they happen.
 *
 * @param ctx The process surroundings.
 * @param globals Global flags.
 * @param options The command's flags.
 * @returns Options for the discovery functions.
 */
export async function discoveryOptions(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  options: Omit<ReadOptions, "format"> & {
    /** Leave whole-source failures to the caller (`ext discover` prints a summary). */
    quietSourceFailures?: boolean;
  },
): Promise<DiscoverAllOptions> {
  const config = await loadCliConfig(ctx, globals);
  return {
    config,
    home: ctx.home,
    ...(options.source === undefined ? {} : { source: options.source }),
    ...(options.type === undefined ? {} : { type: options.type }),
    ...(options.refresh === undefined ? {} : { refresh: options.refresh }),
    onWarning: (message, kind) => {
      if (kind === "item" || !options.quietSourceFailures) {
        ctx.err(`${paint(ctx, "yellow", "warning:")} ${printable(message)}\n`);
      }
    },
    // The registry client's warnings (a token file others can read); its notes need --debug.
    registry: {
      onNote: (line, level) => {
        if (level === "warning") {
          ctx.err(`${paint(ctx, "yellow", "warning:")} ${printable(line)}\n`);
        }
      },
    },
  };
}

/** `ext list`: one row per extension and source (highest version), sorted by type then name. */
export async function runList(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  options: ReadOptions,
): Promise<void> {
  const { listExtensions } = await import("../discovery/list_extensions.ts");
  const list = await listExtensions({
    ...await discoveryOptions(ctx, globals, options),
    format: options.format,
    width: ctx.stdoutColumns,
  });
  await noteCachedListings(ctx, list.discovery);
  if (options.format === "table" && list.rows.length === 0) {
    return ctx.err("No extensions found\n");
  }
  ctx.out(list.text);
}

/**
 * One `note:` line on stderr per source whose listing came from the discovery cache, with
 * its age, so an answer that may be old never passes for a fresh one.
 *
 * @param ctx The process surroundings.
 * @param discovery What the discovery returned.
 */
export async function noteCachedListings(
  ctx: CliContext,
  discovery: Pick<DiscoveryResult, "sources">,
): Promise<void> {
  const cached = discovery.sources.filter((s) => s.status === "cached");
  if (cached.length === 0) return;
  const { formatAge } = await import("../discovery/discover_all.ts");
  for (const report of cached) {
    ctx.err(
      `note: ${report.source} ${report.label}: listing from the discovery cache, ${
        formatAge(report.ageMs ?? 0)
      } old (--refresh to re-read)\n`,
    );
  }
}

/** `ext info NAME`: manifest metadata, versions per source, where it would load from. */
export async function runInfo(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  options: ReadOptions & { version?: string },
): Promise<void> {
  const { getExtensionInfo } = await import("../discovery/get_extension_info.ts");
  const info = await getExtensionInfo(name, {
    ...await discoveryOptions(ctx, globals, options),
    ...(options.version === undefined ? {} : { version: options.version }),
  });
  if (options.format !== "table") return ctx.out(await formatData(info, options.format));
  ctx.out(infoText(ctx, info));
}

/** `ext versions NAME`: every version, highest first (per source when several have it). */
export async function runVersions(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  options: ReadOptions,
): Promise<void> {
  const { getExtensionVersions } = await import("../discovery/get_extension_versions.ts");
  const result = await getExtensionVersions(name, await discoveryOptions(ctx, globals, options));
  if (options.format !== "table") return ctx.out(await formatData(result, options.format));
  // One shape whatever is cached or how many sources answered, so scripts can rely on it.
  const sources = Object.keys(result.bySource);
  const rows = result.versions.map((version) => ({
    version,
    sources: sources.filter((s) =>
      result.bySource[s as keyof typeof result.bySource]?.includes(version)
    )
      .join(", "),
    cached: result.cached.includes(version) ? "yes" : "",
  }));
  ctx.out(formatTable(rows, [
    { header: "VERSION", value: (r) => r.version },
    { header: "SOURCES", value: (r) => r.sources },
    { header: "CACHED", value: (r) => r.cached },
  ]));
}

function infoText(ctx: CliContext, info: ExtensionInfo): string {
  const lines: [string, string][] = [
    ["Name", info.name],
    ["Type", info.type],
    ["Version", info.version],
    ["Description", info.description],
    ["Author", info.author ?? "-"],
    ["License", info.license ?? "-"],
    ["Homepage", info.homepage ?? "-"],
    ["Repository", info.repository ?? "-"],
    [
      "Dependencies",
      Object.entries(info.dependencies).map(([n, s]) => `${n} ${s}`).join(", ") || "-",
    ],
    ["Requires", info.requires === null ? "-" : JSON.stringify(info.requires)],
    ...hookLines(info),
    ["Source", info.source],
  ];
  if (info.reference !== null) lines.push(["Reference", info.reference]);
  if (info.digest !== null) lines.push(["Digest", info.digest]);
  if (info.size !== null) lines.push(["Size", formatBytes(info.size)]);
  if (info.metadataFrom === "annotations") {
    lines.push(["Metadata", "from manifest annotations (artifact without extension config)"]);
  }
  if (!isInPlaceSource(info.source)) lines.push(["Cached", info.cached ? "yes" : "no"]);
  if (info.cached) {
    lines.push(["Signed", info.signer === null ? "no" : `verified, signer ${info.signer}`]);
  }
  lines.push(["Path", info.path ?? "-"]);
  for (const [source, versions] of Object.entries(info.versions)) {
    const marked = versions.map((v) => info.cachedVersions.includes(v) ? `${v} (cached)` : v);
    lines.push([`Versions (${source})`, marked.join(", ")]);
  }
  const width = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${paint(ctx, "bold", k.padEnd(width))}  ${printable(v)}`)
    .join("\n") + "\n";
}

/** `Hooks` and `Permissions` rows, when the extension declares hooks. */
function hookLines(info: ExtensionInfo): [string, string][] {
  const names = Object.entries(info.hooks);
  if (names.length === 0 || info.permissions === null) return [];
  const { net, read, env, timeout, memory } = info.permissions;
  const list = (values: string[]) => values.length === 0 ? "-" : values.join(", ");
  return [
    ["Hooks", names.map(([name, path]) => `${name} (${path})`).join(", ")],
    [
      "Permissions",
      `net: ${list(net)}; read: ${list(read)}; env: ${
        list(env)
      }; timeout ${timeout} s; memory ${memory} MiB`,
    ],
  ];
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]} (${bytes} bytes)`;
}
