/**
 * Registers `ext cache list|stats|clear|prune`.
 *
 * @module
 */

import { type Command, InvalidArgumentError, Option } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { forceOption, formatOption, globalOptions, typeOption } from "./options.ts";

/** Parses a whole number ≥ 0 (`--keep`). */
function wholeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError("expected a whole number (0 or more)");
  }
  return n;
}

/** Parses a number ≥ 0 (`--days`, fractions allowed). */
function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError("expected a number of days (0 or more)");
  }
  return n;
}

/**
 * Adds `cache` and its subcommands (`list`, `stats`, `clear`, `prune`) to the `ext` command.
 *
 * @example
 * ```ts ignore
 * registerCacheCommands(program.command("ext"), processContext());
 * ```
 *
 * @param ext The `ext` command.
 * @param ctx Output streams and environment.
 */
export function registerCacheCommands(ext: Command, ctx: CliContext): void {
  const cache = ext.command("cache").description("look at and tidy the extension cache")
    .addHelpText("after", examples("provisioning ext cache list", "provisioning ext cache prune"));

  cache
    .command("list")
    .description("list cached extensions")
    .addHelpText(
      "after",
      examples("provisioning ext cache list", "provisioning ext cache list -t taskserv -o json"),
    )
    .addOption(typeOption())
    .option("--name <name>", "only this extension")
    .addOption(formatOption())
    .action(async (options, command) => {
      const { runCacheList } = await import("../ext_cache.ts");
      await runCacheList(ctx, globalOptions(command), options);
    });

  cache
    .command("stats")
    .description("entries, sizes per type, blobs, oldest and newest use")
    .addHelpText(
      "after",
      examples("provisioning ext cache stats", "provisioning ext cache stats -o json"),
    )
    .addOption(formatOption())
    .action(async (options, command) => {
      const { runCacheStats } = await import("../ext_cache.ts");
      await runCacheStats(ctx, globalOptions(command), options);
    });

  cache
    .command("clear")
    .description("remove cached extensions: --type and/or --name, or --all")
    .addHelpText(
      "after",
      examples(
        "provisioning ext cache clear --name redis",
        "provisioning ext cache clear -t provider",
        "provisioning ext cache clear --all --force",
      ),
    )
    .addOption(typeOption())
    .option("--name <name>", "only this extension")
    .option("--all", "remove everything (asks first on a terminal)")
    .addOption(forceOption("with --all: do not ask for confirmation"))
    .addOption(formatOption())
    .action(async (options, command) => {
      const { runCacheClear } = await import("../ext_cache.ts");
      await runCacheClear(ctx, globalOptions(command), options);
    });

  cache
    .command("prune")
    .description(
      "remove entries unused for --days N and beyond the --keep N newest versions " +
        "(default: [cache] max_age_days / max_size)",
    )
    .addHelpText(
      "after",
      examples(
        "provisioning ext cache prune --days 30 --dry-run",
        "provisioning ext cache prune --keep 2",
      ),
    )
    .addOption(
      new Option("--days <n>", "remove entries not used for N days").argParser(nonNegative),
    )
    .addOption(
      new Option("--keep <n>", "keep the N highest versions of each extension").argParser(
        wholeNumber,
      ),
    )
    .option("--dry-run", "show what would be removed")
    .addOption(formatOption())
    .action(async (options, command) => {
      const { runCachePrune } = await import("../ext_cache.ts");
      await runCachePrune(ctx, globalOptions(command), options);
    });
}
