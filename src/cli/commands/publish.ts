/**
 * Registers `ext publish` and `ext delete`.
 *
 * @module
 */

import type { Command } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { forceOption, formatOption, globalOptions } from "./options.ts";
import { declareGrants, pathsOf, registryGrant } from "../command_grants.ts";
import type { ResolvedConfig } from "../../config/types.ts";

/** Adds the publishing commands to the `ext` command. */
export function registerPublishCommands(ext: Command, ctx: CliContext): void {
  const publish = ext
    .command("publish")
    .description("validate, package and push an extension directory to the OCI registry")
    .addHelpText(
      "after",
      examples(
        "provisioning ext publish ./redis",
        "provisioning ext publish ./redis oci://registry.internal:5000/platform --version 1.2.4 -f",
        "provisioning ext publish ./redis --sign --key cosign.key",
      ),
    )
    .argument("<dir>", "extension directory (holding extension.yaml)")
    .argument(
      "[destination]",
      "[oci://]REGISTRY[/NAMESPACE] to push to, as helm push names it (default: [oci])",
    )
    .option("--version <version>", "publish as this version (default: the manifest's)")
    .addOption(forceOption("overwrite the version if it is already published"))
    .option("--dry-run", "validate and package only; show what would be pushed")
    .option("--max-file-size <bytes>", "refuse files larger than this (default 104857600)")
    .option("--sign", "sign the published artifact with --key (cosign-compatible)")
    .option("--key <file>", "cosign private key for --sign (password from COSIGN_PASSWORD)")
    .addOption(formatOption())
    .action(async (dir, destination, options, command) => {
      const { runPublish } = await import("../ext_publish.ts");
      await runPublish(ctx, globalOptions(command), dir, options, destination);
    });
  declareGrants(publish, async ({ args, options, cwd, config }) => ({
    read: pathsOf(cwd, args[0], options.key),
    net: await writeTargetGrant(config, args[1]),
  }));

  const remove = ext
    .command("delete")
    .description("delete a published version from the OCI registry")
    .addHelpText(
      "after",
      examples(
        "provisioning ext delete redis 1.2.3",
        "provisioning ext delete redis 1.2.3 -f -o json",
        "provisioning ext delete oci://registry.internal:5000/platform/redis 1.2.3",
      ),
    )
    .argument("<name>", "extension name, or [oci://]REGISTRY/NAMESPACE/NAME")
    .argument("<version>", "exact version")
    .addOption(forceOption("do not ask for confirmation"))
    .addOption(formatOption())
    .action(async (name, version, options, command) => {
      const { runDelete } = await import("../ext_publish.ts");
      await runDelete(ctx, globalOptions(command), name, version, options);
    });
  declareGrants(remove, async ({ args, config }) => ({
    net: await writeTargetGrant(config, args[0], args[1]),
  }));
}

/**
 * The host a write names on the command line (a publish destination, or a delete's
 * `REGISTRY/NAMESPACE/NAME`), to be granted; none for a listed registry (the plan has those
 * already) or for what does not parse (the command reports it).
 */
async function writeTargetGrant(
  config: ResolvedConfig,
  typed: unknown,
  version?: unknown,
): Promise<string[]> {
  if (typeof typed !== "string") return [];
  const { parseDeleteTarget, parsePublishDestination } = await import(
    "../../publish/write_target.ts"
  );
  const { registryOfName } = await import("../../config/picked_registry.ts");
  try {
    const target = version === undefined
      ? parsePublishDestination(typed)
      : parseDeleteTarget(typed, String(version)).target;
    if (target === undefined) return [];
    const listed = config.settings.oci.registries;
    const host = registryOfName(target.registry, listed);
    if (listed.some((entry) => entry.registry.toLowerCase() === host.toLowerCase())) return [];
    return registryGrant(host, config);
  } catch {
    return [];
  }
}
