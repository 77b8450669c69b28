/**
 * The command tree as completion data: every command path with its subcommands, flags, flag
 * values and positional arguments, read from the command tree itself, so a shell script
 * generated from it can never disagree with what the CLI parses.
 *
 * @module
 */

import { type Command, HELP_COMMAND, type Option } from "./parser/command.ts";

/**
 * Values computed when completing: `names` = extension names from the discovery cache
 * (`provisioning __complete-names`), `dirs` / `files` = the shell's own path completion.
 */
export type DynamicValues = "names" | "dirs" | "files";

/** What a flag or argument completes to: fixed choices, or values computed on the spot. */
export interface CompletionValues {
  /** Fixed choices (`--type provider|taskserv|cluster`). */
  choices?: readonly string[];
  /** Values the script computes. */
  dynamic?: DynamicValues;
}

/** One flag of a command (its own or a global one it honours). */
export interface CompletionFlag extends CompletionValues {
  /** `--type`, `-t`: every spelling. */
  names: readonly string[];
  /** Help text. */
  description: string;
  /** Whether a value follows the flag. */
  takesValue: boolean;
}

/** One command path (`""` for the root, `"ext load"`). */
export interface CompletionNode {
  /** Command words joined by a space. */
  path: string;
  /** Subcommands (with their descriptions). */
  commands: readonly { name: string; description: string }[];
  /** Its flags and the global flags of its parents. */
  flags: readonly CompletionFlag[];
  /** Its positional arguments, in order; the last may repeat. */
  arguments: readonly (CompletionValues & { name: string; variadic: boolean })[];
}

/** Argument names whose values come from somewhere (the rest complete to nothing). */
const ARGUMENT_VALUES: Readonly<Record<string, CompletionValues>> = {
  name: { dynamic: "names" },
  query: { dynamic: "names" },
  dir: { dynamic: "dirs" },
};

/** Flags whose values come from somewhere besides their `.choices()`. */
const FLAG_VALUES: Readonly<Record<string, CompletionValues>> = {
  "--name": { dynamic: "names" },
  "--cache-dir": { dynamic: "dirs" },
};

/**
 * Every command path of `program` (depth first, root first), skipping hidden commands and
 * flags.
 *
 * @example
 * ```ts
 * import { Command, Option } from "./parser/command.ts";
 * import { completionSpec } from "./completion_spec.ts";
 * import assert from "node:assert/strict";
 *
 * const program = new Command("tool").option("--debug", "more");
 * program.command("load").argument("<name>")
 *   .addOption(new Option("-t, --type <type>").choices(["a", "b"]));
 * const [root, load] = completionSpec(program);
 * assert.deepEqual(root!.commands.map((c) => c.name), ["load", "help"]);
 * assert.equal(load!.path, "load");
 * assert.deepEqual(load!.flags.find((f) => f.names.includes("-t"))?.choices, ["a", "b"]);
 * assert.ok(load!.flags.some((f) => f.names.includes("--debug")));
 * assert.equal(load!.arguments[0]?.dynamic, "names");
 * ```
 *
 * @param program The root command.
 * @returns One node per command path.
 */
export function completionSpec(program: Command): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const walk = (cmd: Command, path: string[], inherited: CompletionFlag[]) => {
    const own = cmd.visibleOptions().map(flagOf);
    const flags = [...own, ...inherited.filter((f) => !own.some((o) => sameFlag(o, f)))];
    const commands = cmd.visibleCommands();
    nodes.push({
      path: path.join(" "),
      commands: [
        ...commands.map((c) => ({ name: c.name(), description: c.description() })),
        ...(cmd.commands.length > 0 ? [HELP_COMMAND] : []),
      ],
      flags,
      arguments: cmd.registeredArguments.map((a) => ({
        name: a.name,
        variadic: a.variadic,
        ...(a.argChoices === undefined ? ARGUMENT_VALUES[a.name] : { choices: a.argChoices }),
      })),
    });
    // Globals: the options this command parses reach its subcommands (not -h, which each
    // has, nor the root's -V, which only the root reads).
    const passed = cmd.options.filter((o) => !o.hidden).map(flagOf);
    for (const sub of commands) walk(sub, [...path, sub.name()], [...passed, ...inherited]);
    if (cmd.commands.length > 0) {
      nodes.push({ path: [...path, "help"].join(" "), commands: [], flags: [], arguments: [] });
    }
  };
  walk(program, [], []);
  return nodes;
}

function flagOf(option: Option): CompletionFlag {
  const names = [option.short, option.long].filter((n): n is string => n !== undefined);
  const takesValue = option.required || option.optional;
  const values = option.argChoices !== undefined
    ? { choices: option.argChoices }
    : takesValue
    ? FLAG_VALUES[option.long ?? ""] ?? {}
    : {};
  return { names, description: option.description, takesValue, ...values };
}

function sameFlag(a: CompletionFlag, b: CompletionFlag): boolean {
  return a.names.some((n) => b.names.includes(n));
}

/**
 * Every flag spelling in `nodes` that takes a value, so a script walking the words typed
 * skips each value.
 *
 * @example
 * ```ts
 * import { valueFlags } from "./completion_spec.ts";
 * import assert from "node:assert/strict";
 *
 * const flag = { names: ["-t", "--type"], description: "", takesValue: true };
 * assert.deepEqual(valueFlags([{ path: "", commands: [], flags: [flag], arguments: [] }]), [
 *   "--type", "-t",
 * ]);
 * ```
 *
 * @param nodes The spec.
 * @returns Sorted, without repeats.
 */
export function valueFlags(nodes: readonly CompletionNode[]): string[] {
  const all = new Set<string>();
  for (const node of nodes) {
    for (const flag of node.flags) if (flag.takesValue) flag.names.forEach((n) => all.add(n));
  }
  return [...all].sort();
}
