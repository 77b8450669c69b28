/**
 * Registers the workspace commands: `ext add`, `ext remove`, `ext install`, `ext update`,
 * `ext outdated`, `ext tree`.
 *
 * @module
 */

import type { Command } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { formatOption, globalOptions, sourceOption, typeOption } from "./options.ts";
import { declareGrants, referenceGrants, workspaceGrants } from "../command_grants.ts";

/** Adds the workspace commands to the `ext` command. */
export function registerWorkspaceCommands(ext: Command, ctx: CliContext): void {
  const add = ext
    .command("add")
    .description("add or change an extension in extensions.toml, then install and lock")
    .addHelpText(
      "after",
      examples(
        "provisioning ext add redis              # newest release, as ^X.Y.Z",
        "provisioning ext add redis@~1.4.0",
        "provisioning ext add oci://registry.example.com/platform/vault:1.2.0",
      ),
    )
    .argument("<target>", "NAME, NAME@SPEC or oci://REGISTRY/NAMESPACE/NAME[:TAG|@DIGEST]")
    .option("--version <spec>", "version spec or digest (instead of @SPEC)")
    .addOption(typeOption())
    .addOption(sourceOption())
    .addOption(formatOption())
    .action(async (target, options, command) => {
      const { runAdd } = await import("../ext_workspace.ts");
      await runAdd(ctx, globalOptions(command), target, options);
    });
  declareGrants(add, async (input) => {
    const reference = await referenceGrants(input.args[0], input.config);
    const workspace = await workspaceGrants(input, false);
    return { ...workspace, net: reference.net ?? [], run: reference.run ?? [] };
  });

  const remove = ext
    .command("remove")
    .description("drop an extension from extensions.toml and rewrite the lock")
    .addHelpText("after", examples("provisioning ext remove redis"))
    .argument("<name>", "extension name")
    .addOption(formatOption())
    .action(async (name, options, command) => {
      const { runRemove } = await import("../ext_workspace.ts");
      await runRemove(ctx, globalOptions(command), name, options.format);
    });
  declareGrants(remove, (input) => workspaceGrants(input, false));

  const install = ext
    .command("install")
    .description("resolve extensions.toml with its dependencies, load them, write extensions.lock")
    .addHelpText(
      "after",
      examples("provisioning ext install", "provisioning ext install --locked   # in CI"),
    )
    .option("--locked", "fail (exit 2) when the lock is missing or would change")
    .addOption(formatOption())
    .action(async (options, command) => {
      const { runInstall } = await import("../ext_workspace.ts");
      await runInstall(ctx, globalOptions(command), options);
    });
  declareGrants(install, (input) => workspaceGrants(input, true));

  const update = ext
    .command("update")
    .description("re-resolve extensions within their constraints and rewrite the lock")
    .addHelpText("after", examples("provisioning ext update", "provisioning ext update redis"))
    .argument("[names...]", "extensions to update (default: all)")
    .addOption(formatOption())
    .action(async (names, options, command) => {
      const { runInstall } = await import("../ext_workspace.ts");
      await runInstall(ctx, globalOptions(command), options, names.length > 0 ? names : true);
    });
  declareGrants(update, (input) => workspaceGrants(input, true));

  ext
    .command("outdated")
    .description("locked version, newest within the constraints, newest overall")
    .addHelpText(
      "after",
      examples("provisioning ext outdated", "provisioning ext outdated -o json"),
    )
    .addOption(formatOption())
    .action(async (options, command) => {
      const { runOutdated } = await import("../ext_workspace.ts");
      await runOutdated(ctx, globalOptions(command), options.format);
    });

  ext
    .command("tree")
    .description("the locked dependency graph, with who required what")
    .addHelpText("after", examples("provisioning ext tree"))
    .addOption(formatOption())
    .action(async (options, command) => {
      const { runTree } = await import("../ext_workspace.ts");
      await runTree(ctx, globalOptions(command), options.format);
    });
}
