/**
 * `ext pull NAME`: fetch an extension from a remote source into the cache without loading
 * it from a local folder. Prints the same shape as `ext load`.
 *
 * @module
 */

import type { GlobalConfigOptions } from "./config.ts";
import { type LoadCommandOptions, runLoadCommand } from "./ext_load.ts";
import type { CliContext } from "./io.ts";

/**
 * Pulls one extension into the cache; prints `{success, name, type, version, source, path,
 * digest}` (JSON/YAML) or `Pulled <type> <name> <version> from <source>: <path>`.
 *
 * @example
 * ```ts ignore
 * await runPull(ctx, {}, "aws", { version: "^2.0.0", format: "json" });
 * ```
 *
 * @param ctx Output streams and environment.
 * @param globals Global flags (`--registry`, `--namespace`, `--cache-dir`).
 * @param name Extension name, or a git URL (pulled with the `git` source unless `--source`
 *   names another).
 * @param options The command's flags (`--source local` is refused).
 * @throws {ProvisioningError} Whatever the loader reports.
 */
export async function runPull(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  options: LoadCommandOptions,
): Promise<void> {
  await runLoadCommand("pull", ctx, globals, name, options);
}
