/**
 * A command's help, laid out as Commander lays it out (the CLI's help read the same before
 * and after the parser changed): usage, description, arguments, options, the global options
 * it honours, subcommands, each description wrapped at 80 columns beside its term.
 *
 * @module
 */

import { type Command, HELP_COMMAND, type Option } from "./command.ts";

const WIDTH = 80;
/** Below this many columns for descriptions, they are not wrapped (Commander's rule). */
const MIN_WRAP = 40;

/** A row of a help section. */
interface Row {
  term: string;
  description: string;
}

/** Rows of the "Options:" section. */
function optionRows(command: Command): Row[] {
  return command.visibleOptions().map(optionRow);
}

/** Rows of the "Commands:" section (with `help [command]` when it has any subcommand). */
function commandRows(command: Command): Row[] {
  if (command.commands.length === 0) return [];
  return [
    ...command.visibleCommands().map((c) => ({
      term: subcommandTerm(c),
      description: c.description(),
    })),
    { term: `${HELP_COMMAND.name} [command]`, description: HELP_COMMAND.description },
  ];
}

function optionRow(option: Option): Row {
  const shownDefault = option.negate ? undefined : option.defaultValue;
  return {
    term: option.flags,
    description: withExtra(option.description, option.argChoices, shownDefault),
  };
}

/** `description (choices: "a", "b", default: "a")`. */
function withExtra(
  description: string,
  choices: readonly string[] | undefined,
  defaultValue: unknown,
): string {
  const extra: string[] = [];
  if (choices !== undefined) {
    extra.push(`choices: ${choices.map((c) => JSON.stringify(c)).join(", ")}`);
  }
  if (defaultValue !== undefined) extra.push(`default: ${JSON.stringify(defaultValue)}`);
  return extra.length === 0 ? description : `${description} (${extra.join(", ")})`.trimStart();
}

function argumentTerm(command: Command): string {
  return command.registeredArguments.map((a) => {
    const name = `${a.name}${a.variadic ? "..." : ""}`;
    return a.required ? `<${name}>` : `[${name}]`;
  }).join(" ");
}

function subcommandTerm(command: Command): string {
  const args = argumentTerm(command);
  return `${command.name()}${command.options.length > 0 ? " [options]" : ""}${
    args === "" ? "" : ` ${args}`
  }`;
}

function usage(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  const args = argumentTerm(command);
  return [...names, "[options]", ...(command.commands.length > 0 ? ["[command]"] : []), args]
    .filter((part) => part !== "").join(" ");
}

/** Words of `text` wrapped to `width` columns (each line's own breaks kept). */
function wrap(text: string, width: number): string {
  return text.split("\n").map((line) => {
    const chunks = line.match(/\s*\S+/g);
    if (chunks === null) return "";
    const lines: string[] = [];
    let current = chunks.shift()!;
    for (const chunk of chunks) {
      if (current.length + chunk.length <= width) current += chunk;
      else {
        lines.push(current);
        current = chunk.trimStart();
      }
    }
    lines.push(current);
    return lines.join("\n");
  }).join("\n");
}

function section(title: string, rows: Row[], termWidth: number): string[] {
  if (rows.length === 0) return [];
  const room = WIDTH - termWidth - 4;
  const items = rows.map(({ term, description }) => {
    if (description === "") return `  ${term}`;
    const text = room < MIN_WRAP
      ? description
      : wrap(description, room).replaceAll("\n", `\n${" ".repeat(termWidth + 4)}`);
    return `  ${term.padEnd(termWidth)}  ${text}`;
  });
  return [`${title}:`, ...items, ""];
}

/**
 * The help of `command` (without the text added after it).
 *
 * @example
 * ```ts
 * import { Command } from "./command.ts";
 * import { helpText } from "./help_text.ts";
 * import assert from "node:assert/strict";
 *
 * const program = new Command("tool").option("--debug", "more output");
 * const load = program.command("load").description("load one").argument("<name>", "its name");
 * assert.equal(
 *   helpText(load),
 *   "Usage: tool load [options] <name>\n\nload one\n\nArguments:\n  name        its name\n\n" +
 *     "Options:\n  -h, --help  display help for command\n\n" +
 *     "Global Options:\n  --debug     more output\n",
 * );
 * ```
 *
 * @param command A command.
 * @returns Its help text.
 */
export function helpText(command: Command): string {
  const args = command.registeredArguments.some((a) => a.description !== "")
    ? command.registeredArguments.map((a) => ({
      term: a.name,
      description: withExtra(a.description, a.argChoices, undefined),
    }))
    : [];
  const options = optionRows(command);
  const globals: Row[] = [];
  for (let c = command.parent; c !== null; c = c.parent) {
    globals.push(...c.options.filter((o) => !o.hidden).map(optionRow));
  }
  const commands = commandRows(command);
  const termWidth = Math.max(
    ...[...args, ...options, ...globals, ...commands].map((r) => r.term.length),
  );
  const description = command.description();
  return [
    `Usage: ${usage(command)}`,
    "",
    ...(description === "" ? [] : [wrap(description, WIDTH), ""]),
    ...section("Arguments", args, termWidth),
    ...section("Options", options, termWidth),
    ...section("Global Options", globals, termWidth),
    ...section("Commands", commands, termWidth),
  ].join("\n");
}
