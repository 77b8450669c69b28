/**
 * Parsing and checking one TOML config file (the user config or a workspace's
 * `local-overrides.toml`; both share the schema of `SETTING_SPECS`).
 *
 * @module
 */

import { parse, TomlError } from "smol-toml";
import { dirname } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { checkValue, describeTyped } from "./_check_value.ts";
import { didYouMean } from "./_did_you_mean.ts";
import { findKeyLine } from "./_find_key_line.ts";

/** The 1-based line of a dotted key in TOML text, for `file:line:` messages elsewhere. */
export { findKeyLine };
import { resolvePath } from "./_resolve_path.ts";
import { SETTING_KEYS, SETTING_SECTIONS, settingSpec } from "./schema.ts";
import type { ConfigLayer } from "./types.ts";

/** The user config's section that src/hooks/hooks_config.ts reads and checks. */
export const HOOKS_SECTION = "hooks";

/** Options of {@linkcode parseConfigText}. */
export interface ParseConfigOptions {
  /** Absolute path of the file: named in errors; relative paths resolve against its folder. */
  file: string;
  /** Absolute home directory, for `~/` in paths. */
  home: string;
  /** Which layer the file is. */
  kind: "user" | "workspace";
}

interface Problem {
  text: string;
  hint?: string;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Date);
}

function located(file: string, text: string, path: readonly string[], problem: string): string {
  const line = findKeyLine(text, path);
  return `${file}${line === undefined ? "" : `:${line}`}: ${problem}`;
}

function unknownKey(file: string, text: string, path: string[], table: boolean): Problem {
  const key = path.join(".");
  const what = table ? "section" : "key";
  const suggestion = didYouMean(
    key,
    path.length === 1 ? [...SETTING_SECTIONS, ...SETTING_KEYS] : SETTING_KEYS,
  );
  const problem = { text: located(file, text, path, `unknown ${what} ${JSON.stringify(key)}`) };
  return suggestion === undefined
    ? problem
    : { ...problem, hint: `Did you mean ${JSON.stringify(suggestion)}?` };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * A TOML syntax error as one line `file:line:column: what` (config files, `extensions.toml`).
 *
 * @example
 * ```ts
 * import { tomlSyntaxError } from "./config_file.ts";
 * import { parse, TomlError } from "smol-toml";
 * import assert from "node:assert/strict";
 *
 * try {
 *   parse("a = ");
 * } catch (error) {
 *   assert.match(tomlSyntaxError("x.toml", error as TomlError).message, /^x\.toml:1:\d+: /);
 * }
 * ```
 *
 * @param file The file, as shown.
 * @param error What smol-toml threw.
 * @returns An `INVALID_CONFIG` error.
 */
export function tomlSyntaxError(file: string, error: TomlError): ProvisioningError {
  const message = (error.message.split("\n")[0] ?? "").replace(/^Invalid TOML document: /, "");
  return new ProvisioningError(
    "INVALID_CONFIG",
    `${file}:${error.line}:${error.column}: ${message}`,
    { cause: error, hint: "Fix the TOML syntax at that position" },
  );
}

/**
 * Parses a TOML file's text; a syntax error is `INVALID_CONFIG` at `file:line:col` (the one way
 * the config, the hooks approvals and `extensions.toml` read TOML).
 *
 * @example
 * ```ts
 * import { parseTomlText } from "./config_file.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseTomlText("a = 1\n", "x.toml").a, 1);
 * assert.throws(() => parseTomlText("a = ", "x.toml"), { code: "INVALID_CONFIG" });
 * ```
 *
 * @param text The file's text.
 * @param file The file, as shown.
 * @returns The document.
 * @throws {ProvisioningError} `INVALID_CONFIG` for a syntax error.
 */
export function parseTomlText(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) throw tomlSyntaxError(file, error);
    throw error;
  }
}

/**
 * Parses and checks the text of a config file. Every problem in the file is reported at once:
 * the error's message is the first, its `details` the others.
 *
 * Relative paths (in the path keys listed in `SETTING_SPECS`) resolve against the
 * file's directory; a leading `~/` expands to `home`.
 *
 * @example
 * ```ts
 * import { parseConfigText } from "./config_file.ts";
 * import assert from "node:assert/strict";
 *
 * const layer = parseConfigText('[oci]\nregistry = "zot.lan:5000"\n[cache]\ndir = "cache"\n', {
 *   file: "/home/ada/.provisioning/config.toml",
 *   home: "/home/ada",
 *   kind: "user",
 * });
 * assert.equal(layer.values["oci.registry"], "zot.lan:5000");
 * assert.equal(layer.values["cache.dir"], "/home/ada/.provisioning/cache");
 * ```
 *
 * @example A typo is an error naming file, line and key
 * ```ts
 * import { parseConfigText } from "./config_file.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => parseConfigText('[oci]\nregsitry = "x"\n', { file: "/c.toml", home: "/h", kind: "user" }),
 *   { code: "INVALID_CONFIG", message: '/c.toml:2: unknown key "oci.regsitry"' },
 * );
 * ```
 *
 * @param text The TOML text.
 * @param options The file's path, the home directory and the layer kind.
 * @returns The layer: checked values plus their origin.
 * @throws {ProvisioningError} `INVALID_CONFIG` for a syntax error (`file:line:col: message`),
 * an unknown section or key (with a did-you-mean hint), or a wrong type or value.
 */
export function parseConfigText(text: string, options: ParseConfigOptions): ConfigLayer {
  const { file, home } = options;
  const document = parseTomlText(text, file);
  const base = dirname(file);
  const values: ConfigLayer["values"] = {};
  const problems: Problem[] = [];
  for (const [section, table] of Object.entries(document)) {
    // `[hooks]` (enabled, approved) is the user's consent, read by src/hooks/hooks_config.ts;
    // a workspace file cannot approve anything, so there it stays an unknown section.
    if (section === HOOKS_SECTION && options.kind === "user") continue;
    if (!(SETTING_SECTIONS as readonly string[]).includes(section)) {
      problems.push(unknownKey(file, text, [section], isTable(table)));
      continue;
    }
    if (!isTable(table)) {
      problems.push({
        text: located(
          file,
          text,
          [section],
          `${section} must be a table, got ${describeTyped(table)}`,
        ),
      });
      continue;
    }
    for (const [name, raw] of Object.entries(table)) {
      const spec = settingSpec(`${section}.${name}`);
      if (spec === undefined) {
        problems.push(unknownKey(file, text, [section, name], isTable(raw)));
        continue;
      }
      const checked = checkValue(spec, raw, (path) => resolvePath(path, base, home));
      if (checked.ok) {
        values[spec.key] = checked.value;
      } else {
        const problem = { text: located(file, text, [section, name], checked.problem) };
        problems.push(checked.hint === undefined ? problem : { ...problem, hint: checked.hint });
      }
    }
  }
  const [first, ...rest] = problems;
  if (first !== undefined) {
    throw new ProvisioningError("INVALID_CONFIG", first.text, {
      ...(first.hint === undefined ? {} : { hint: first.hint }),
      details: rest.map((problem) =>
        problem.hint === undefined ? problem.text : `${problem.text} (${lowerFirst(problem.hint)})`
      ),
    });
  }
  return { origin: { kind: options.kind, source: file }, values };
}
