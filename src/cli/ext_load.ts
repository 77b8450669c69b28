/**
 * `ext load NAME`: resolve an extension (through the cache) and print where it is.
 *
 * @module
 */

import type { ResolvedConfig, SourceType } from "../config/types.ts";
import { loadExtension, type LoadExtensionOptions, pullExtension } from "../loader/load.ts";
import type { LoadResult } from "../loader/types.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { isDigest } from "../oci/reference.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import { type CliContext, paint, printable } from "./io.ts";
import { formatData, type OutputFormat } from "./output.ts";
import { downloadProgress } from "./progress.ts";

/** Options of `ext load` and `ext pull`. */
export interface LoadCommandOptions {
  version?: string;
  source?: SourceType;
  type?: ExtensionType;
  force?: boolean;
  offline?: boolean;
  format: OutputFormat;
  /** `--debug`: print the loader's notes (sources skipped and why). */
  debug?: boolean;
}

/**
 * Loads one extension; on success prints `{success, name, type, version, source, path}`
 * (plus `digest` for OCI) as JSON/YAML, or one line; on failure throws the typed error for
 * the caller to report. Warnings and progress go to stderr.
 *
 * @example
 * ```ts ignore
 * await runLoad(ctx, {}, "kubernetes", { version: "^1.28.0", format: "json" });
 * ```
 *
 * @param ctx Output streams and environment.
 * @param globals Global flags (`--registry`, `--namespace`, `--cache-dir`).
 * @param name Extension name, or a git URL (loaded with the `git` source unless `--source`
 *   names another).
 * @param options The command's flags.
 * @throws {ProvisioningError} Whatever the loader reports.
 */
export async function runLoad(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  options: LoadCommandOptions,
): Promise<void> {
  await runLoadCommand("load", ctx, globals, name, options);
}

/**
 * Runs `ext load` or `ext pull` (they differ only in the sources used and the table line).
 *
 * @example
 * ```ts ignore
 * await runLoadCommand("pull", ctx, {}, "aws", { version: "2.4.1", format: "json" });
 * ```
 *
 * @param mode `load` or `pull`.
 * @param ctx Output streams and environment.
 * @param globals Global flags.
 * @param name Extension name.
 * @param options The command's flags.
 * @throws {ProvisioningError} Whatever the loader reports.
 */
export async function runLoadCommand(
  mode: "load" | "pull",
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  options: LoadCommandOptions,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const result = await loadForCommand(mode, ctx, config, name, options);
  if (result.manifest?.hooks !== undefined) await noteHooks(ctx, config, result);
  await printLoadResult(ctx, result, options.format, mode === "load" ? "Loaded" : "Pulled");
}

/**
 * Loads (or pulls) one extension as the load commands do — progress and warnings on stderr,
 * `--source`, `--type`, `--force`, `--offline`, the did-you-mean suggestion for a name no
 * source has — and returns the successful result (`ext run` and `ext approve` load this way).
 *
 * @example
 * ```ts ignore
 * const loaded = await loadForCommand("load", ctx, config, "aws", { version: "^2.0.0" });
 * ```
 *
 * @param mode `load` or `pull`.
 * @param ctx Output streams and environment.
 * @param config The effective configuration.
 * @param name Extension name or reference.
 * @param options The command's flags.
 * @returns The result (always `success: true`).
 * @throws {ProvisioningError} Whatever the loader reports.
 */
export async function loadForCommand(
  mode: "load" | "pull",
  ctx: CliContext,
  config: ResolvedConfig,
  name: string,
  options: Omit<LoadCommandOptions, "format">,
): Promise<LoadResult> {
  const progress = downloadProgress(ctx);
  const loadOptions: LoadExtensionOptions = {
    config,
    home: ctx.home,
    onWarning: (message) => {
      progress.finish();
      ctx.err(`${paint(ctx, "yellow", "warning:")} ${printable(message)}\n`);
    },
    ...(options.debug ? { onDebug: (message: string) => ctx.err(`debug: ${message}\n`) } : {}),
    ...(progress.onProgress === undefined ? {} : { onProgress: progress.onProgress }),
    ...(options.source === undefined ? {} : { sourceType: options.source }),
    ...(options.force === undefined ? {} : { force: options.force }),
    ...(options.offline === undefined ? {} : { offline: options.offline }),
  };
  const load = mode === "load" ? loadExtension : pullExtension;
  const spec = options.version ?? "latest";
  // Inside a workspace with a lock, a name the lock holds (at a version the spec allows)
  // loads the locked version, and only with the locked digest.
  const { isExtensionName } = await import("../manifest/extension_name.ts");
  const found = isExtensionName(name) && !isDigest(spec)
    ? await (await import("../workspace/locked_version.ts"))
      .lockedVersionFor(config.workspace, ctx.cwd, name, spec)
    : undefined;
  const choice = options.type === undefined || found?.locked.type === options.type
    ? found
    : undefined;
  let result: LoadResult;
  try {
    result = await load(options.type, name, choice?.locked.version ?? spec, loadOptions);
  } finally {
    progress.finish();
  }
  if (choice !== undefined && result.success) {
    const { checkLockedDigest } = await import("../workspace/locked_version.ts");
    checkLockedDigest(choice, result.digest);
    if (options.debug) ctx.err(`debug: ${name} ${choice.locked.version} from ${choice.lockPath}\n`);
  }
  if (!result.success) {
    if (options.offline === true) throw result.error;
    const { withExtensionSuggestion } = await import("./suggest_extension_name.ts");
    throw await withExtensionSuggestion(result.error, name, {
      config,
      source: options.source,
      type: options.type,
    });
  }
  return result;
}

/** A note on stderr when the extension's hooks ask for permissions not approved yet. */
async function noteHooks(
  ctx: CliContext,
  config: ResolvedConfig,
  result: LoadResult,
): Promise<void> {
  if (result.path === undefined) return;
  const { hooksNotesOf } = await import("../hooks/hooks_note.ts");
  for (const note of await hooksNotesOf(config, [result.path])) {
    ctx.err(`note: ${printable(note)}\n`);
  }
}

/**
 * Prints a successful load: `{success, name, type, version, source, path, digest,
 * reference}` as JSON/YAML (`digest` and `reference` are null for folders used in place),
 * or `<verb> <type> <name> <version> from <source>: <path>`.
 *
 * @example
 * ```ts
 * import { printLoadResult } from "./ext_load.ts";
 * import assert from "node:assert/strict";
 *
 * let out = "";
 * const ctx = { out: (t: string) => out += t };
 * const result = { success: true, name: "aws", type: "provider" as const, version: "1.0.0",
 *   source: "oci" as const, path: "/c/aws", digest: "sha256:ab" };
 * await printLoadResult(ctx, result, "table", "Loaded");
 * assert.equal(out, "Loaded provider aws 1.0.0 from oci: /c/aws\n");
 * ```
 *
 * @param ctx Where to print.
 * @param result A successful load result.
 * @param format Output format.
 * @param verb `Loaded` or `Pulled` (table only).
 */
export async function printLoadResult(
  ctx: Pick<CliContext, "out">,
  result: LoadResult,
  format: OutputFormat,
  verb: string,
): Promise<void> {
  const { success, type, version, source, path } = result;
  const shown = {
    success,
    name: result.name,
    type,
    version,
    source,
    path,
    digest: result.digest ?? null,
    reference: result.reference ?? null,
  };
  if (format !== "table") return ctx.out(await formatData(shown, format));
  ctx.out(`${verb} ${type} ${result.name} ${version} from ${source}: ${path}\n`);
}
