/**
 * Discovery across sources: every selected source concurrently, each under its own time
 * limit, remote listings served from the discovery cache while fresh. One slow or failing
 * source gives a warning and the others' results; only when no source answered is the first
 * failure thrown.
 *
 * @module
 */

import type { ConcreteSourceType } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { markCached, readCachedByName } from "./cached_versions.ts";
import type { OciListingOptions } from "../sources/oci_source.ts";
import { type OpenSource, openSources, type OpenSourcesOptions } from "./_open_sources.ts";
import { failureWarning, withDeadline } from "./_with_deadline.ts";
import { discoveryCachePath, readDiscoveryCache, writeDiscoveryCache } from "./discovery_cache.ts";
import type { DiscoveredExtension, DiscoveryResult, SourceListing, SourceReport } from "./types.ts";

/** Default time one source may take, in ms. */
export const DEFAULT_SOURCE_TIMEOUT_MS = 60_000;

/** Options of {@linkcode discoverAllExtensions}. */
export interface DiscoverAllOptions extends OpenSourcesOptions {
  /** Keep only this type. */
  type?: ExtensionType;
  /** Bypass the discovery cache (the fresh listing still replaces it). */
  refresh?: boolean;
  /** Time one source may take, in ms; default 60,000. */
  sourceTimeoutMs?: number;
  /** Clock in ms since the epoch (cache freshness). */
  now?: () => number;
  /**
   * Receives each warning as it happens (also collected in the result); `kind` is `source`
   * when a whole source failed (also in its report), `item` for one skipped extension or
   * repository.
   */
  onWarning?: (message: string, kind: "source" | "item") => void;
}

/**
 * The options that open a run's sources.
 *
 * @deprecated The name from before discovery opened its sources with `createSource`; use
 *   {@linkcode DiscoverAllOptions}.
 */
export type CreateDiscoverersOptions = Omit<
  OpenSourcesOptions,
  "config" | "source" | "discoverers"
>;

/**
 * How the `oci` source lists a registry.
 *
 * @deprecated The name from before discovery used `createSource`; use `OciListingOptions`.
 */
export type OciDiscovererOptions = OciListingOptions;

/**
 * Discovers the extensions of every selected source.
 *
 * @example
 * ```ts
 * import { discoverAllExtensions } from "./discover_all.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const result = await discoverAllExtensions({ config, source: "examples", type: "provider" });
 * assert.deepEqual(result.extensions.map((e) => e.name), ["aws"]);
 * assert.equal(result.sources[0]?.status, "fresh");
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param options Configuration, source, type, refresh, time limit, warnings.
 * @returns The extensions (sorted by type, name, source order), one report per source, and
 *   the warnings.
 * @throws {ProvisioningError} `UNSUPPORTED` for a source that cannot be discovered; the
 *   first source's error when every source tried failed.
 */
export async function discoverAllExtensions(
  options: DiscoverAllOptions,
): Promise<DiscoveryResult> {
  const { order, set } = openSources(options);
  const warnings: string[] = [];
  const warn = (message: string, kind: "source" | "item" = "item") => {
    warnings.push(message);
    options.onWarning?.(message, kind);
  };
  try {
    const outcomes = await Promise.all(
      set.sources.map((open) => runSource(open, options, warn)),
    );
    const reports: SourceReport[] = [
      ...outcomes.map((o) => o.report),
      ...set.skipped.map((s): SourceReport => ({
        source: s.source,
        label: s.label,
        status: "skipped",
        count: 0,
        elapsedMs: 0,
        error: s.reason,
      })),
    ];
    const failed = outcomes.find((o) => o.report.status === "failed");
    const throwing = failed !== undefined &&
      outcomes.every((o) => ["failed", "skipped"].includes(o.report.status));
    // The failure that becomes the error is told once, as the error, not also as a warning.
    for (const o of outcomes) {
      if (o.failureWarning !== undefined && !(throwing && o === failed)) {
        warn(o.failureWarning, "source");
      }
    }
    if (throwing) throw failed.thrown;
    const rank = (s: ConcreteSourceType) => {
      const i = order.indexOf(s);
      return i === -1 ? order.length : i;
    };
    reports.sort((a, b) => rank(a.source) - rank(b.source));
    const cached = await readCachedByName(options.config.settings.cache.dir);
    const extensions = markCached(
      examplesOnlyWhenAlone(outcomes.flatMap((o) => o.extensions)).filter((e) =>
        options.type === undefined || e.type === options.type
      ),
      cached,
    ).sort((a, b) => compareEntries(a, b, rank));
    return { extensions, sources: reports, warnings };
  } finally {
    set.close();
  }
}

/**
 * Keeps the bundled examples only when no other source listed anything (a fresh set-up): a
 * demo is a last resort, never shown beside real extensions. `--source examples` lists them
 * whatever else exists.
 *
 * @example
 * ```ts
 * import { examplesOnlyWhenAlone } from "./discover_all.ts";
 * import assert from "node:assert/strict";
 *
 * const real = { name: "redis", source: "oci" } as never;
 * const demo = { name: "aws", source: "examples" } as never;
 * assert.deepEqual(examplesOnlyWhenAlone([real, demo]), [real]);
 * assert.deepEqual(examplesOnlyWhenAlone([demo]), [demo]);
 * ```
 *
 * @param entries Every source's entries (or anything carrying one).
 * @param sourceOf Where an item's source is (default: its `source`).
 * @returns The entries, without the examples when another source has any.
 */
export function examplesOnlyWhenAlone<T>(
  entries: readonly T[],
  sourceOf: (item: T) => ConcreteSourceType = (item) =>
    (item as { source: ConcreteSourceType }).source,
): T[] {
  const others = entries.filter((e) => sourceOf(e) !== "examples");
  return others.length > 0 ? others : [...entries];
}

/**
 * Orders entries by type, name, then source rank.
 *
 * @example
 * ```ts
 * import { compareEntries } from "./discover_all.ts";
 * import assert from "node:assert/strict";
 *
 * const a = { type: "provider", name: "aws", source: "oci" } as const;
 * const b = { type: "provider", name: "aws", source: "local" } as const;
 * const rank = (s: string) => ["local", "oci"].indexOf(s);
 * assert.ok(compareEntries(a as never, b as never, rank) > 0);
 * ```
 *
 * @param a One entry.
 * @param b Another.
 * @param rank Position of a source in the run's order.
 * @returns Negative, zero or positive.
 */
export function compareEntries(
  a: DiscoveredExtension,
  b: DiscoveredExtension,
  rank: (source: ConcreteSourceType) => number,
): number {
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return rank(a.source) - rank(b.source);
}

interface SourceOutcome {
  report: SourceReport;
  extensions: DiscoveredExtension[];
  /** What the source threw, as thrown (for rethrowing when every source failed). */
  thrown?: unknown;
  /**
   * The warning for a failed source, told by the caller once it knows the failure is not
   * the error it throws (one failure, one message).
   */
  failureWarning?: string;
}

async function runSource(
  { source: reader, optional }: OpenSource,
  options: DiscoverAllOptions,
  warn: (message: string, kind?: "source" | "item") => void,
): Promise<SourceOutcome> {
  const started = performance.now();
  const now = options.now ?? Date.now;
  const elapsed = () => Math.round(performance.now() - started);
  const { kind: source, label, cacheKey } = reader;
  const ttlMs = options.config.settings.extensions.discovery_ttl * 1000;
  const cachePath = cacheKey !== undefined && ttlMs > 0
    ? discoveryCachePath(options.config.settings.cache.dir, source, cacheKey)
    : undefined;
  const cachedFile = cachePath === undefined || options.refresh
    ? undefined
    : await readDiscoveryCache(cachePath, cacheKey!);
  const age = cachedFile === undefined ? undefined : now() - Date.parse(cachedFile.createdAt);
  if (cachedFile !== undefined && age !== undefined && age >= 0 && age < ttlMs) {
    return {
      report: {
        source,
        label,
        status: "cached",
        count: cachedFile.extensions.length,
        elapsedMs: elapsed(),
        ageMs: age,
      },
      extensions: cachedFile.extensions,
    };
  }

  const timeoutMs = options.sourceTimeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS;
  try {
    const listing: SourceListing = await withDeadline(
      reader,
      timeoutMs,
      warn,
      (context) => reader.discover(context),
    );
    if (cachePath !== undefined && listing.complete) {
      await writeDiscoveryCache(cachePath, {
        format: 1,
        source,
        label,
        key: cacheKey!,
        createdAt: new Date(now()).toISOString(),
        extensions: listing.extensions.map((e) => ({ ...e, cached: [] })),
      }).catch(() => {});
    }
    return {
      report: {
        source,
        label,
        status: "fresh",
        count: listing.extensions.length,
        elapsedMs: elapsed(),
      },
      extensions: listing.extensions,
    };
  } catch (thrown) {
    const error = thrown instanceof ProvisioningError ? thrown : new ProvisioningError(
      "INTERNAL",
      thrown instanceof Error ? thrown.message : String(thrown),
      {
        cause: thrown,
      },
    );
    if (optional && error.code === "UNREACHABLE") {
      return {
        report: { source, label, status: "skipped", count: 0, elapsedMs: elapsed(), error },
        extensions: [],
      };
    }
    if (cachedFile !== undefined && age !== undefined) {
      warn(
        `${failureWarning(reader, thrown)}; using its listing from ${formatAge(age)} ago`,
        "source",
      );
      return {
        report: {
          source,
          label,
          status: "stale",
          count: cachedFile.extensions.length,
          elapsedMs: elapsed(),
          ageMs: age,
          error,
        },
        extensions: cachedFile.extensions,
        thrown,
      };
    }
    return {
      report: { source, label, status: "failed", count: 0, elapsedMs: elapsed(), error },
      extensions: [],
      thrown,
      failureWarning: failureWarning(reader, thrown),
    };
  }
}

/**
 * A short human age: `42 s`, `5 min`, `3 h`, `2 d`.
 *
 * @example
 * ```ts
 * import { formatAge } from "./discover_all.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatAge(42_000), "42 s");
 * assert.equal(formatAge(3 * 3600_000), "3 h");
 * ```
 *
 * @param ms Milliseconds.
 * @returns The age.
 */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}
