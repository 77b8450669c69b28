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

/** `--format table|json|yaml`, default `table`. */
export const formatOption = () =>
  new Option("--format <format>", "output format").choices(OUTPUT_FORMATS).default(
    "table" as const,
  );

/** `--type provider|taskserv|cluster`. */
export const typeOption = () =>
  new Option("--type <type>", "extension type").choices(EXTENSION_TYPES as ExtensionType[]);

/** `--source …` limited to {@linkcode CLI_SOURCES}. */
export const sourceOption = () =>
  new Option("--source <source>", "where to look (default: extensions.source_type)").choices(
    CLI_SOURCES,
  );

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
