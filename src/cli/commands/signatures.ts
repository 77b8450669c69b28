/**
 * Registers `ext key generate`, `ext sign` and `ext verify`.
 *
 * @module
 */

import { type Command, Option } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { forceOption, formatOption, globalOptions } from "./options.ts";
import { declareGrants, pathsOf, referenceGrants } from "../command_grants.ts";
import { dirname } from "../../fs/path.ts";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds the signing commands to the `ext` command. */
export function registerSignatureCommands(ext: Command, ctx: CliContext): void {
  const key = ext.command("key").description("manage signing keys (cosign's formats)")
    .addHelpText("after", examples("provisioning ext key generate"));
  const generate = key
    .command("generate")
    .description("write a new key pair: P.key (encrypted, 0600) and P.pub")
    .addHelpText(
      "after",
      examples(
        "provisioning ext key generate",
        "provisioning ext key generate --output-key-prefix ~/.provisioning/team",
      ),
    )
    .option("--output-key-prefix <prefix>", "write <prefix>.key and <prefix>.pub (default cosign)")
    .addOption(forceOption("replace existing key files"))
    .addOption(formatOption())
    .action(async (options) => {
      const { runKeyGenerate } = await import("../ext_signatures.ts");
      await runKeyGenerate(ctx, options);
    });
  declareGrants(generate, ({ options, cwd }) => {
    // P.key and P.pub are replaced through a temporary file in their folder.
    const prefix = pathsOf(cwd, options.outputKeyPrefix ?? "cosign")[0]!;
    return { read: [dirname(prefix)], write: [dirname(prefix)] };
  });

  const sign = ext
    .command("sign")
    .description("sign a published extension (cosign-compatible, stored at sha256-<hex>.sig)")
    .addHelpText(
      "after",
      examples(
        "provisioning ext sign redis:1.2.3 --key cosign.key",
        "provisioning ext sign oci://ghcr.io/acme/exts/redis@sha256:… --key cosign.key",
      ),
    )
    .argument("<ref>", "extension reference (NAME:TAG, NS/NAME@sha256:…, oci://…)")
    .requiredOption("--key <file>", "cosign private key (password from COSIGN_PASSWORD or prompt)")
    .option("--version <version>", "version or digest, when the reference names none")
    .addOption(
      new Option("-a, --annotation <key=value>", "annotation signed into the payload (repeat)")
        .argParser(collect),
    )
    .addOption(formatOption())
    .action(async (ref, options, command) => {
      const { runSign } = await import("../ext_signatures.ts");
      await runSign(ctx, globalOptions(command), ref, options);
    });
  declareGrants(sign, async ({ args, options, config, cwd }) => ({
    ...await referenceGrants(args[0], config),
    read: pathsOf(cwd, options.key),
  }));

  const verify = ext
    .command("verify")
    .description("verify an extension's cosign signature (exit 5 when unsigned or invalid)")
    .addHelpText(
      "after",
      examples(
        "provisioning ext verify redis:1.2.3 --key cosign.pub",
        "provisioning ext verify redis:1.2.3 -o json   # keys from [[signatures.trust]]",
      ),
    )
    .argument("<ref>", "extension reference (NAME:TAG, NS/NAME@sha256:…, oci://…)")
    .addOption(
      new Option("--key <file>", "trusted public key (repeat; default [[signatures.trust]])")
        .argParser(collect),
    )
    .option("--version <version>", "version or digest, when the reference names none")
    .addOption(formatOption())
    .action(async (ref, options, command) => {
      const { runVerify } = await import("../ext_signatures.ts");
      await runVerify(ctx, globalOptions(command), ref, options);
    });
  declareGrants(verify, async ({ args, options, config, cwd }) => ({
    ...await referenceGrants(args[0], config),
    read: pathsOf(cwd, options.key),
  }));
}
