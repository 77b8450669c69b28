/**
 * How `--help` reads: every subcommand lists the global flags it honours ("Global Options:"),
 * the root lists `-V, --version` (handled before parsing, see `rootVersionArgv`), and a
 * command can end its help with a few "Examples:" lines.
 *
 * @module
 */

import { Help, Option } from "@commander-js/extra-typings";

/** What `Command.configureHelp` takes. */
type HelpConfiguration = Partial<Help>;

/** The root's `--version`, shown in its help (parsed by `rootVersionArgv`, not Commander). */
const VERSION_OPTION = new Option("-V, --version", "print the version (same as `version`)");

/**
 * Configures the help of `program` and of every command added to it afterwards: global
 * options shown in each subcommand's help, `-V, --version` in the root's.
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { configureHelp } from "./help.ts";
 * import assert from "node:assert/strict";
 *
 * const program = configureHelp(new Command("tool").option("--debug", "more output"));
 * const sub = program.command("run");
 * assert.match(sub.helpInformation(), /Global Options:\n\s+--debug/);
 * assert.match(program.helpInformation(), /-V, --version/);
 * ```
 *
 * @param program The root command, before its subcommands are added.
 * @returns The same command.
 */
export function configureHelp<
  T extends { configureHelp(configuration: HelpConfiguration): unknown },
>(
  program: T,
): T {
  program.configureHelp({
    showGlobalOptions: true,
    visibleOptions(this: Help, cmd) {
      const options = Help.prototype.visibleOptions.call(this, cmd);
      if (cmd.parent === null) options.splice(options.length - 1, 0, VERSION_OPTION);
      return options;
    },
  });
  return program;
}

/**
 * Ends the help of `command` with an "Examples:" section.
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { withExamples } from "./help.ts";
 * import assert from "node:assert/strict";
 *
 * let text = "";
 * const cmd = withExamples(new Command("tool"), ["tool run"]);
 * cmd.configureOutput({ writeOut: (t) => text += t }).outputHelp();
 * assert.match(text, /Examples:\n  tool run\n/);
 * ```
 *
 * @param command The command.
 * @param lines One to three command lines.
 * @returns The same command.
 */
export function withExamples<T extends { addHelpText(position: "after", text: string): unknown }>(
  command: T,
  lines: readonly string[],
): T {
  command.addHelpText("after", `\nExamples:\n${lines.map((line) => `  ${line}\n`).join("")}`);
  return command;
}
