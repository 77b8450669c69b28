/**
 * The `[hooks]` section of the user config: `enabled` (default true) and
 * `[hooks.approved]`, the permissions the user approved per extension name. Only the user
 * config counts: a workspace file cannot approve anything.
 *
 * ```toml
 * [hooks]
 * enabled = true
 *
 * [hooks.approved]
 * "aws" = { net = ["api.example.com:443"], read = ["templates"], env = ["AWS_REGION"] }
 * ```
 *
 * @module
 */

import { findKeyLine, HOOKS_SECTION, parseTomlText } from "../config/config_file.ts";
import type { ResolvedConfig } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { writeTextReplacing } from "../fs/write_replacing.ts";
import type { HookGrants } from "./types.ts";

/** The user's hook settings. */
export interface HooksConfig {
  /** The user config file (undefined when the configuration has none). */
  file: string | undefined;
  /** `[hooks] enabled`: false turns every hook off. */
  enabled: boolean;
  /** `[hooks.approved]`: extension name → approved grants. */
  approved: Record<string, HookGrants>;
}

const GRANT_KINDS = ["net", "read", "env"] as const;

/**
 * Reads `[hooks]` from the user config file the configuration used.
 *
 * @example
 * ```ts
 * import { readHooksConfig } from "./hooks_config.ts";
 * import assert from "node:assert/strict";
 *
 * const config = { files: [{ kind: "user" as const, path: "/nowhere.toml", found: false }] };
 * assert.deepEqual(await readHooksConfig(config), {
 *   file: "/nowhere.toml",
 *   enabled: true,
 *   approved: {},
 * });
 * ```
 *
 * @param config The effective configuration (only `files` is used).
 * @returns The settings (defaults when the file or the section is absent).
 * @throws {ProvisioningError} `INVALID_CONFIG` for a bad value, with file and line.
 */
export async function readHooksConfig(config: Pick<ResolvedConfig, "files">): Promise<HooksConfig> {
  const file = config.files.find((entry) => entry.kind === "user")?.path;
  if (file === undefined) return { file, enabled: true, approved: {} };
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { file, enabled: true, approved: {} };
    throw error;
  }
  return parseHooksConfig(text, file);
}

/**
 * Checks the `[hooks]` section of a user config file's text.
 *
 * @example
 * ```ts
 * import { parseHooksConfig } from "./hooks_config.ts";
 * import assert from "node:assert/strict";
 *
 * const parsed = parseHooksConfig('[hooks.approved]\n"aws" = { net = ["a.io"] }\n', "/c.toml");
 * assert.deepEqual(parsed.approved.aws, { net: ["a.io"], read: [], env: [] });
 * assert.throws(() => parseHooksConfig("[hooks]\nenabled = 1\n", "/c.toml"), /c.toml:2/);
 * ```
 *
 * @param text The file's text.
 * @param file Its path, for messages.
 * @returns The settings.
 * @throws {ProvisioningError} `INVALID_CONFIG` for a syntax error or a bad value.
 */
export function parseHooksConfig(text: string, file: string): HooksConfig {
  const document = parseTomlText(text, file);
  const result: HooksConfig = { file, enabled: true, approved: {} };
  const section = document[HOOKS_SECTION];
  if (section === undefined) return result;
  const bad = (path: string[], problem: string) => {
    const line = findKeyLine(text, path);
    return new ProvisioningError(
      "INVALID_CONFIG",
      `${file}${line === undefined ? "" : `:${line}`}: ${path.join(".")}: ${problem}`,
    );
  };
  if (!isTable(section)) throw bad([HOOKS_SECTION], "must be a table");
  for (const [key, value] of Object.entries(section)) {
    if (key === "enabled") {
      if (typeof value !== "boolean") throw bad([HOOKS_SECTION, key], "expected true or false");
      result.enabled = value;
    } else if (key === "approved") {
      if (!isTable(value)) throw bad([HOOKS_SECTION, key], "must be a table");
      for (const [name, grants] of Object.entries(value)) {
        const path = [HOOKS_SECTION, key, name];
        if (!isTable(grants)) {
          throw bad(path, "expected { net = [...], read = [...], env = [...] }");
        }
        const entry: HookGrants = { net: [], read: [], env: [] };
        for (const [kind, list] of Object.entries(grants)) {
          if (!(GRANT_KINDS as readonly string[]).includes(kind)) {
            throw bad([...path, kind], `unknown kind; expected ${GRANT_KINDS.join(", ")}`);
          }
          if (!Array.isArray(list) || list.some((item) => typeof item !== "string")) {
            throw bad([...path, kind], "expected a list of strings");
          }
          entry[kind as keyof HookGrants] = [...list as string[]].sort();
        }
        result.approved[name] = entry;
      }
    } else {
      throw bad([HOOKS_SECTION, key], "unknown key; expected enabled or approved");
    }
  }
  return result;
}

/**
 * Records `grants` as approved for extension `name` in the user config file: the line
 * `"NAME" = { net = [...], read = [...], env = [...] }` of `[hooks.approved]` is replaced
 * (or added, with the section when missing); the rest of the file is kept as written. The
 * new text is checked before it replaces the file (whole or not at all).
 *
 * @example
 * ```ts
 * import { approveInConfig, parseHooksConfig } from "./hooks_config.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const file = `${dir}/config.toml`;
 * await Deno.writeTextFile(file, "# mine\n[oci]\nregistry = \"r.io\"\n");
 * await approveInConfig(file, "aws", { net: ["a.io:443"], read: [], env: ["X"] });
 * await approveInConfig(file, "aws", { net: ["b.io"], read: [], env: [] });
 * const text = await Deno.readTextFile(file);
 * assert.ok(text.startsWith("# mine\n[oci]"));
 * assert.deepEqual(parseHooksConfig(text, file).approved.aws?.net, ["b.io"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param file The user config file (created when missing).
 * @param name The extension's name.
 * @param grants What is approved.
 * @throws {ProvisioningError} `INVALID_CONFIG` when the file is not valid TOML or its
 *   `[hooks]` is written in a form this cannot edit (say an inline `approved = {…}`).
 */
export async function approveInConfig(
  file: string,
  name: string,
  grants: HookGrants,
): Promise<void> {
  let text = "";
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  parseHooksConfig(text, file); // refuse to edit a file that is already wrong
  const line = `${JSON.stringify(name)} = { ${
    GRANT_KINDS.map((kind) =>
      `${kind} = [${grants[kind].map((v) => JSON.stringify(v)).join(", ")}]`
    )
      .join(", ")
  } }`;
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const header = lines.findIndex((l) => /^\s*\[\s*hooks\s*\.\s*approved\s*\]\s*(#.*)?$/.test(l));
  if (header === -1) {
    lines.push(...(lines.length === 0 ? [] : [""]), "[hooks.approved]", line);
  } else {
    let end = lines.findIndex((l, i) => i > header && /^\s*\[/.test(l));
    if (end === -1) end = lines.length;
    const keyed = new RegExp(`^\\s*(${escape(JSON.stringify(name))}|${escape(name)})\\s*=`);
    const existing = lines.findIndex((l, i) => i > header && i < end && keyed.test(l));
    if (existing === -1) lines.splice(header + 1, 0, line);
    else lines[existing] = line;
  }
  const updated = lines.join("\n") + "\n";
  let check: HooksConfig | undefined;
  try {
    check = parseHooksConfig(updated, file);
  } catch {
    check = undefined;
  }
  const recorded = check?.approved[name];
  if (
    recorded === undefined ||
    GRANT_KINDS.some((kind) => recorded[kind].join("\n") !== [...grants[kind]].sort().join("\n"))
  ) {
    throw new ProvisioningError(
      "INVALID_CONFIG",
      `${file}: cannot add the approval of ${JSON.stringify(name)} to its [hooks] section`,
      { hint: `Add it by hand under [hooks.approved]: ${line}` },
    );
  }
  await writeTextReplacing(file, updated);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Date);
}
