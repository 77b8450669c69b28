/**
 * Registers `ext list`, `ext info`, `ext versions`, `ext search` and `ext discover`.
 *
 * @module
 */

import { type Command, Option } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { choiceOption, CLI_SOURCES, formatOption, globalOptions, typeOption } from "./options.ts";
import { declareGrants, referenceGrants } from "../command_grants.ts";

/** `-s, --source` (every source; the same choices as `ext load`) (default: `[extensions] source_type`). */
const discoverySourceOption = () =>
  choiceOption(
    "-s, --source <source>",
    "where to look: auto = every source (default: extensions.source_type)",
    CLI_SOURCES,
  );

/** `--refresh`: bypass the discovery cache. */
const refreshOption = () =>
  new Option("--refresh", "ask the sources again instead of using the discovery cache");

/** Adds the discovery commands to the `ext` command. */
export function registerDiscoveryCommands(ext: Command, ctx: CliContext): void {
  ext
    .command("list")
    .description("list available extensions (highest version of each, per source)")
    .addHelpText(
      "after",
      examples(
        "provisioning ext list",
        "provisioning ext list -t taskserv -o json",
        "provisioning ext list -s oci --refresh",
      ),
    )
    .addOption(discoverySourceOption())
    .addOption(typeOption())
    .addOption(formatOption())
    .addOption(refreshOption())
    .action(async (options, command) => {
      const { runList } = await import("../ext_read.ts");
      await runList(ctx, globalOptions(command), options);
    });

  ext
    .command("search")
    .description("find extensions by name (also fuzzy), type or description, best first")
    .addHelpText(
      "after",
      examples("provisioning ext search kube", "provisioning ext search database -t taskserv"),
    )
    .argument("<query>", "words to look for")
    .addOption(discoverySourceOption())
    .addOption(typeOption())
    .addOption(formatOption())
    .addOption(refreshOption())
    .action(async (query, options, command) => {
      const { runSearch } = await import("../ext_search.ts");
      await runSearch(ctx, globalOptions(command), query, options);
    });

  ext
    .command("discover")
    .description("discover the extensions of every source, with a summary per source")
    .addHelpText(
      "after",
      examples("provisioning ext discover", "provisioning ext discover -s oci -o json"),
    )
    .addOption(discoverySourceOption())
    .addOption(typeOption())
    .addOption(formatOption())
    .addOption(refreshOption())
    .action(async (options, command) => {
      const { runDiscover } = await import("../ext_search.ts");
      await runDiscover(ctx, globalOptions(command), options);
    });

  const info = ext
    .command("info")
    .description("show an extension's manifest, versions, digest and where it would load from")
    .addHelpText(
      "after",
      examples(
        "provisioning ext info kubernetes",
        "provisioning ext info redis --version ^1.0.0 -o json",
      ),
    )
    .argument("<name>", "extension name")
    .option("--version <spec>", "version or spec (default: latest)")
    .addOption(discoverySourceOption())
    .addOption(typeOption())
    .addOption(formatOption())
    .addOption(refreshOption())
    .action(async (name, options, command) => {
      const { runInfo } = await import("../ext_read.ts");
      await runInfo(ctx, globalOptions(command), name, options);
    });
  declareGrants(info, ({ args, config }) => referenceGrants(args[0], config));

  const versions = ext
    .command("versions")
    .description("list the versions of an extension, highest first")
    .addHelpText(
      "after",
      examples(
        "provisioning ext versions kubernetes",
        "provisioning ext versions redis -s oci -o json",
      ),
    )
    .argument("<name>", "extension name")
    .addOption(discoverySourceOption())
    .addOption(typeOption())
    .addOption(formatOption())
    .addOption(refreshOption())
    .action(async (name, options, command) => {
      const { runVersions } = await import("../ext_read.ts");
      await runVersions(ctx, globalOptions(command), name, options);
    });
  declareGrants(versions, ({ args, config }) => referenceGrants(args[0], config));
}
