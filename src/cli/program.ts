/**
 * The command tree: `provisioning env` and `provisioning ext …`.
 *
 * This file only declares commands and flags; each action imports its implementation when
 * it runs, so `--help` and one command never pay for the others' modules.
 *
 * @module
 */

import { Command, CommanderError, Option } from "@commander-js/extra-typings";
import { EXTENSION_TYPES, type ExtensionType } from "../manifest/types.ts";
import type { ExitCode } from "../errors.ts";
import type { CliContext } from "./io.ts";
import { OUTPUT_FORMATS } from "./output.ts";
import { reportError } from "./report_error.ts";

/** Sources the CLI accepts today. Others are added as they are built. */
export const CLI_SOURCES = ["auto", "local"] as const;

const formatOption = () =>
  new Option("--format <format>", "output format").choices(OUTPUT_FORMATS).default(
    "table" as const,
  );
const typeOption = () =>
  new Option("--type <type>", "extension type").choices(EXTENSION_TYPES as ExtensionType[]);
const sourceOption = () =>
  new Option("--source <source>", "where to look (default: extensions.source_type)").choices(
    CLI_SOURCES,
  );

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

  program
    .command("env")
    .description("print the effective settings and where each comes from")
    .addOption(formatOption())
    .action(async (options, command) => {
      const { runEnv } = await import("./env.ts");
      await runEnv(ctx, command.optsWithGlobals(), options.format);
    });

  const ext = program.command("ext").description("work with extensions");

  ext
    .command("list")
    .description("list available extensions")
    .addOption(sourceOption())
    .addOption(typeOption())
    .addOption(formatOption())
    .action(async (options, command) => {
      const { runList } = await import("./ext_read.ts");
      await runList(ctx, command.optsWithGlobals(), options);
    });

  ext
    .command("info")
    .description("show an extension's manifest, versions and location")
    .argument("<name>", "extension name")
    .option("--version <spec>", "version or spec (default: latest)")
    .addOption(sourceOption())
    .addOption(typeOption())
    .addOption(formatOption())
    .action(async (name, options, command) => {
      const { runInfo } = await import("./ext_read.ts");
      await runInfo(ctx, command.optsWithGlobals(), name, options);
    });

  ext
    .command("versions")
    .description("list the versions of an extension, highest first")
    .argument("<name>", "extension name")
    .addOption(sourceOption())
    .addOption(typeOption())
    .addOption(formatOption())
    .action(async (name, options, command) => {
      const { runVersions } = await import("./ext_read.ts");
      await runVersions(ctx, command.optsWithGlobals(), name, options);
    });

  ext
    .command("load")
    .description("resolve and load an extension, printing where it is")
    .argument("<name>", "extension name")
    .option("--version <spec>", "version or spec: 1.2.3, ^1.2.0, ~1.2.0, 1.2.0-1.5.0, latest")
    .addOption(sourceOption())
    .addOption(typeOption())
    .option("--force", "refetch even when cached")
    .addOption(formatOption())
    .action(async (name, options, command) => {
      const { runLoad } = await import("./ext_load.ts");
      await runLoad(ctx, command.optsWithGlobals(), name, options);
    });

  return program;
}
