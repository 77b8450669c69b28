/**
 * Registers `ext publish` and `ext delete`.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { forceOption, formatOption, globalOptions } from "./options.ts";
import { declareGrants, pathsOf } from "../command_grants.ts";

/** Adds the publishing commands to the `ext` command. */
export function registerPublishCommands(ext: Command, ctx: CliContext): void {
  const publish = ext
    .command("publish")
    .description("validate, package and push an extension directory to the OCI registry")
    .addHelpText(
      "after",
      examples(
        "provisioning ext publish ./redis",
        "provisioning ext publish ./redis --version 1.2.4 -f",
        "provisioning ext publish ./redis --sign --key cosign.key",
      ),
    )
    .argument("<dir>", "extension directory (holding extension.yaml)")
    .option("--version <version>", "publish as this version (default: the manifest's)")
    .addOption(forceOption("overwrite the version if it is already published"))
    .option("--dry-run", "validate and package only; show what would be pushed")
    .option("--max-file-size <bytes>", "refuse files larger than this (default 104857600)")
    .option("--sign", "sign the published artifact with --key (cosign-compatible)")
    .option("--key <file>", "cosign private key for --sign (password from COSIGN_PASSWORD)")
    .addOption(formatOption())
    .action(async (dir, options, command) => {
      const { runPublish } = await import("../ext_publish.ts");
      await runPublish(ctx, globalOptions(command), dir, options);
    });
  declareGrants(publish, ({ args, options, cwd }) => ({
    read: pathsOf(cwd, args[0], options.key),
  }));

  ext
    .command("delete")
    .description("delete a published version from the OCI registry")
    .addHelpText(
      "after",
      examples(
        "provisioning ext delete redis 1.2.3",
        "provisioning ext delete redis 1.2.3 -f -o json",
      ),
    )
    .argument("<name>", "extension name")
    .argument("<version>", "exact version")
    .addOption(forceOption("do not ask for confirmation"))
    .addOption(formatOption())
    .action(async (name, version, options, command) => {
      const { runDelete } = await import("../ext_publish.ts");
      await runDelete(ctx, globalOptions(command), name, version, options);
    });
}
