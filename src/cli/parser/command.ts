/**
 * The command-line parser: a tree of commands with options and arguments, parsed the way
 * Commander parses (its grammar, its one-line errors), in plain ESM. Commander is CommonJS:
 * under Deno it boots the Node compatibility layer and costs ~45 ms before any command runs
 * (`docs/benchmarks.md`); this module costs nothing measurable and serves the CLI, the
 * completion scripts (`completion_spec.ts` reads the tree) and `ext permissions` (which
 * parses the command line it describes).
 *
 * The grammar: `--name value`, `--name=value`, `-n value`, `-nvalue`, grouped short booleans
 * (`-fo json`), options anywhere before `--` (an ancestor's options too, so global flags may
 * follow the subcommand), `-h`/`--help` showing the help of the command reached so far, and
 * `help [command…]` in every command that has subcommands (`help ext load`, `ext help load`).
 *
 * @example
 * ```ts
 * import { Command } from "./command.ts";
 * import assert from "node:assert/strict";
 *
 * let seen: unknown[] = [];
 * const program = new Command("tool").option("--debug", "more output");
 * program.command("load").argument("<name>", "what to load")
 *   .option("-o, --format <format>", "output format", "table")
 *   .action((name, options, command) => {
 *     seen = [name, options, command.optsWithGlobals().debug];
 *   });
 * await program.parseAsync(["load", "aws", "-o", "json", "--debug"]);
 * assert.deepEqual(seen, ["aws", { format: "json" }, true]);
 * ```
 *
 * @module
 */

import { didYouMean } from "../../config/_did_you_mean.ts";
import { helpText } from "./help_text.ts";

/** Why parsing stopped before an action ran (help shown, or a usage error printed). */
export type StopCode =
  | "help"
  | "unknownOption"
  | "unknownCommand"
  | "missingArgument"
  | "missingMandatoryOptionValue"
  | "optionMissingArgument"
  | "invalidArgument"
  | "excessArguments";

/**
 * Thrown by {@linkcode Command.parseAsync} when it stopped without running an action: help was
 * shown (`exitCode` 0, or 1 when a command was missing), or a usage error was printed.
 */
export class CommandLineStop extends Error {
  /** Constructs the stop. */
  constructor(
    /** 0 after help asked for; 1 otherwise. */
    readonly exitCode: 0 | 1,
    /** What happened. */
    readonly code: StopCode,
    message: string,
  ) {
    super(message);
    this.name = "CommandLineStop";
  }
}

/** Thrown by an option's value parser: the value is refused with this message. */
export class InvalidArgumentError extends Error {
  /** Constructs the error. */
  constructor(message: string) {
    super(message);
    this.name = "InvalidArgumentError";
  }
}

/** Parses an option's value; `previous` is the value so far (its default, or the last). */
// deno-lint-ignore no-explicit-any
export type ValueParser = (value: string, previous: any) => unknown;

/** An option: its spellings, whether it takes a value, and how the value is read. */
export class Option {
  /** The flags as written (`-o, --format <format>`). */
  readonly flags: string;
  /** Help text. */
  readonly description: string;
  /** `-o`, if any. */
  readonly short?: string;
  /** `--format`, if any. */
  readonly long?: string;
  /** Whether a value must follow (`<value>`). */
  readonly required: boolean;
  /** Whether a value may follow (`[value]`). */
  readonly optional: boolean;
  /** `--no-…`: sets its attribute to false (and defaults it to true). */
  readonly negate: boolean;
  /** Hidden from help and completion. */
  hidden = false;
  /** Must be given (`requiredOption`). */
  mandatory = false;
  /** The value when not given. */
  defaultValue: unknown;
  /** The values allowed, shown in help and completion. */
  argChoices?: readonly string[];
  /** Reads the value. */
  parseArg?: ValueParser;

  /**
   * @param flags `-s, --long <value>`, `--flag`, `--no-flag`.
   * @param description Help text.
   */
  constructor(flags: string, description = "") {
    this.flags = flags;
    this.description = description;
    this.required = flags.includes("<");
    this.optional = flags.includes("[");
    for (const part of flags.split(/[ ,|]+/)) {
      if (part.startsWith("--")) this.long = part;
      else if (part.startsWith("-")) this.short = part;
    }
    this.negate = this.long?.startsWith("--no-") ?? false;
    if (this.negate) this.defaultValue = true;
  }

  /** Limits the value to `values` (help and completion list them). */
  choices(values: readonly string[]): this {
    this.argChoices = values;
    return this;
  }

  /** Reads the value with `parser` (it may throw {@linkcode InvalidArgumentError}). */
  argParser(parser: ValueParser): this {
    this.parseArg = parser;
    return this;
  }

  /** The value when the option is not given. */
  default(value: unknown): this {
    this.defaultValue = value;
    return this;
  }

  /** Hides the option from help and completion. */
  hideHelp(): this {
    this.hidden = true;
    return this;
  }

  /** The key of its value in `opts()`: `--cache-dir` → `cacheDir`, `--no-probe` → `probe`. */
  attributeName(): string {
    const name = (this.long ?? this.short ?? "").replace(/^--?(no-)?/, "");
    return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  }

  /** Whether `arg` names this option. */
  is(arg: string): boolean {
    return arg === this.short || arg === this.long;
  }
}

/** `-h, --help`, which every command has (the parser reads it; help and completion list it). */
export const HELP_OPTION: Option = new Option("-h, --help", "display help for command");

/** `help [command]`, which every command with subcommands has (help and completion list it). */
export const HELP_COMMAND = { name: "help", description: "display help for command" } as const;

/** A positional argument (`<name>`, `[names...]`). */
export class Argument {
  /** Its name, shown in usage and errors. */
  readonly name: string;
  /** Help text. */
  readonly description: string;
  /** `<name>` (true) or `[name]`. */
  readonly required: boolean;
  /** `…`: takes every remaining operand. */
  readonly variadic: boolean;
  /** The values allowed, shown in completion. */
  argChoices?: readonly string[];

  /**
   * @param spec `<name>`, `[name]`, `<names...>`.
   * @param description Help text.
   */
  constructor(spec: string, description = "") {
    this.name = spec.replace(/^[<[]|[>\]]$/g, "").replace(/\.\.\.$/, "");
    this.description = description;
    this.required = spec.startsWith("<");
    this.variadic = spec.endsWith("...>") || spec.endsWith("...]");
  }

  /** Limits the value to `values`. */
  choices(values: readonly string[]): this {
    this.argChoices = values;
    return this;
  }
}

/** Where help and errors are written. */
export interface CommandOutput {
  /** Help asked for. */
  writeOut(text: string): void;
  /** Errors, and help shown because a command was missing. */
  writeErr(text: string): void;
}

// The action's parameters follow its arguments (then options, then the command), as
// Commander passes them; the commands type what they read.
// deno-lint-ignore no-explicit-any
type Action = (...args: any[]) => unknown;
type Hook = (root: Command, action: Command) => void | Promise<void>;

/** A command: options, arguments, subcommands, an action. */
export class Command {
  /** Subcommands, in the order added. */
  readonly commands: Command[] = [];
  /** Its own options (not the help flag). */
  readonly options: Option[] = [];
  /** Options shown in its help but parsed elsewhere (the root's `-V, --version`). */
  readonly helpOnlyOptions: Option[] = [];
  /** Its positional arguments. */
  readonly registeredArguments: Argument[] = [];
  /** The command it belongs to. */
  parent: Command | null = null;
  /** Operands of the last parse. */
  args: string[] = [];
  /** Arguments of the last parse as the action receives them (a variadic one as an array). */
  processedArgs: unknown[] = [];
  /** Left out of its parent's help and of completion. */
  hidden = false;
  /** Text after its help (`addHelpText("after", …)`). */
  readonly helpAfter: string[] = [];

  #name: string;
  #description = "";
  #action?: Action;
  #hooks: Hook[] = [];
  #values: Record<string, unknown> = {};
  #allowUnknown = false;
  #isDefault = false;
  #output?: CommandOutput;
  #afterError?: string;

  /** @param name The command's word (the program's name at the root). */
  constructor(name = "") {
    this.#name = name;
  }

  /** Its word. */
  name(): string {
    return this.#name;
  }

  /** Sets the description (one argument) or returns it (none). */
  description(): string;
  description(text: string): this;
  description(text?: string): this | string {
    if (text === undefined) return this.#description;
    this.#description = text;
    return this;
  }

  /**
   * Adds a subcommand and returns it. `isDefault`: runs when no subcommand is named.
   */
  command(name: string, settings: { isDefault?: boolean; hidden?: boolean } = {}): Command {
    const sub = new Command(name);
    sub.parent = this;
    sub.#isDefault = settings.isDefault === true;
    sub.hidden = settings.hidden === true;
    this.commands.push(sub);
    return sub;
  }

  /** Adds a positional argument: `<name>` required, `[name]` optional, `…` variadic. */
  argument(spec: string, description = ""): this {
    return this.addArgument(new Argument(spec, description));
  }

  /** Adds a built argument. */
  addArgument(argument: Argument): this {
    this.registeredArguments.push(argument);
    return this;
  }

  /** Adds an option (`default` is its value when not given). */
  option(flags: string, description = "", defaultValue?: unknown): this {
    const option = new Option(flags, description);
    if (defaultValue !== undefined) option.default(defaultValue);
    return this.addOption(option);
  }

  /** Adds an option that must be given. */
  requiredOption(flags: string, description = "", defaultValue?: unknown): this {
    const option = new Option(flags, description);
    option.mandatory = true;
    if (defaultValue !== undefined) option.default(defaultValue);
    return this.addOption(option);
  }

  /** Adds a built option. */
  addOption(option: Option): this {
    this.options.push(option);
    return this;
  }

  /** Adds an option to the help of this command only; something else parses it. */
  addHelpOnlyOption(option: Option): this {
    this.helpOnlyOptions.push(option);
    return this;
  }

  /** Sets what runs: `(…arguments, options, command)`. */
  action(action: Action): this {
    this.#action = action;
    return this;
  }

  /** Adds text after the help (`position` is always `"after"`). */
  addHelpText(_position: "after", text: string): this {
    this.helpAfter.push(text);
    return this;
  }

  /** Runs `hook(root, command)` before the action of this command or any below it. */
  hook(_event: "preAction", hook: Hook): this {
    this.#hooks.push(hook);
    return this;
  }

  /** Unknown options (and everything after the first) become operands. */
  allowUnknownOption(allow = true): this {
    this.#allowUnknown = allow;
    return this;
  }

  /** Where this command and those below it write help and errors. */
  configureOutput(output: CommandOutput): this {
    this.#output = output;
    return this;
  }

  /** A line written after every usage error (`(run with --help for usage)`). */
  showHelpAfterError(text: string): this {
    this.#afterError = text;
    return this;
  }

  /** The options its help and completion list: its own, those shown only here, `-h`. */
  visibleOptions(): Option[] {
    return [...this.options, ...this.helpOnlyOptions, HELP_OPTION].filter((o) => !o.hidden);
  }

  /** The subcommands its help and completion list (the hidden ones still parse). */
  visibleCommands(): Command[] {
    return this.commands.filter((c) => !c.hidden);
  }

  /** Its option values of the last parse (defaults included). */
  opts(): Record<string, unknown> {
    return { ...this.#values };
  }

  /** Its option values and those of its ancestors (its own win). */
  optsWithGlobals(): Record<string, unknown> {
    return Object.assign({}, ...this.#lineage().reverse().map((c) => c.opts()));
  }

  /** Its help text. */
  helpInformation(): string {
    return helpText(this);
  }

  /** This command, then its parent, up to the root. */
  #lineage(): Command[] {
    const out: Command[] = [this];
    while (out.at(-1)!.parent !== null) out.push(out.at(-1)!.parent!);
    return out;
  }

  #out(): CommandOutput {
    for (const c of this.#lineage()) if (c.#output !== undefined) return c.#output;
    return {
      writeOut: (t) => console.log(t.replace(/\n$/, "")),
      writeErr: (t) => console.error(t),
    };
  }

  #fail(code: StopCode, message: string): never {
    const afterError = this.#lineage().map((c) => c.#afterError).find((t) => t !== undefined);
    this.#out().writeErr(`${message}\n${afterError === undefined ? "" : `${afterError}\n`}`);
    throw new CommandLineStop(1, code, message);
  }

  #showHelp(error: boolean): never {
    const text = this.helpInformation() + this.helpAfter.map((t) => `${t}\n`).join("");
    if (error) this.#out().writeErr(text);
    else this.#out().writeOut(text);
    throw new CommandLineStop(error ? 1 : 0, "help", "(help)");
  }

  /** The option `arg` names here or in an ancestor (its own first). */
  #findOption(arg: string): Option | undefined {
    for (const c of this.#lineage()) {
      const found = c.options.find((o) => o.is(arg));
      if (found !== undefined) return found;
    }
    return undefined;
  }

  #ownerOf(option: Option): Command {
    return this.#lineage().find((c) => c.options.includes(option))!;
  }

  /**
   * Parses `argv` (the words after the program name) and runs the action of the command it
   * names, after the `preAction` hooks.
   *
   * @param argv The command line.
   * @throws {CommandLineStop} When help was shown or a usage error printed (already written).
   */
  async parseAsync(argv: readonly string[]): Promise<void> {
    const leaf = this.#route([...argv]);
    if (leaf.#action === undefined) return;
    const hooks = leaf.#lineage().reverse().flatMap((c) => c.#hooks);
    for (const hook of hooks) await hook(this, leaf);
    await leaf.#action(...leaf.processedArgs, leaf.opts(), leaf);
  }

  /** Finds the command `argv` names and parses its options and arguments into it. */
  #route(argv: string[]): Command {
    for (const c of this.#lineage()) c.#reset();
    const rest: string[] = [];
    let command: Command = this as Command;
    let i = 0;
    while (i < argv.length) {
      const arg = argv[i]!;
      if (command.commands.length === 0) break;
      if (arg === "--") break;
      if (HELP_OPTION.is(arg)) command.#showHelp(false);
      if (arg.startsWith("-") && arg.length > 1) {
        const known = command.#optionToken(arg);
        if (known === undefined && command.#defaultCommand() !== undefined) break;
        if (known === undefined) {
          command.#fail("unknownOption", `error: unknown option '${arg}'`);
        }
        rest.push(...argv.slice(i, i + known));
        i += known;
        continue;
      }
      const sub = command.commands.find((c) => c.#name === arg);
      if (sub !== undefined) {
        command = sub;
        sub.#reset();
        i++;
        continue;
      }
      if (arg === "help") { // `help ext load`: the help of the command the words name
        let target: Command = command;
        for (const word of argv.slice(i + 1).filter((w) => !w.startsWith("-"))) {
          const sub = target.commands.find((c) => c.#name === word);
          if (sub === undefined) target.#unknownCommand(word);
          target = sub;
          if (target.commands.length === 0) break;
        }
        target.#showHelp(false);
      }
      if (command.#defaultCommand() !== undefined) break;
      command.#unknownCommand(arg);
    }
    if (command.commands.length > 0) {
      const fallback = command.#defaultCommand();
      if (fallback === undefined) {
        command.#parseOptions([...rest, ...argv.slice(i)]); // option errors before the help
        command.#showHelp(true);
      }
      command = fallback;
      fallback.#reset();
    }
    command.#takeArguments(command.#parseOptions([...rest, ...argv.slice(i)]));
    return command;
  }

  #unknownCommand(word: string): never {
    const near = didYouMean(word, this.commands.filter((c) => !c.hidden).map((c) => c.#name));
    this.#fail(
      "unknownCommand",
      `error: unknown command '${word}'${near === undefined ? "" : `\n(Did you mean ${near}?)`}`,
    );
  }

  #defaultCommand(): Command | undefined {
    return this.commands.find((c) => c.#isDefault);
  }

  /** How many words an option token takes here (1 or 2), undefined when unknown. */
  #optionToken(arg: string): number | undefined {
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      const option = this.#findOption(arg.slice(0, eq));
      return option !== undefined && (option.required || option.optional) ? 1 : undefined;
    }
    const option = this.#findOption(arg) ??
      (!arg.startsWith("--") ? this.#findOption(arg.slice(0, 2)) : undefined);
    if (option === undefined) return undefined;
    if (option.is(arg) && option.required) return 2;
    return 1;
  }

  #reset(): void {
    this.#values = {};
    for (const option of this.options) {
      if (option.defaultValue !== undefined) {
        this.#values[option.attributeName()] = option.defaultValue;
      }
    }
    this.args = [];
    this.processedArgs = [];
  }

  /**
   * Reads the options in `tokens` (its own and its ancestors'); returns the operands. An
   * unknown option is reported after a missing mandatory one, as Commander does.
   */
  #parseOptions(tokens: string[]): string[] {
    const operands: string[] = [];
    let unknownOption: string | undefined;
    while (tokens.length > 0) {
      const arg = tokens.shift()!;
      if (arg === "--") {
        operands.push(...tokens.splice(0));
        break;
      }
      if (HELP_OPTION.is(arg)) this.#showHelp(false);
      if (!arg.startsWith("-") || arg.length === 1) {
        operands.push(arg);
        continue;
      }
      if (this.#readOption(arg, tokens)) continue;
      if (this.#allowUnknown) { // the unknown option and all after it are operands
        operands.push(arg, ...tokens.splice(0));
        break;
      }
      const near = arg.startsWith("--")
        ? didYouMean(
          arg.split("=")[0]!,
          this.#lineage().flatMap((c) => c.options)
            .flatMap((o) => o.long === undefined || o.hidden ? [] : [o.long]),
        )
        : undefined;
      unknownOption = `error: unknown option '${arg}'${
        near === undefined ? "" : `\n(Did you mean ${near}?)`
      }`;
      break;
    }
    for (const c of this.#lineage()) {
      const missing = c.options.find((o) =>
        o.mandatory && c.#values[o.attributeName()] === undefined
      );
      if (missing !== undefined) {
        this.#fail(
          "missingMandatoryOptionValue",
          `error: required option '${missing.flags}' not specified`,
        );
      }
    }
    if (unknownOption !== undefined) this.#fail("unknownOption", unknownOption);
    return operands;
  }

  /** Reads one option token (and its value from `tokens`); false when it is unknown. */
  #readOption(arg: string, tokens: string[]): boolean {
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      const option = this.#findOption(arg.slice(0, eq));
      if (option === undefined || !(option.required || option.optional)) return false;
      this.#setValue(option, arg.slice(eq + 1));
      return true;
    }
    const exact = this.#findOption(arg);
    if (exact !== undefined) {
      if (exact.required) {
        const value = tokens.shift();
        if (value === undefined) {
          this.#fail("optionMissingArgument", `error: option '${exact.flags}' argument missing`);
        }
        this.#setValue(exact, value);
      } else if (exact.optional && tokens[0] !== undefined && !tokens[0].startsWith("-")) {
        this.#setValue(exact, tokens.shift()!);
      } else this.#setValue(exact, undefined);
      return true;
    }
    if (arg.startsWith("--") || arg.length <= 2) return false;
    // `-ojson` (a value joined to its short flag) or `-fo` (grouped short flags).
    const short = this.#findOption(arg.slice(0, 2));
    if (short === undefined) return false;
    if (short.required || short.optional) this.#setValue(short, arg.slice(2));
    else {
      this.#setValue(short, undefined);
      tokens.unshift(`-${arg.slice(2)}`);
    }
    return true;
  }

  /** Stores an option's value on the command that owns it. */
  #setValue(option: Option, value: string | undefined): void {
    const owner = this.#ownerOf(option);
    const key = option.attributeName();
    if (value === undefined) {
      owner.#values[key] = !option.negate;
      return;
    }
    let parsed: unknown = value;
    try {
      if (option.parseArg !== undefined) parsed = option.parseArg(value, owner.#values[key]);
      else if (option.argChoices !== undefined && !option.argChoices.includes(value)) {
        throw new InvalidArgumentError(`Allowed choices are ${option.argChoices.join(", ")}.`);
      }
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) throw error;
      this.#fail(
        "invalidArgument",
        `error: option '${option.flags}' argument '${value}' is invalid. ${error.message}`,
      );
    }
    owner.#values[key] = parsed;
  }

  /** Operands to the declared arguments: missing ones and extra ones are usage errors. */
  #takeArguments(operands: string[]): void {
    this.args = operands;
    const declared = this.registeredArguments;
    declared.forEach((argument, index) => {
      if (argument.variadic) {
        this.processedArgs.push(operands.slice(index));
        return;
      }
      const value = operands[index];
      if (value === undefined && argument.required) {
        this.#fail("missingArgument", `error: missing required argument '${argument.name}'`);
      }
      if (value !== undefined && argument.argChoices?.includes(value) === false) {
        this.#fail(
          "invalidArgument",
          `error: command-argument value '${value}' is invalid for argument '${argument.name}'. ` +
            `Allowed choices are ${argument.argChoices.join(", ")}.`,
        );
      }
      this.processedArgs.push(operands[index]);
    });
    const variadic = declared.at(-1)?.variadic === true;
    if (!variadic && operands.length > declared.length) {
      const expected = declared.length;
      this.#fail(
        "excessArguments",
        `error: too many arguments${this.parent === null ? "" : ` for '${this.#name}'`}. ` +
          `Expected ${expected} argument${expected === 1 ? "" : "s"} but got ${operands.length}.`,
      );
    }
  }
}
