/**
 * The command tree: `provisioning env` and `provisioning ext …`.
 *
 * Each command group lives in `commands/` and registers itself; every action imports its
 * implementation when it runs, so `--help` and one command never pay for the others'
 * modules. Add a group by writing `commands/<group>.ts` and one `register…` call here.
 *
 * @module
 */

import { Command, CommanderError } from "@commander-js/extra-typings";
import type { ExitCode } from "../errors.ts";
import { registerCacheCommands } from "./commands/cache.ts";
import { registerDiscoveryCommands } from "./commands/discovery.ts";
import { registerEnvCommand } from "./commands/env.ts";
import { registerOciCommands } from "./commands/oci.ts";
import { registerPermissionsCommand } from "./commands/permissions.ts";
import { registerPublishCommands } from "./commands/publish.ts";
import { registerReadCommands } from "./commands/read.ts";
import type { CliContext } from "./io.ts";
import { reportError } from "./report_error.ts";

/**
 * Parses `argv` and runs the command it names. Never throws and never exits: returns the
 * exit code for `main.ts` to use.
 *
 * @example
 * ```ts ignore
 * const code = await runCli(["ext", "list", "--format", "json"], processContext());
 * ```
 *
 * @param argv Arguments after the program name.
 * @param ctx Output streams and environment.
 * @returns The exit code of the CLI contract.
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<ExitCode> {
  const debug = argv.includes("--debug");
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its one line (or the help) through ctx.
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(error, ctx, debug);
  }
}

function buildProgram(ctx: CliContext) {
  const program = new Command("provisioning")
    .description("Load infrastructure extensions from OCI registries, git and local folders")
    .option("--debug", "show stack traces on errors")
    .option("--registry <host>", "OCI registry host[:port] (overrides config)")
    .option("--namespace <namespace>", "OCI namespace (overrides config)")
    .option("--cache-dir <dir>", "cache root (overrides config)")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => ctx.out(text),
      writeErr: (text) => ctx.err(text),
      outputError: (text, write) => write(text),
    });

  registerEnvCommand(program, ctx);
  const ext = program.command("ext").description("work with extensions");
  registerReadCommands(ext, ctx);
  registerDiscoveryCommands(ext, ctx);
  registerOciCommands(ext, ctx);
  registerPublishCommands(ext, ctx);
  registerPermissionsCommand(ext, ctx);
  registerCacheCommands(ext, ctx);
  return program;
}
