/**
 * What the `provisioning` CLI and the `publish_extension` tool share at their root: the
 * global flags, help and usage errors written through the {@linkcode CliContext}, and the
 * parse that turns what happened into an exit code.
 *
 * @module
 */

import { Command, CommandLineStop } from "./parser/command.ts";
import type { ExitCode } from "../errors.ts";
import type { CliContext } from "./io.ts";
import { reportError } from "./report_error.ts";

/**
 * A root command with `--debug`, `--registry`, `--namespace`, `--ca-file` and `--plain-http`, whose output (help, usage
 * errors) goes through `ctx`; a parse that stops throws a `CommandLineStop`.
 *
 * @example
 * ```ts
 * import { rootCommand } from "./root_command.ts";
 * import assert from "node:assert/strict";
 *
 * const ctx = {
 *   out: () => {}, err: () => {}, stderrIsTerminal: false, color: false,
 *   cwd: "/", home: "/", getEnv: () => undefined,
 * };
 * const program = rootCommand("tool", "does things", ctx);
 * assert.deepEqual(program.options.map((o) => o.long), [
 *   "--debug", "--registry", "--namespace", "--ca-file", "--plain-http",
 * ]);
 * ```
 *
 * @param name The program name (shown in usage lines).
 * @param description What the program does (shown in help).
 * @param ctx Where help and errors are written.
 * @returns The command, ready for more options and subcommands.
 */
export function rootCommand(name: string, description: string, ctx: CliContext) {
  return new Command(name)
    .description(description)
    .option("--debug", "show stack traces on errors and log each HTTP request to stderr")
    .option(
      "--registry <host>",
      "OCI registry host[:port], or a [[oci.registries]] name (overrides config)",
    )
    .option("--namespace <namespace>", "OCI namespace (overrides config)")
    .option("--ca-file <file>", "PEM CA that signed the registry's certificate (HTTPS)")
    .option("--plain-http", "speak plain HTTP to the registry, as [oci] insecure = true")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (text) => ctx.out(text), writeErr: (text) => ctx.err(text) });
}

/**
 * Parses `argv` with `program` and runs the command it names. Never throws: a parser
 * stop (help, version, usage error, already printed through `ctx`) is 0 or 2, any other
 * error is reported through `ctx` and mapped to its exit code.
 *
 * @example
 * ```ts
 * import { rootCommand, runProgram } from "./root_command.ts";
 * import assert from "node:assert/strict";
 *
 * const ctx = {
 *   out: () => {}, err: () => {}, stderrIsTerminal: false, color: false,
 *   cwd: "/", home: "/", getEnv: () => undefined,
 * };
 * assert.equal(await runProgram(rootCommand("tool", "does things", ctx), ["--bogus"], ctx), 2);
 * ```
 *
 * @param program The root command.
 * @param argv Arguments after the program name.
 * @param ctx Where errors are reported.
 * @returns The exit code.
 */
export async function runProgram(
  program: { parseAsync(argv: string[]): Promise<unknown> },
  argv: readonly string[],
  ctx: CliContext,
): Promise<ExitCode> {
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    // The parser has already printed its one line (or the help) through ctx.
    if (error instanceof CommandLineStop) return error.exitCode === 0 ? 0 : 2;
    return reportError(error, ctx, argv.includes("--debug"));
  }
}
