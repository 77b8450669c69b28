/**
 * Registers `provisioning env`.
 *
 * @module
 */

import type { Command } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { formatOption, globalOptions } from "./options.ts";

/** Adds `env` to the top-level program. */
export function registerEnvCommand(program: Command, ctx: CliContext): void {
  program
    .command("env")
    .description("print the effective settings and where each comes from")
    .addHelpText(
      "after",
      examples("provisioning env", "provisioning env | grep OCI", "provisioning env --format json"),
    )
    .addOption(formatOption())
    .action(async (options, command) => {
      const { runEnv } = await import("../env.ts");
      await runEnv(ctx, globalOptions(command), options.format);
    });
}
