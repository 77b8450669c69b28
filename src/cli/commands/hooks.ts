/**
 * Registers `ext run` and `ext approve` (extension hooks).
 *
 * @module
 */

import type { Command } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { globalOptions, sourceOption, typeOption } from "./options.ts";
import { declareGrants } from "../command_grants.ts";
import { dirname } from "../../fs/path.ts";

/** Adds the hook commands to the `ext` command. */
export function registerHookCommands(ext: Command, ctx: CliContext): void {
  const run = ext
    .command("run")
    .description("run a hook of an extension in its sandbox, printing its JSON output")
    .addHelpText(
      "after",
      examples(
        "provisioning ext run aws render --input params.json",
        "printf '{}' | provisioning ext run aws validate --input - --version ^2.0.0",
      ),
    )
    .argument("<name>", "extension name")
    .argument("<hook>", "hook name (hooks: in its extension.yaml)")
    .option("--input <file>", "JSON input: a file, or - for stdin (default: {})")
    .option("--version <spec>", "version or spec: 1.2.3, ^1.2.0, ~1.2.0, 1.2.0-1.5.0, latest")
    .option("--approve", "run even though its permissions were never approved (this run only)")
    .addOption(sourceOption())
    .addOption(typeOption())
    .option("--offline", "use no network to load it: the best cached match, or sources on disk")
    .action(async (name, hook, options, command) => {
      const { runHookCommand } = await import("../ext_hooks.ts");
      await runHookCommand(ctx, globalOptions(command), name, hook, options);
    });
  declareGrants(run, async (input) => {
    const { hookGrants } = await import("../hook_grants.ts");
    return await hookGrants(input);
  });

  const approve = ext
    .command("approve")
    .description("approve the permissions an extension's hooks ask for (saved in the user config)")
    .addHelpText(
      "after",
      examples("provisioning ext approve aws", "provisioning ext approve aws --version 2.1.0"),
    )
    .argument("<name>", "extension name")
    .option("--version <spec>", "version or spec whose permissions to approve (default: latest)")
    .addOption(sourceOption())
    .addOption(typeOption())
    .option("--offline", "use no network to load it: the best cached match, or sources on disk")
    .action(async (name, options, command) => {
      const { runApproveCommand } = await import("../ext_hooks.ts");
      await runApproveCommand(ctx, globalOptions(command), name, options);
    });
  declareGrants(approve, ({ config }) => {
    // The consent is saved in the user config, replaced through a temporary file beside it.
    const user = config.files.find((file) => file.kind === "user");
    return user === undefined ? {} : { read: [dirname(user.path)], write: [dirname(user.path)] };
  });
}
