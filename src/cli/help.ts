/**
 * How `--help` reads beyond the parser's layout: the root lists `-V, --version` (handled
 * before parsing, see `rootVersionArgv`), and a command can end its help with a few
 * "Examples:" lines.
 *
 * @module
 */

import { type Command, Option } from "./parser/command.ts";

/** The root's `--version`, shown in its help (parsed by `rootVersionArgv`, before the parser). */
const VERSION_OPTION = new Option("-V, --version", "print the version (same as `version`)");

/**
 * Adds `-V, --version` to the root's help (`rootVersionArgv` parses it, before the parser);
 * every subcommand's help lists the global options it honours already.
 *
 * @example
 * ```ts
 * import { Command } from "./parser/command.ts";
 * import { configureHelp } from "./help.ts";
 * import assert from "node:assert/strict";
 *
 * const program = configureHelp(new Command("tool").option("--debug", "more output"));
 * const sub = program.command("run");
 * assert.match(sub.helpInformation(), /Global Options:\n\s+--debug/);
 * assert.match(program.helpInformation(), /-V, --version/);
 * ```
 *
 * @param program The root command.
 * @returns The same command.
 */
export function configureHelp(program: Command): Command {
  return program.addHelpOnlyOption(VERSION_OPTION);
}

/**
 * An "Examples:" section for `command.addHelpText("after", …)`.
 *
 * @example
 * ```ts
 * import { Command } from "./parser/command.ts";
 * import { examples } from "./help.ts";
 * import assert from "node:assert/strict";
 *
 * const cmd = new Command("tool").addHelpText("after", examples("tool run"));
 * const text = cmd.helpInformation() + cmd.helpAfter.join("");
 * assert.match(text, /Examples:\n  tool run\n/);
 * ```
 *
 * @param lines One to three command lines.
 * @returns The section's text.
 */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  ${line}\n`).join("")}`;
}
