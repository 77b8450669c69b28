/**
 * `provisioning version` (also `provisioning --version` / `-V`): the tool's version, the Deno
 * version and the build target.
 *
 * @module
 */

import { VERSION } from "../version.ts";
import type { CliContext } from "./io.ts";
import { formatData, type OutputFormat } from "./output.ts";

/** What `provisioning version --format json` prints. */
export interface VersionReport {
  /** The tool's version (deno.json `"version"`). */
  version: string;
  /** The Deno runtime's version. */
  deno: string;
  /** The build target (`Deno.build.target`, e.g. `x86_64-unknown-linux-gnu`). */
  target: string;
}

/**
 * The version report of this process.
 *
 * @example
 * ```ts
 * import { versionReport } from "./version_command.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(versionReport().deno, Deno.version.deno);
 * ```
 *
 * @returns Tool version, Deno version, build target.
 */
export function versionReport(): VersionReport {
  return { version: VERSION, deno: Deno.version.deno, target: Deno.build.target };
}

/**
 * Prints the version report: `provisioning 0.1.0 (deno 2.9.6, x86_64-unknown-linux-gnu)` as
 * a table, or the {@linkcode VersionReport} as JSON/YAML.
 *
 * @example
 * ```ts
 * import { runVersion } from "./version_command.ts";
 * import assert from "node:assert/strict";
 *
 * let text = "";
 * const ctx = {
 *   out: (t: string) => text += t, err: () => {}, stderrIsTerminal: false, color: false,
 *   cwd: "/", home: "/", getEnv: () => undefined,
 * };
 * await runVersion(ctx, "json");
 * assert.equal(JSON.parse(text).target, Deno.build.target);
 * ```
 *
 * @param ctx Where to print.
 * @param format `table`, `json` or `yaml`.
 */
export async function runVersion(ctx: CliContext, format: OutputFormat): Promise<void> {
  const report = versionReport();
  if (format !== "table") return ctx.out(await formatData(report, format));
  ctx.out(`provisioning ${report.version} (deno ${report.deno}, ${report.target})\n`);
}

/** Root flags that take a value (`rootCommand` and the CLI's `--cache-dir`). */
const ROOT_VALUE_FLAGS = ["--registry", "--namespace", "--cache-dir"];

/**
 * `argv` with a root `--version` / `-V` (one before any command word) turned into the
 * `version` command, so `provisioning --version --format json` is `provisioning version
 * --format json`. A `--version` after a command word (`ext load aws --version 1.0.0`) is that
 * command's own flag and stays.
 *
 * @example
 * ```ts
 * import { rootVersionArgv } from "./version_command.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(rootVersionArgv(["--debug", "-V"]), ["--debug", "version"]);
 * assert.deepEqual(rootVersionArgv(["ext", "load", "a", "--version", "1.0.0"]), [
 *   "ext", "load", "a", "--version", "1.0.0",
 * ]);
 * ```
 *
 * @param argv Arguments after the program name.
 * @returns The arguments to parse.
 */
export function rootVersionArgv(argv: readonly string[]): string[] {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--version" || arg === "-V") {
      return [...argv.slice(0, i), "version", ...argv.slice(i + 1)];
    }
    if (ROOT_VALUE_FLAGS.includes(arg)) i++;
    else if (!arg.startsWith("-")) break;
  }
  return [...argv];
}
