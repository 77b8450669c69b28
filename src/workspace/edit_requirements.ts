/**
 * `ext add` and `ext remove` edit `extensions.toml` as text, one entry's line at a time, so
 * the user's comments, order and layout survive (`cargo add` does the same with its TOML).
 *
 * @module
 */

import { findKeyLine } from "../config/config_file.ts";
import type { Requirement } from "./resolve_dependencies.ts";
import { parseRequirements } from "./requirements_file.ts";

/**
 * The TOML line for one requirement: `name = "SPEC"`, or an inline table when it names a
 * type, a source or a reference.
 *
 * @example
 * ```ts
 * import { requirementLine } from "./edit_requirements.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(requirementLine({ name: "redis", spec: "^1.4.0" }), 'redis = "^1.4.0"');
 * assert.equal(
 *   requirementLine({ name: "k8s", spec: "~1.28.0", type: "taskserv" }),
 *   'k8s = { version = "~1.28.0", type = "taskserv" }',
 * );
 * ```
 *
 * @param requirement The requirement.
 * @returns One line, without its newline.
 */
export function requirementLine(requirement: Requirement): string {
  const { name, spec, type, place } = requirement;
  const fields: [string, string][] = [["version", spec]];
  if (type !== undefined) fields.push(["type", type]);
  if (place?.reference !== undefined) fields.push(["reference", place.reference]);
  else if (place?.source !== undefined) fields.push(["source", place.source]);
  // JSON's string escapes are TOML basic-string escapes.
  if (fields.length === 1) return `${name} = ${JSON.stringify(spec)}`;
  return `${name} = { ${fields.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")} }`;
}

/**
 * The text with `requirement` added, or its entry replaced in place.
 *
 * @example
 * ```ts
 * import { setRequirement } from "./edit_requirements.ts";
 * import assert from "node:assert/strict";
 *
 * const text = '# ours\n[extensions]\naws = "^2.0.0"  # cloud\nzed = "*"\n';
 * assert.equal(
 *   setRequirement(text, "extensions.toml", { name: "redis", spec: "^1.4.0" }),
 *   '# ours\n[extensions]\naws = "^2.0.0"  # cloud\nredis = "^1.4.0"\nzed = "*"\n',
 * );
 * assert.equal(
 *   setRequirement(text, "extensions.toml", { name: "aws", spec: "^3.0.0" }),
 *   '# ours\n[extensions]\naws = "^3.0.0"\nzed = "*"\n',
 * );
 * assert.equal(setRequirement("", "x", { name: "a", spec: "*" }), '[extensions]\na = "*"\n');
 * ```
 *
 * @param text The file's text ("" for a new file).
 * @param file The file, for messages.
 * @param requirement What to add or change.
 * @returns The new text, checked to parse.
 * @throws {ProvisioningError} `INVALID_CONFIG` when the file does not parse.
 */
export function setRequirement(text: string, file: string, requirement: Requirement): string {
  parseRequirements(text, file);
  const lines = withoutEntry(text, requirement.name);
  const line = requirementLine(requirement);
  let header = lines.findIndex((l) => /^\s*\[\s*extensions\s*\]\s*(#.*)?$/.test(l));
  if (header === -1) {
    lines.unshift("[extensions]");
    header = 0;
  }
  // Keep the name order of the entries under the header, where they are in order.
  let at = header + 1;
  while (at < lines.length) {
    const key = /^\s*([A-Za-z0-9_-]+)\s*=/.exec(lines[at]!)?.[1];
    if (key === undefined || key > requirement.name) break;
    at++;
  }
  lines.splice(at, 0, line);
  const out = lines.join("\n");
  const result = out.endsWith("\n") ? out : `${out}\n`;
  parseRequirements(result, file);
  return result;
}

/**
 * The text without `name`'s entry, or undefined when it has none.
 *
 * @example
 * ```ts
 * import { removeRequirement } from "./edit_requirements.ts";
 * import assert from "node:assert/strict";
 *
 * const text = '[extensions]\naws = "^2.0.0"\n\n[extensions.k8s]\nversion = "^1.28.0"\n';
 * assert.equal(removeRequirement(text, "x", "k8s"), '[extensions]\naws = "^2.0.0"\n\n');
 * assert.equal(removeRequirement(text, "x", "aws"), '[extensions]\n\n[extensions.k8s]\nversion = "^1.28.0"\n');
 * assert.equal(removeRequirement(text, "x", "nope"), undefined);
 * ```
 *
 * @param text The file's text.
 * @param file The file, for messages.
 * @param name The extension to drop.
 * @returns The new text, or undefined.
 * @throws {ProvisioningError} `INVALID_CONFIG` when the file does not parse.
 */
export function removeRequirement(text: string, file: string, name: string): string | undefined {
  if (!parseRequirements(text, file).some((r) => r.name === name)) return undefined;
  const result = `${withoutEntry(text, name).join("\n")}\n`;
  parseRequirements(result, file);
  return result;
}

/** The lines without `name`'s entry: its `name = …` line, or its `[extensions.name]` table. */
function withoutEntry(text: string, name: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const found = findKeyLine(text, ["extensions", name]);
  if (found === undefined) return lines;
  const index = found - 1;
  const line = lines[index] ?? "";
  const quoted = `(?:${name}|"${name}"|'${name}')`;
  if (new RegExp(`^\\s*\\[\\s*extensions\\s*\\.\\s*${quoted}\\s*\\]`).test(line)) {
    let end = index + 1;
    while (end < lines.length && !/^\s*\[/.test(lines[end]!)) end++;
    lines.splice(index, end - index);
  } else if (new RegExp(`^\\s*${quoted}\\s*=`).test(line)) {
    lines.splice(index, 1);
  }
  return lines;
}
