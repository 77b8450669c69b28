/**
 * `ext cache list|stats|clear|prune`: look at and tidy the extension cache
 * (`[cache] dir`, `PROVISIONING_CACHE_DIR`, `--cache-dir`).
 *
 * @module
 */

// The modules themselves, not the cache barrel: listing must not load the archive and hashing code.
import { getCacheStats, listCached } from "../cache/list.ts";
import { pruneCache } from "../cache/prune.ts";
import { clearCache } from "../cache/remove.ts";
import type { CacheEntry, RemovalResult } from "../cache/types.ts";
import { ProvisioningError } from "../errors.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { formatSize } from "../publish/format_size.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import type { ConfirmPrompt } from "./confirm_prompt.ts";
import { type CliContext, paint } from "./io.ts";
import { formatData, formatTable, type OutputFormat } from "./output.ts";

/** Options of `ext cache list`. */
export interface CacheListOptions {
  type?: ExtensionType;
  name?: string;
  format: OutputFormat;
}

/** Options of `ext cache clear`. */
export interface CacheClearOptions {
  type?: ExtensionType;
  name?: string;
  all?: boolean;
  /** `--force`: clear everything without asking. */
  force?: boolean;
  format: OutputFormat;
}

/** Options of `ext cache prune`. */
export interface CachePruneOptions {
  days?: number;
  keep?: number;
  dryRun?: boolean;
  format: OutputFormat;
}

/** What `clear` and `prune` print as JSON/YAML. */
export interface RemovalReport {
  /** The entries removed (or, with `dryRun`, that would be). */
  removed: { key: string; type: ExtensionType; name: string; version: string; size: number }[];
  /** Bytes of unpacked content freed. */
  freedBytes: number;
  /** Blobs deleted because no remaining entry uses them. */
  blobsRemoved: number;
  /** Bytes of those blobs. */
  blobBytesFreed: number;
  /** Entries left alone because another process was using them. */
  skipped: string[];
  /** Leftovers of killed processes removed from `<cache>/tmp` (`clear --all`, `prune`). */
  leftoversRemoved: number;
  /** Bytes of those leftovers. */
  leftoverBytesFreed: number;
  /** Present (true) for `prune --dry-run`. */
  dryRun?: boolean;
}

async function cacheRoot(ctx: CliContext, globals: GlobalConfigOptions) {
  return (await loadCliConfig(ctx, globals)).settings.cache;
}

/**
 * `ext cache list`: every entry (type, name, version, source, size, last use), sorted by
 * type, name and version; JSON/YAML print the cache records with their paths. A broken
 * entry (its `extension.yaml` deleted) is listed with `broken` (JSON) or a STATUS column
 * and a warning (table).
 *
 * @example
 * ```ts ignore
 * await runCacheList(ctx, { cacheDir: "/tmp/c" }, { format: "json" });
 * ```
 *
 * @param ctx Output streams and environment.
 * @param globals Global flags.
 * @param options Filters and format.
 */
export async function runCacheList(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  options: CacheListOptions,
): Promise<void> {
  const { dir } = await cacheRoot(ctx, globals);
  const entries = await listCached(dir, {
    withBroken: true,
    ...(options.type === undefined ? {} : { type: options.type }),
    ...(options.name === undefined ? {} : { name: options.name }),
  });
  if (options.format !== "table") return ctx.out(await formatData(entries, options.format));
  if (entries.length === 0) return ctx.err(`The cache "${dir}" holds no extensions\n`);
  const broken = entries.filter((e) => e.broken !== undefined);
  ctx.out(formatTable<CacheEntry>(entries, [
    { header: "TYPE", value: (e) => e.type },
    { header: "NAME", value: (e) => e.name },
    { header: "VERSION", value: (e) => e.version },
    { header: "SOURCE", value: (e) => e.source },
    { header: "SIZE", value: (e) => formatSize(e.size) },
    { header: "LAST USED", value: (e) => shortTime(e.lastUsedAt) },
    // Shown once some entry's signature was verified when pulled (`[signatures] require`).
    ...(entries.every((e) => e.signer === undefined) ? [] : [{
      header: "SIGNED",
      value: (e: CacheEntry) => (e.signer === undefined ? "-" : "verified"),
    }]),
    ...(broken.length === 0 ? [] : [{
      header: "STATUS",
      value: (e: CacheEntry) => (e.broken === undefined ? "ok" : "broken"),
    }]),
  ]));
  const warning = paint(ctx, "yellow", "warning:");
  for (const entry of broken) {
    ctx.err(
      `${warning} ${entry.key} is broken (${entry.broken}): \`ext load\` fetches it again, ` +
        `\`ext cache clear --type ${entry.type} --name ${entry.name}\` removes it\n`,
    );
  }
}

/**
 * `ext cache stats`: entries and bytes (in total and per type), stored blobs, the cache's own
 * temporary files in `tmp/` (leftovers), oldest and newest use.
 *
 * @example
 * ```ts ignore
 * await runCacheStats(ctx, {}, { format: "table" });
 * ```
 *
 * @param ctx Output streams and environment.
 * @param globals Global flags.
 * @param options Format.
 */
export async function runCacheStats(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  options: { format: OutputFormat },
): Promise<void> {
  const { dir } = await cacheRoot(ctx, globals);
  const stats = await getCacheStats(dir);
  if (options.format !== "table") return ctx.out(await formatData(stats, options.format));
  const rows: [string, string][] = [
    ["Cache", stats.root],
    ["Entries", `${stats.entries} (${formatSize(stats.bytes)})`],
    ...Object.entries(stats.byType).map(([type, t]): [string, string] => [
      `  ${type}`,
      `${t.entries} (${formatSize(t.bytes)})`,
    ]),
    ["Blobs", `${stats.blobs.count} (${formatSize(stats.blobs.bytes)})`],
    ["Leftovers", `${stats.leftovers.count} (${formatSize(stats.leftovers.bytes)}) in tmp/`],
    ["Oldest use", stats.oldestUse === undefined ? "-" : shortTime(stats.oldestUse)],
    ["Newest use", stats.newestUse === undefined ? "-" : shortTime(stats.newestUse)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  ctx.out(rows.map(([label, value]) => `${(label + ":").padEnd(width)}${value}\n`).join(""));
}

/**
 * `ext cache clear --type T --name N | --all`: removes the selected entries (waiting for
 * saves in progress) and the blobs nothing uses any more.
 *
 * @example
 * ```ts ignore
 * await runCacheClear(ctx, {}, { all: true, format: "json" });
 * ```
 *
 * `--all` (no filter) asks first on a terminal, as `ext delete` does: `--force` skips the
 * question, "no" removes nothing and is exit 0 (`Nothing removed: …`), and without a
 * terminal `--force` is required (exit 2, nothing touched).
 *
 * @param ctx Output streams and environment.
 * @param globals Global flags.
 * @param options Selection, `--force` and format.
 * @param prompt How to ask (default: stdin/stderr of the process).
 * @throws {ProvisioningError} `USAGE` without `--type`, `--name` or `--all`, and for `--all`
 *   without `--force` when stdin is not a terminal.
 */
export async function runCacheClear(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  options: CacheClearOptions,
  prompt?: ConfirmPrompt,
): Promise<void> {
  if (!options.all && options.type === undefined && options.name === undefined) {
    throw new ProvisioningError("USAGE", "Cannot clear the cache without a selection", {
      hint: "Pass --type TYPE and/or --name NAME, or --all",
    });
  }
  const { dir } = await cacheRoot(ctx, globals);
  const everything = options.all === true && options.type === undefined &&
    options.name === undefined;
  if (everything && options.force !== true) {
    const { isYes, terminalPrompt } = await import("./confirm_prompt.ts");
    const asking = prompt ?? terminalPrompt(ctx);
    if (!asking.interactive) {
      throw new ProvisioningError(
        "USAGE",
        `Refusing to clear the whole cache "${dir}" without confirmation: stdin is not a terminal`,
        { hint: "Pass --force to clear it without asking" },
      );
    }
    const stats = await getCacheStats(dir);
    const answer = await asking.ask(
      `Remove all ${stats.entries} cached extensions (${
        formatSize(stats.bytes)
      }) from ${dir}? [y/N] `,
    );
    if (!isYes(answer)) {
      const text = `Nothing removed: the cache "${dir}" is kept\n`;
      return options.format === "table" ? ctx.out(text) : ctx.err(text);
    }
  }
  const result = await clearCache(dir, {
    ...(options.all ? { all: true } : {}),
    ...(options.type === undefined ? {} : { type: options.type }),
    ...(options.name === undefined ? {} : { name: options.name }),
  });
  await printRemoval(ctx, result, options.format, false);
}

/**
 * `ext cache prune --days N --keep N [--dry-run]`: removes entries unused for N days and
 * those beyond the N highest versions of each extension. Without flags, the configured
 * `[cache] max_age_days` / `max_size` apply.
 *
 * @example
 * ```ts ignore
 * await runCachePrune(ctx, {}, { days: 30, format: "table" });
 * ```
 *
 * @param ctx Output streams and environment.
 * @param globals Global flags.
 * @param options Criteria, dry run and format.
 * @throws {ProvisioningError} `USAGE` when no criterion is given or configured.
 */
export async function runCachePrune(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  options: CachePruneOptions,
): Promise<void> {
  const settings = await cacheRoot(ctx, globals);
  const flagged = options.days !== undefined || options.keep !== undefined;
  const days = flagged ? options.days : settings.max_age_days;
  const maxSize = flagged ? undefined : settings.max_size;
  if (days === undefined && options.keep === undefined && maxSize === undefined) {
    throw new ProvisioningError("USAGE", "Cannot prune the cache without a criterion", {
      hint: "Pass --days N and/or --keep N, or set [cache] max_age_days or max_size",
    });
  }
  const result = await pruneCache(settings.dir, {
    ...(days === undefined ? {} : { days }),
    ...(options.keep === undefined ? {} : { keep: options.keep }),
    ...(maxSize === undefined ? {} : { maxSize }),
    ...(options.dryRun ? { dryRun: true } : {}),
  });
  await printRemoval(ctx, result, options.format, options.dryRun === true);
}

async function printRemoval(
  ctx: CliContext,
  result: RemovalResult,
  format: OutputFormat,
  dryRun: boolean,
): Promise<void> {
  const report: RemovalReport = {
    removed: result.removed.map(({ key, type, name, version, size }) => ({
      key,
      type,
      name,
      version,
      size,
    })),
    freedBytes: result.freedBytes,
    blobsRemoved: result.blobsRemoved,
    blobBytesFreed: result.blobBytesFreed,
    skipped: result.skipped,
    leftoversRemoved: result.leftoversRemoved,
    leftoverBytesFreed: result.leftoverBytesFreed,
    ...(dryRun ? { dryRun: true } : {}),
  };
  if (format !== "table") return ctx.out(await formatData(report, format));
  const verb = dryRun ? "Would remove" : "Removed";
  for (const entry of report.removed) ctx.out(`${verb} ${entry.key}\n`);
  for (const key of report.skipped) ctx.err(`Skipped ${key}: in use by another process\n`);
  const count = report.removed.length;
  const blobs = dryRun
    ? ""
    : `, ${report.blobsRemoved} blob${report.blobsRemoved === 1 ? "" : "s"} (${
      formatSize(report.blobBytesFreed)
    })`;
  const leftovers = report.leftoversRemoved === 0
    ? ""
    : `, ${report.leftoversRemoved} leftover${report.leftoversRemoved === 1 ? "" : "s"} (${
      formatSize(report.leftoverBytesFreed)
    })`;
  ctx.out(
    `${verb} ${count} entr${count === 1 ? "y" : "ies"} (${
      formatSize(report.freedBytes)
    })${blobs}${leftovers}\n`,
  );
}

/** `2024-05-01T10:20:30.000Z` → `2024-05-01 10:20` (UTC). */
function shortTime(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}
