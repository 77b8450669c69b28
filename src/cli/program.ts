/**
 * The command tree: `provisioning env`, `provisioning version` and `provisioning ext …`.
 *
 * Each command group lives in `commands/` and registers itself; every action imports its
 * implementation when it runs, so `--help` and one command never pay for the others'
 * modules. Add a group by writing `commands/<group>.ts` and one `register…` call here.
 *
 * @module
 */

import { setRequestLog } from "../net/request_log.ts";
import { ensureCommandPermissions } from "./command_grants.ts";
import type { ExitCode } from "../errors.ts";
import { registerCacheCommands } from "./commands/cache.ts";
import { registerCompletionCommands } from "./commands/completion.ts";
import { registerCopyCommand } from "./commands/copy.ts";
import { registerDiscoveryCommands } from "./commands/discovery.ts";
import { registerEnvCommand } from "./commands/env.ts";
import { registerHookCommands } from "./commands/hooks.ts";
import { registerVersionCommand } from "./commands/version.ts";
import { registerOciCommands } from "./commands/oci.ts";
import { registerPermissionsCommand } from "./commands/permissions.ts";
import { registerPublishCommands } from "./commands/publish.ts";
import { registerReadCommands } from "./commands/read.ts";
import { registerSignatureCommands } from "./commands/signatures.ts";
import { registerWorkspaceCommands } from "./commands/workspace.ts";
import { registerUiCommand } from "./commands/ui.ts";
import type { CliContext } from "./io.ts";
import { rootCommand, runProgram } from "./root_command.ts";
import { configureHelp, examples } from "./help.ts";
import { rootVersionArgv } from "./version_command.ts";

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
  const program = buildProgram(ctx);
  // `--debug`: each HTTP request on stderr (method, URL without secrets, status, time).
  const previous = argv.includes("--debug") ? setRequestLog((line) => ctx.err(line)) : undefined;
  try {
    return await runProgram(program, rootVersionArgv(argv), ctx);
  } finally {
    if (argv.includes("--debug")) setRequestLog(previous);
  }
}

/**
 * The whole command tree (nothing runs until it is parsed). Exported for the completion
 * scripts' tests and for `ext permissions`, which parses the command it describes.
 *
 * @example
 * ```ts
 * import { buildProgram } from "./program.ts";
 * import assert from "node:assert/strict";
 *
 * const ctx = {
 *   out: () => {}, err: () => {}, stderrIsTerminal: false, color: false,
 *   cwd: "/", home: "/", getEnv: () => undefined,
 * };
 * assert.ok(buildProgram(ctx).commands.some((c) => c.name() === "ext"));
 * ```
 *
 * @param ctx Output streams and environment.
 * @returns The root command.
 */
export function buildProgram(ctx: CliContext) {
  const program = configureHelp(rootCommand(
    "provisioning",
    "Load infrastructure extensions from OCI registries, git and local folders",
    ctx,
  )).option("--cache-dir <dir>", "cache root (overrides config)");
  // Before any action: the command must hold its permission plan (`command_grants.ts`).
  program.hook("preAction", (_root, action) => ensureCommandPermissions(action, ctx));

  registerEnvCommand(program, ctx);
  registerVersionCommand(program, ctx);
  registerCompletionCommands(program, ctx);
  const ext = program.command("ext").description("work with extensions")
    .addHelpText("after", examples("provisioning ext list", "provisioning ext load kubernetes"));
  registerReadCommands(ext, ctx);
  registerDiscoveryCommands(ext, ctx);
  registerOciCommands(ext, ctx);
  registerPublishCommands(ext, ctx);
  registerCopyCommand(ext, ctx);
  registerSignatureCommands(ext, ctx);
  registerPermissionsCommand(ext, ctx);
  registerCacheCommands(ext, ctx);
  registerWorkspaceCommands(ext, ctx);
  registerUiCommand(ext, ctx);
  registerHookCommands(ext, ctx);
  return program;
}
