/**
 * Registers `ext permissions`.
 *
 * @module
 */

import { type Command, Option } from "../parser/command.ts";
import { SOURCE_TYPES } from "../../config/types.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { choiceOption, formatOption, globalOptions } from "./options.ts";

/** Adds `ext permissions [command...]` to the `ext` command. */
export function registerPermissionsCommand(ext: Command, ctx: CliContext): void {
  ext
    .command("permissions")
    .description("print the exact Deno permissions a command needs with the current config")
    .addHelpText(
      "after",
      examples(
        "provisioning ext permissions load",
        "provisioning ext permissions publish ./redis -o json",
        "provisioning ext permissions -o json -- ui --port 8080 --open",
      ),
    )
    // Options it does not know belong to the command described (so do all after `--`).
    .allowUnknownOption()
    .argument(
      "[command...]",
      "the command line described (load aws, publish DIR…); default: what every command gets",
    )
    .addOption(
      choiceOption("-s, --source <source>", "the --source the command would get", SOURCE_TYPES),
    )
    .option("--no-probe", "do not ask registries for a token service not yet remembered")
    .addOption(
      new Option("--key <file>", "a --key file the command would get (repeat)").argParser(
        (value: string, previous: string[] = []) => [...previous, value],
      ),
    )
    .option("--output-key-prefix <prefix>", "the --output-key-prefix the command would get")
    .addOption(formatOption())
    .action(async (words, options, command) => {
      const { runPermissions } = await import("../ext_permissions.ts");
      const { bundledExamplesDir } = await import("../../sources/local.ts");
      await runPermissions(ctx, globalOptions(command), words, options, {
        // In a worker Deno.mainModule is undefined; its location is the entry module.
        mainModule: Deno.mainModule ?? (globalThis as { location?: Location }).location?.href ??
          "main.ts",
        standalone: Deno.build.standalone,
        examplesDir: bundledExamplesDir(),
      });
    });
}
