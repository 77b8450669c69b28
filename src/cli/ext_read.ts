/**
 * `ext list`, `ext info` and `ext versions` for the sources the CLI supports.
 *
 * @module
 */

import type { ExtensionType } from "../manifest/types.ts";
import { localRoots, type LocalScan, scanLocalExtensions } from "../sources/local.ts";
import { resolveLocalExtension } from "../sources/resolve_local.ts";
import { sortBySemver } from "../versions/mod.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import type { CliContext } from "./io.ts";
import { paint } from "./io.ts";
import { formatData, formatTable, type OutputFormat } from "./output.ts";

/** Options shared by the read commands. */
export interface ReadOptions {
  source?: string;
  type?: ExtensionType;
  format: OutputFormat;
}

/** One row of `ext list --format json`. */
export interface ListedExtension {
  name: string;
  type: ExtensionType;
  /** Highest version found. */
  version: string;
  /** Every version found, highest first. */
  versions: string[];
  source: "local";
  description: string;
  path: string;
}

/** `ext list`: one row per extension (highest version), sorted by type then name. */
export async function runList(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  options: ReadOptions,
): Promise<void> {
  const scan = await scanLocal(ctx, globals);
  const byKey = new Map<string, ListedExtension>();
  for (const ext of scan.extensions) {
    if (options.type !== undefined && ext.type !== options.type) continue;
    const key = `${ext.type}/${ext.name}`;
    const row = byKey.get(key);
    if (row === undefined) {
      byKey.set(key, {
        name: ext.name,
        type: ext.type,
        version: ext.version,
        versions: [ext.version],
        source: "local",
        description: ext.manifest.extension.description ?? "",
        path: ext.path,
      });
    } else if (!row.versions.includes(ext.version)) {
      row.versions.push(ext.version);
      row.versions = sortBySemver(row.versions).reverse();
      if (row.versions[0] === ext.version) {
        row.version = ext.version;
        row.path = ext.path;
        row.description = ext.manifest.extension.description ?? "";
      }
    }
  }
  const rows = [...byKey.values()].sort((a, b) =>
    a.type.localeCompare(b.type) || a.name.localeCompare(b.name)
  );
  if (options.format !== "table") return ctx.out(await formatData(rows, options.format));
  if (rows.length === 0) return ctx.err("No extensions found\n");
  ctx.out(formatTable(rows, [
    { header: "NAME", value: (r) => r.name },
    { header: "TYPE", value: (r) => r.type },
    { header: "VERSION", value: (r) => r.version },
    { header: "SOURCE", value: (r) => r.source },
    { header: "DESCRIPTION", value: (r) => r.description },
  ]));
}

/** `ext info NAME`: manifest metadata, versions and location of one extension. */
export async function runInfo(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  options: ReadOptions & { version?: string },
): Promise<void> {
  const scan = await scanLocal(ctx, globals);
  const ext = resolveLocalExtension(scan, name, options.version ?? "latest", options.type);
  const versions = sortBySemver(
    scan.extensions.filter((e) => e.name === ext.name && e.type === ext.type).map((e) => e.version),
  ).reverse();
  const { extension, metadata } = ext.manifest;
  const info = {
    name: ext.name,
    type: ext.type,
    version: ext.version,
    description: extension.description ?? "",
    author: extension.author ?? null,
    requires: ext.manifest.requires ?? null,
    dependencies: ext.manifest.dependencies ?? {},
    homepage: metadata?.homepage ?? null,
    repository: metadata?.repository ?? null,
    license: metadata?.license ?? null,
    source: "local",
    path: ext.path,
    versions: { local: [...new Set(versions)] },
  };
  if (options.format !== "table") return ctx.out(await formatData(info, options.format));
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
    ["Source", info.source],
    ["Path", info.path],
    ["Versions", info.versions.local.join(", ")],
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  ctx.out(lines.map(([k, v]) => `${paint(ctx, "bold", k.padEnd(width))}  ${v}`).join("\n") + "\n");
}

/** `ext versions NAME`: every version, highest first. */
export async function runVersions(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  options: ReadOptions,
): Promise<void> {
  const scan = await scanLocal(ctx, globals);
  const ext = resolveLocalExtension(scan, name, "*", options.type);
  const versions = [
    ...new Set(
      sortBySemver(
        scan.extensions.filter((e) => e.name === ext.name && e.type === ext.type)
          .map((e) => e.version),
      ).reverse(),
    ),
  ];
  const result = { name: ext.name, type: ext.type, source: "local", versions };
  if (options.format !== "table") return ctx.out(await formatData(result, options.format));
  ctx.out(versions.join("\n") + "\n");
}

async function scanLocal(ctx: CliContext, globals: GlobalConfigOptions): Promise<LocalScan> {
  const config = await loadCliConfig(ctx, globals);
  const scan = await scanLocalExtensions(await localRoots(config));
  for (const bad of scan.invalid) {
    ctx.err(`${paint(ctx, "yellow", "warning:")} skipping "${bad.path}": ${bad.error.message}\n`);
  }
  return scan;
}
