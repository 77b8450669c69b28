/**
 * Registers `ext list`, `ext info`, `ext versions` and `ext load`.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import type { CliContext } from "../io.ts";
import { formatOption, globalOptions, sourceOption, typeOption } from "./options.ts";

/** Adds the read and load commands to the `ext` command. */
export function registerReadCommands(ext: Command, ctx: CliContext): void {
  ext
    .command("list")
    .description("list available extensions")
    .addOption(sourceOption())
    .addOption(typeOption())
    .addOption(formatOption())
    .action(async (options, command) => {
      const { runList } = await import("../ext_read.ts");
      await runList(ctx, globalOptions(command), options);
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
      const { runInfo } = await import("../ext_read.ts");
      await runInfo(ctx, globalOptions(command), name, options);
    });

  ext
    .command("versions")
    .description("list the versions of an extension, highest first")
    .argument("<name>", "extension name")
    .addOption(sourceOption())
    .addOption(typeOption())
    .addOption(formatOption())
    .action(async (name, options, command) => {
      const { runVersions } = await import("../ext_read.ts");
      await runVersions(ctx, globalOptions(command), name, options);
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
      const { runLoad } = await import("../ext_load.ts");
      await runLoad(ctx, globalOptions(command), name, options);
    });
}
