/**
 * `ext publish DIR` and `ext delete NAME VERSION`: the CLI face of `src/publish`.
 *
 * @module
 */

import { type ConfirmPrompt, isYes, terminalPrompt } from "./confirm_prompt.ts";
import { join, resolve } from "../fs/path.ts";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { deleteExtension } from "../publish/delete.ts";
import { formatSize } from "../publish/format_size.ts";
import { createProgressBar } from "../publish/progress_bar.ts";
import { publishExtension } from "../publish/publish.ts";
import { parseDeleteTarget, parsePublishDestination } from "../publish/write_target.ts";
import type { DeleteResult, PublishOptions, PublishResult } from "../publish/publish_types.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import { type CliContext, paint, printable } from "./io.ts";
import { formatData, formatTable, type OutputFormat } from "./output.ts";

/** The environment variable that fixes tar mtimes and `org.opencontainers.image.created`. */
export const SOURCE_DATE_EPOCH_ENV = "SOURCE_DATE_EPOCH";

/** Options of `ext publish`. */
export interface PublishCommandOptions {
  /** `--version V`: publish under this version instead of the manifest's. */
  version?: string;
  /** `--force`: overwrite a published version. */
  force?: boolean;
  /** `--dry-run`: validate and package only. */
  dryRun?: boolean;
  /** `--max-file-size BYTES`. */
  maxFileSize?: string;
  /** `--sign`: sign the pushed artifact with `--key`. */
  sign?: boolean;
  /** `--key P.key`: the cosign private key for `--sign`. */
  key?: string;
  /** `--format`. */
  format: OutputFormat;
}

/**
 * `ext publish DIR`: validates, packages and pushes an extension directory, printing the
 * reference and digest (or, with `--dry-run`, everything that would be pushed). Notices
 * (a `--version` that differs from the file) go to stderr; upload progress too, as a bar,
 * when stderr is a terminal. The package is built under `<cache dir>/tmp` and removed after.
 *
 * @param ctx Output and environment (`SOURCE_DATE_EPOCH` is read through it).
 * @param globals `--registry`, `--namespace`.
 * @param dir The extension directory (relative to the current directory).
 * @param options Command flags.
 * @param destination `[oci://]REGISTRY[/NAMESPACE]` to push to instead of `[oci]`'s (the
 *   registry may be a `[[oci.registries]]` name).
 * @throws {ProvisioningError} Whatever {@linkcode publishExtension} throws; `USAGE` for a bad
 *   `SOURCE_DATE_EPOCH`, `--max-file-size` or destination, or a destination beside
 *   `--registry`.
 */
export async function runPublish(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  dir: string,
  options: PublishCommandOptions,
  destination?: string,
): Promise<void> {
  const target = destination === undefined ? undefined : parsePublishDestination(destination);
  if (target !== undefined) onlyOneRegistry(globals, destination!);
  const sourceDateEpoch = parseSourceDateEpoch(ctx.getEnv(SOURCE_DATE_EPOCH_ENV));
  const maxFileSize = options.maxFileSize === undefined
    ? undefined
    : parseByteCount(options.maxFileSize, "--max-file-size");
  const config = await loadCliConfig(ctx, globals);
  // The key is opened first: a wrong password must not leave an unsigned push behind.
  const signing = options.sign === true || options.key !== undefined
    ? await import("./ext_publish_sign.ts").then((m) => m.prepareSigning(ctx, config, options))
    : undefined;
  // Packing shows progress on a dry run too; the bar skips anything small and quick.
  const bar = ctx.stderrIsTerminal ? createProgressBar(ctx.err) : undefined;
  // The package goes under `<cache>/tmp`: the one place the least-privilege launcher lets
  // `ext publish` write.
  const tmpDir = join(config.settings.cache.dir, "tmp");
  await Deno.mkdir(tmpDir, { recursive: true });
  const publishOptions: PublishOptions = {
    config,
    home: ctx.home,
    tmpDir,
    clientOptions: { onNote: (line, level) => ctx.err(`${level ?? "note"}: ${printable(line)}\n`) },
    onNotice: (line) => ctx.err(`${paint(ctx, "yellow", "notice:")} ${printable(line)}\n`),
    onWarning: (line) => ctx.err(`${paint(ctx, "yellow", "warning:")} ${printable(line)}\n`),
  };
  if (target !== undefined) {
    publishOptions.registry = target.registry;
    if (target.namespace !== undefined) publishOptions.namespace = target.namespace;
  }
  if (options.version !== undefined) publishOptions.version = options.version;
  if (options.force !== undefined) publishOptions.force = options.force;
  if (options.dryRun !== undefined) publishOptions.dryRun = options.dryRun;
  if (sourceDateEpoch !== undefined) publishOptions.sourceDateEpoch = sourceDateEpoch;
  if (maxFileSize !== undefined) publishOptions.maxFileSize = maxFileSize;
  if (bar !== undefined) {
    publishOptions.onProgress = (p) => bar.update(p.blob, p.transferred, p.total);
  }
  let result: PublishResult;
  try {
    result = await publishExtension(resolve(ctx.cwd, dir), publishOptions);
  } finally {
    bar?.finish();
  }
  const signature = result.dryRun ? undefined : await signing?.sign(result);
  if (options.format !== "table") {
    return ctx.out(
      await formatData(signature === undefined ? result : { ...result, signature }, options.format),
    );
  }
  ctx.out(result.dryRun ? dryRunText(result) : publishedText(result));
  if (signature !== undefined) {
    ctx.out(`signer:    ${signature.signer}\nsignature: ${signature.signatureReference}\n`);
  }
}

/** Options of `ext delete`. */
export interface DeleteCommandOptions {
  /** `--force`: do not ask. */
  force?: boolean;
  /** `--format`. */
  format: OutputFormat;
}

/** How `ext delete` asks for confirmation (see `confirm_prompt.ts`). */
export type { ConfirmPrompt };

/**
 * `ext delete NAME VERSION`: deletes a published version (its manifest, by digest). Asks on
 * a terminal unless `--force`; without a terminal `--force` is required (exit 2, nothing
 * contacted).
 *
 * @param ctx Output and environment.
 * @param globals `--registry`, `--namespace`.
 * @param name Extension name, or `[oci://]REGISTRY/NAMESPACE/NAME` (the registry may be a
 *   `[[oci.registries]]` name).
 * @param version Exact version.
 * @param options `--force`, `--format`.
 * @param prompt How to ask (default: stdin/stderr of the process).
 * An answer other than yes deletes nothing and is no error: `Nothing deleted: … is kept`.
 *
 * @throws {ProvisioningError} `USAGE` without `--force` and no terminal; whatever {@linkcode deleteExtension} throws (`VERSION_NOT_FOUND` exit 3,
 *   `UNSUPPORTED` exit 2 when the registry has deletion disabled…).
 */
export async function runDelete(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  version: string,
  options: DeleteCommandOptions,
  prompt: ConfirmPrompt = terminalPrompt(ctx),
): Promise<void> {
  const force = options.force === true;
  if (!force && !prompt.interactive) {
    throw new ProvisioningError(
      "USAGE",
      `Refusing to delete "${name}" version "${version}" without confirmation: stdin is not a terminal`,
      { hint: "Pass --force to delete without asking" },
    );
  }
  const { name: repositoryName, target } = parseDeleteTarget(name, version);
  if (target !== undefined) onlyOneRegistry(globals, name);
  const config = await loadCliConfig(ctx, globals);
  let declined: string | undefined;
  let result: DeleteResult;
  try {
    result = await deleteExtension(repositoryName, version, {
      config,
      ...(target === undefined ? {} : { registry: target.registry }),
      ...(target?.namespace === undefined ? {} : { namespace: target.namespace }),
      home: ctx.home,
      clientOptions: {
        onNote: (line, level) => ctx.err(`${level ?? "note"}: ${printable(line)}\n`),
      },
      ...(force ? {} : {
        confirm: async (target) => {
          const answer = await prompt.ask(
            `Delete ${target.reference} (${target.digest})? Every tag of this manifest goes ` +
              `with it. [y/N] `,
          );
          const yes = isYes(answer);
          if (!yes) declined = target.reference;
          return yes;
        },
      }),
    });
  } catch (error) {
    // "No" is an answer, not a failure: exit 0, and say so.
    if (declined === undefined || !isProvisioningError(error, "USAGE")) throw error;
    const text = `Nothing deleted: ${printable(declined)} is kept\n`;
    return options.format === "table" ? ctx.out(text) : ctx.err(text);
  }
  if (options.format !== "table") return ctx.out(await formatData(result, options.format));
  ctx.out(`Deleted ${result.reference} (${result.digest})\n`);
}

/** A registry named twice (`--registry` and a destination) is a mistake, not a choice. */
function onlyOneRegistry(globals: GlobalConfigOptions, typed: string): void {
  if (globals.registry === undefined && globals.namespace === undefined) return;
  throw new ProvisioningError(
    "USAGE",
    `"${typed}" names the registry already: leave out --registry and --namespace`,
    { hint: "Name the target once, either in the argument or with --registry/--namespace" },
  );
}

/** The table text of a real publish. */
function publishedText(result: PublishResult): string {
  const replaced = result.replaced === null ? "" : `replaced:  ${result.replaced}\n`;
  return `Published ${result.type} "${result.name}" ${result.version} ` +
    `(${countFiles(result)}, layer ${formatSize(result.layer.size)}, ${
      result.layer.outcome ?? "uploaded"
    })\n` +
    `reference: ${result.reference}\n` +
    `digest:    ${result.digest}\n` + replaced;
}

/** The table text of a dry run: target, blobs and files. */
function dryRunText(result: PublishResult): string {
  const blobs = [
    { blob: "manifest", digest: result.digest, size: result.size },
    { blob: "config", digest: result.config.digest, size: result.config.size },
    { blob: "layer", digest: result.layer.digest, size: result.layer.size },
  ];
  return `Dry run: nothing was pushed. Would publish ${result.type} "${result.name}" ` +
    `${result.version} as ${result.reference}\n\n` +
    formatTable(blobs, [
      { header: "BLOB", value: (b) => b.blob },
      { header: "DIGEST", value: (b) => b.digest },
      { header: "SIZE", value: (b) => formatSize(b.size) },
    ]) + "\n" +
    formatTable(result.files, [
      { header: "PATH", value: (f) => f.path },
      { header: "TYPE", value: (f) => f.type },
      { header: "SIZE", value: (f) => f.type === "file" ? formatSize(f.size) : "-" },
    ]) + `${countFiles(result)}\n`;
}

/** `N files` (regular files only). */
function countFiles(result: PublishResult): string {
  const count = result.files.filter((f) => f.type === "file").length;
  return `${count} ${count === 1 ? "file" : "files"}`;
}

/**
 * Reads `SOURCE_DATE_EPOCH`: unset or empty is `undefined`, whole seconds otherwise.
 *
 * @example
 * ```ts
 * import { parseSourceDateEpoch } from "./ext_publish.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseSourceDateEpoch("1700000000"), 1700000000);
 * assert.equal(parseSourceDateEpoch(""), undefined);
 * assert.throws(() => parseSourceDateEpoch("yesterday"), { code: "USAGE" });
 * ```
 *
 * @param value The variable's value.
 * @returns Seconds since the epoch, or `undefined`.
 * @throws {ProvisioningError} `USAGE` for anything but digits.
 */
export function parseSourceDateEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    throw new ProvisioningError(
      "USAGE",
      `Cannot use ${SOURCE_DATE_EPOCH_ENV} "${value}": expected whole seconds since 1970`,
      { hint: `Unset ${SOURCE_DATE_EPOCH_ENV} or set it to e.g. $(git log -1 --format=%ct)` },
    );
  }
  return Number(value);
}

/**
 * Reads a positive whole number of bytes from a flag.
 *
 * @example
 * ```ts
 * import { parseByteCount } from "./ext_publish.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseByteCount("1048576", "--max-file-size"), 1048576);
 * assert.throws(() => parseByteCount("1M", "--max-file-size"), { code: "USAGE" });
 * ```
 *
 * @param value The flag's value.
 * @param flag The flag, for the message.
 * @returns The byte count.
 * @throws {ProvisioningError} `USAGE` for anything but a positive integer.
 */
export function parseByteCount(value: string, flag: string): number {
  const bytes = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!(bytes > 0)) {
    throw new ProvisioningError(
      "USAGE",
      `Cannot use ${flag} "${value}": expected a positive whole number of bytes`,
      { hint: `For example ${flag} 104857600 (100 MiB)` },
    );
  }
  return bytes;
}
