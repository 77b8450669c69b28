/**
 * Registers `ext copy`.
 *
 * @module
 */

import type { Command } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { formatOption, globalOptions } from "./options.ts";
import { declareGrants, pathsOf, referenceGrants, registryGrant } from "../command_grants.ts";

/** Adds `ext copy` to the `ext` command. */
export function registerCopyCommand(ext: Command, ctx: CliContext): void {
  const copy = ext
    .command("copy")
    .description("copy an extension, digests and signatures kept, to a registry or an OCI layout")
    .addHelpText(
      "after",
      examples(
        "provisioning ext copy redis:1.2.0 oci-layout:./airgap --deps",
        "provisioning ext copy redis --from-oci-layout ./airgap oci://mirror.internal:5000/team",
        "provisioning ext copy oci://ghcr.io/acme/vault:1.0.0 registry.internal/platform",
      ),
    )
    .argument("<ref>", "NAME[:TAG], NAME@DIGEST or oci://REGISTRY/NAMESPACE/NAME[:TAG]")
    .argument("<dest>", "oci-layout:PATH, REGISTRY/NAMESPACE or REGISTRY/NAMESPACE/NAME:TAG")
    .option("--version <spec>", "version or spec to copy (default: latest)")
    .option("--from-oci-layout <dir>", "read the extension from this OCI layout")
    .option("--deps", "also copy its resolved dependencies, from the same registry or layout")
    .addOption(formatOption())
    .action(async (ref, dest, options, command) => {
      const { runCopy } = await import("../ext_copy.ts");
      await runCopy(ctx, globalOptions(command), ref, dest, options);
    });
  declareGrants(copy, async ({ args, options, config, cwd }) => {
    const dest = typeof args[1] === "string" ? args[1] : "";
    const layout = dest.startsWith("oci-layout:") ? pathsOf(cwd, dest.slice(11)) : [];
    const from = await referenceGrants(args[0], config);
    return {
      read: [...layout, ...pathsOf(cwd, options.fromOciLayout)],
      write: layout,
      net: [...(from.net ?? []), ...(layout.length > 0 ? [] : registryGrant(dest, config))],
    };
  });
}
