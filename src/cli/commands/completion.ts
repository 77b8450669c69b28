/**
 * Registers `provisioning completion bash|zsh|fish` and the hidden `__complete-names` the
 * scripts call for extension names.
 *
 * @module
 */

import { Argument, type Command } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { globalOptions } from "./options.ts";

/** The shells of `completion` (the same list as `COMPLETION_SHELLS`, which a test checks). */
const SHELLS = ["bash", "zsh", "fish"] as const;

/** Adds `completion` and `__complete-names` to the top-level program. */
export function registerCompletionCommands(program: Command, ctx: CliContext): void {
  program
    .command("completion")
    .description("print a shell completion script (bash, zsh or fish)")
    .addHelpText(
      "after",
      examples(
        "source <(provisioning completion bash)",
        'provisioning completion zsh > "${fpath[1]}/_provisioning"',
        "provisioning completion fish | source",
      ),
    )
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .action(async (shell, _options, command) => {
      const [{ completionSpec }, { completionScript }] = await Promise.all([
        import("../completion_spec.ts"),
        import("../completion_shells.ts"),
      ]);
      const root = command.parent as Command;
      ctx.out(completionScript(shell, completionSpec(root)));
    });

  program
    .command("__complete-names", { hidden: true })
    .description("extension names in the discovery cache, for completion scripts")
    .action(async (_options, command) => {
      const { runCompleteNames } = await import("../completion_names.ts");
      await runCompleteNames(ctx, globalOptions(command));
    });
}
