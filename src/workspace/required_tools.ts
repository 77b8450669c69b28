/**
 * The programs an extension's `requires` names, and which of them are not on `PATH`:
 * `ext install` warns about those (it does not run them, so versions are not checked).
 *
 * @module
 */

import { delimiter, isAbsolute, join } from "../fs/path.ts";

/** Keys of a `requires` mapping that name platforms, not programs. */
const NOT_TOOLS = new Set(["platforms", "platform", "os", "arch"]);

/**
 * The tool names in a manifest's `requires`, in the forms the seed's manifests use: a list
 * of names (`[aws-cli, jq]`), a `tools` list (`{tools: [kubectl]}`), or name → version
 * (`{kcl: ">=0.9.0"}`).
 *
 * @example
 * ```ts
 * import { requiredTools } from "./required_tools.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(requiredTools(["aws-cli", "jq"]), ["aws-cli", "jq"]);
 * assert.deepEqual(requiredTools({ tools: ["kubectl"], kcl: ">=0.9.0", platforms: ["linux"] }), [
 *   "kcl", "kubectl",
 * ]);
 * assert.deepEqual(requiredTools(undefined), []);
 * ```
 *
 * @param requires The manifest's `requires`, as written.
 * @returns The names, sorted and unique.
 */
export function requiredTools(requires: unknown): string[] {
  const names = new Set<string>();
  const addList = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const item of list) if (typeof item === "string" && item !== "") names.add(item);
  };
  if (Array.isArray(requires)) addList(requires);
  else if (typeof requires === "object" && requires !== null) {
    for (const [key, value] of Object.entries(requires)) {
      if (key === "tools") addList(value);
      else if (!NOT_TOOLS.has(key) && typeof value === "string") names.add(key);
    }
  }
  return [...names].sort();
}

/**
 * The tools not found as a file in any absolute folder of `path` (a `PATH` value).
 *
 * @example
 * ```ts
 * import { missingTools } from "./required_tools.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/jq`, "");
 * assert.deepEqual(await missingTools(["jq", "aws-cli"], dir), ["aws-cli"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param tools Program names.
 * @param path The `PATH` value.
 * @returns The names not found, in the order given.
 */
export async function missingTools(tools: readonly string[], path: string): Promise<string[]> {
  const folders = path.split(delimiter).filter((dir) => isAbsolute(dir));
  const missing: string[] = [];
  for (const tool of tools) {
    // A name with a separator is not a program name; it is never looked up outside PATH.
    if (tool.includes("/") || tool.includes("\\")) {
      missing.push(tool);
      continue;
    }
    let found = false;
    for (const dir of folders) {
      try {
        if ((await Deno.stat(join(dir, tool))).isFile) {
          found = true;
          break;
        }
      } catch {
        // not in this folder, or not readable
      }
    }
    if (!found) missing.push(tool);
  }
  return missing;
}
