/**
 * Option builders shared by command groups, so every command spells a flag the same way.
 *
 * @module
 */

import { Option } from "@commander-js/extra-typings";
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

/** `-o, --format table|json|yaml`, default `table`. */
export const formatOption = () =>
  new Option("-o, --format <format>", "output format").choices(OUTPUT_FORMATS).default(
    "table" as const,
  );

/** `-t, --type provider|taskserv|cluster`. */
export const typeOption = () =>
  new Option("-t, --type <type>", "extension type").choices(EXTENSION_TYPES as ExtensionType[]);

/** `-s, --source …` limited to {@linkcode CLI_SOURCES}. */
export const sourceOption = () =>
  new Option("-s, --source <source>", "where to look (default: extensions.source_type)").choices(
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
  if (registry !== undefined) result.registry = registry;
  if (namespace !== undefined) result.namespace = namespace;
  if (cacheDir !== undefined) result.cacheDir = cacheDir;
  return result;
}
