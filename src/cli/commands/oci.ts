/**
 * Registers `ext test-oci`, `ext login` and `ext logout`.
 *
 * @module
 */

import type { Command } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { formatOption, globalOptions } from "./options.ts";
import { declareGrants, realmGrants, registryGrant } from "../command_grants.ts";

/** Adds the registry commands to the `ext` command. */
export function registerOciCommands(ext: Command, ctx: CliContext): void {
  ext
    .command("test-oci")
    .description("check that the OCI registry answers and accepts our credentials")
    .addHelpText(
      "after",
      examples("provisioning ext test-oci", "provisioning --registry ghcr.io ext test-oci -o json"),
    )
    .addOption(formatOption())
    .action(async (options, command) => {
      const { runTestOci } = await import("../ext_oci.ts");
      await runTestOci(ctx, globalOptions(command), options);
    });

  const login = ext
    .command("login")
    .description("check credentials for a registry and store them in ~/.provisioning")
    .addHelpText(
      "after",
      examples(
        "printf '%s' \"$TOKEN\" | provisioning ext login ghcr.io -u USER --password-stdin",
        "provisioning ext login localhost:5000 -u admin",
      ),
    )
    .argument("<registry>", "registry host[:port]")
    .requiredOption("-u, --username <user>", "user name")
    .option("--password-stdin", "read the password or token from stdin (safest)")
    .option("-p, --password <password>", "the password or token (visible to other processes)")
    .action(async (registry, options, command) => {
      const { runLogin } = await import("../ext_oci.ts");
      await runLogin(ctx, globalOptions(command), registry, options);
    });
  declareGrants(login, async ({ args, config, home }) => ({
    net: [...registryGrant(args[0], config), ...await realmGrants(args[0], config, home)],
  }));

  ext
    .command("logout")
    .description("remove the stored credentials of a registry")
    .addHelpText("after", examples("provisioning ext logout ghcr.io"))
    .argument("<registry>", "registry host[:port]")
    .action(async (registry, _options, command) => {
      const { runLogout } = await import("../ext_oci.ts");
      await runLogout(ctx, globalOptions(command), registry);
    });
}
