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
 * An "Examples:" section for `command.addHelpText("after", …)`.
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { examples } from "./help.ts";
 * import assert from "node:assert/strict";
 *
 * let text = "";
 * const cmd = new Command("tool").addHelpText("after", examples("tool run"));
 * cmd.configureOutput({ writeOut: (t) => text += t }).outputHelp();
 * assert.match(text, /Examples:\n  tool run\n/);
 * ```
 *
 * @param lines One to three command lines.
 * @returns The section's text.
 */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  ${line}\n`).join("")}`;
}

/** The part of a command the help rewrite walks: its subcommands and its options. */
interface HelpTree {
  readonly commands: readonly HelpTree[];
  readonly options: readonly { long?: string; short?: string; required: boolean }[];
  name(): string;
}

/**
 * `argv` with `help WORDS…` (at the root or in a group such as `ext`) turned into
 * `WORDS… --help`, so `provisioning help ext load` shows the help of `ext load` (Commander's
 * own help command looks one word deep only).
 *
 * @example
 * ```ts
 * import { Command } from "@commander-js/extra-typings";
 * import { helpCommandArgv } from "./help.ts";
 * import assert from "node:assert/strict";
 *
 * const program = new Command("tool").option("--registry <host>");
 * program.command("ext").command("load");
 * assert.deepEqual(helpCommandArgv(program, ["help", "ext", "load"]), ["ext", "load", "--help"]);
 * assert.deepEqual(helpCommandArgv(program, ["--registry", "r", "ext", "help", "load"]), [
 *   "--registry", "r", "ext", "load", "--help",
 * ]);
 * assert.deepEqual(helpCommandArgv(program, ["help"]), ["help"]);
 * ```
 *
 * @param program The root command.
 * @param argv Arguments after the program name.
 * @returns The arguments to parse.
 */
export function helpCommandArgv(program: HelpTree, argv: readonly string[]): string[] {
  let cmd = program;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("-")) {
      if (cmd.options.some((o) => (o.long === arg || o.short === arg) && o.required)) i++;
      continue;
    }
    if (arg === "help" && cmd.commands.length > 0 && i + 1 < argv.length) {
      return [...argv.slice(0, i), ...argv.slice(i + 1), "--help"];
    }
    const sub = cmd.commands.find((c) => c.name() === arg);
    if (sub === undefined) break;
    cmd = sub;
  }
  return [...argv];
}
