/**
 * Option builders shared by command groups, so every command spells a flag the same way.
 *
 * @module
 */

import { InvalidArgumentError, Option } from "../parser/command.ts";
import { didYouMean } from "../../config/_did_you_mean.ts";
import { EXTENSION_TYPES, type ExtensionType } from "../../manifest/types.ts";
import type { GlobalConfigOptions } from "../config.ts";
import { OUTPUT_FORMATS } from "../output.ts";

/** Sources `--source` accepts (`auto` tries the others in `[extensions] auto_order`). */
export const CLI_SOURCES = [
  "auto",
  "local",
  "oci",
  "oci-layout",
  "gitea",
  "git",
  "examples",
] as const;

/**
 * An option limited to `choices` (shown in help and completion) whose refusal of another
 * value names the nearest choice: `argument 'taskservs' is invalid. Allowed choices are
 * provider, taskserv, cluster; did you mean "taskserv"?`.
 *
 * @example
 * ```ts
 * import { choiceOption } from "./options.ts";
 * import { Command } from "../parser/command.ts";
 * import assert from "node:assert/strict";
 *
 * let text = "";
 * const cmd = new Command("tool")
 *   .configureOutput({ writeOut: () => {}, writeErr: (t) => text += t })
 *   .addOption(choiceOption("-t, --type <type>", "extension type", ["provider", "taskserv"]));
 * await assert.rejects(cmd.parseAsync(["--type", "taskservs"]));
 * assert.match(text, /did you mean "taskserv"\?/);
 * ```
 *
 * @param flags The flags (`-t, --type <type>`).
 * @param description Help text.
 * @param choices The values allowed.
 * @returns The option.
 */
export function choiceOption<const F extends string, const T extends string>(
  flags: F,
  description: string,
  choices: readonly T[],
) {
  return new Option(flags, description).choices(choices).argParser((value: string): T => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(choicesRefusal(value, choices));
  });
}

/** `Allowed choices are a, b, c[; did you mean "b"?]`. */
export function choicesRefusal(value: string, choices: readonly string[]): string {
  const near = didYouMean(value, choices);
  return `Allowed choices are ${choices.join(", ")}` +
    (near === undefined ? "." : `; did you mean "${near}"?`);
}

/** `-o, --format table|json|yaml`, default `table`. */
export const formatOption = () =>
  choiceOption("-o, --format <format>", "output format", OUTPUT_FORMATS).default(
    "table" as const,
  );

/** `-t, --type provider|taskserv|cluster`. */
export const typeOption = () =>
  choiceOption("-t, --type <type>", "extension type", EXTENSION_TYPES as readonly ExtensionType[]);

/** `-s, --source …` limited to {@linkcode CLI_SOURCES}. */
export const sourceOption = () =>
  choiceOption(
    "-s, --source <source>",
    "where to look (default: extensions.source_type)",
    CLI_SOURCES,
  );

/**
 * `-f, --force` with what it does for this command.
 *
 * @param description What forcing means here.
 * @returns The option.
 */
export const forceOption = (description: string) => new Option("-f, --force", description);

/**
 * The global flags (`--registry`, `--namespace`, `--cache-dir`) of a parsed command,
 * read from its merged options.
 *
 * @param command The command an action received.
 * @returns The global flags that were given.
 */
export function globalOptions(
  command: { optsWithGlobals(): Record<string, unknown> },
): GlobalConfigOptions {
  const all = command.optsWithGlobals();
  const pick = (key: string) => typeof all[key] === "string" ? all[key] as string : undefined;
  const result: GlobalConfigOptions = {};
  const registry = pick("registry");
  const namespace = pick("namespace");
  const cacheDir = pick("cacheDir");
  const caFile = pick("caFile");
  if (caFile !== undefined) result.caFile = caFile;
  if (all.plainHttp === true) result.plainHttp = true;
  if (registry !== undefined) result.registry = registry;
  if (namespace !== undefined) result.namespace = namespace;
  if (cacheDir !== undefined) result.cacheDir = cacheDir;
  return result;
}
