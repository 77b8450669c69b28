/**
 * Registers `ext load` and `ext pull` (`ext list`, `info` and `versions` live in `discovery.ts`).
 *
 * @module
 */

import type { Command } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { forceOption, formatOption, globalOptions, sourceOption, typeOption } from "./options.ts";
import { declareGrants, referenceGrants } from "../command_grants.ts";

/** Adds the load and pull commands to the `ext` command. */
export function registerReadCommands(ext: Command, ctx: CliContext): void {
  const load = ext
    .command("load")
    .description("resolve and load an extension, printing where it is")
    .addHelpText(
      "after",
      examples(
        "provisioning ext load kubernetes",
        "provisioning ext load redis --version ^1.2.0 -t taskserv",
        "provisioning ext load aws -s oci -o json",
      ),
    )
    .argument("<name>", "extension name")
    .option("--version <spec>", "version or spec: 1.2.3, ^1.2.0, ~1.2.0, 1.2.0-1.5.0, latest")
    .addOption(sourceOption())
    .addOption(typeOption())
    .addOption(forceOption("refetch even when cached"))
    .option("--offline", "use no network: the best cached match, or sources on disk")
    .addOption(formatOption())
    .action(async (name, options, command) => {
      const { runLoad } = await import("../ext_load.ts");
      await runLoad(ctx, globalOptions(command), name, { ...options, debug: debugFlag(command) });
    });
  declareGrants(load, async ({ args, options, config }) => ({
    ...await referenceGrants(args[0], config),
    ...(options.offline === true ? { offline: true } : {}),
  }));

  const pull = ext
    .command("pull")
    .description("fetch an extension from a registry or OCI layout into the cache")
    .addHelpText(
      "after",
      examples(
        "provisioning ext pull redis --version 1.2.3",
        "provisioning ext pull redis -s oci-layout --offline",
      ),
    )
    .argument("<name>", "extension name")
    .option("--version <spec>", "version or spec: 1.2.3, ^1.2.0, ~1.2.0, 1.2.0-1.5.0, latest")
    .addOption(sourceOption())
    .addOption(typeOption())
    .addOption(forceOption("refetch even when cached"))
    .option("--offline", "use no network: the best cached match, or an OCI layout")
    .addOption(formatOption())
    .action(async (name, options, command) => {
      const { runPull } = await import("../ext_pull.ts");
      await runPull(ctx, globalOptions(command), name, { ...options, debug: debugFlag(command) });
    });
  declareGrants(pull, async ({ args, options, config }) => ({
    ...await referenceGrants(args[0], config),
    ...(options.offline === true ? { offline: true } : {}),
  }));
}

/** Whether the global `--debug` flag was given. */
function debugFlag(command: { optsWithGlobals(): Record<string, unknown> }): boolean {
  return command.optsWithGlobals().debug === true;
}
