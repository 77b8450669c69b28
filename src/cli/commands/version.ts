/**
 * Registers `provisioning version`.
 *
 * @module
 */

import type { Command } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { formatOption } from "./options.ts";

/** Adds `version` to the top-level program. */
export function registerVersionCommand(program: Command, ctx: CliContext): void {
  program
    .command("version")
    .description("print the tool's version, the Deno version and the build target")
    .addHelpText("after", examples("provisioning version", "provisioning --version --format json"))
    .addOption(formatOption())
    .action(async (options) => {
      const { runVersion } = await import("../version_command.ts");
      await runVersion(ctx, options.format);
    });
}
