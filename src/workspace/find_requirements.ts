/**
 * Where a workspace's `extensions.toml` and `extensions.lock` are. Kept apart from the file's
 * parser (TOML, version specs) so the permission plan can find them without loading either.
 *
 * @module
 */

import { dirname, join } from "../fs/path.ts";

/** The requirements file's name. */
export const REQUIREMENTS_FILE = "extensions.toml";
/** The lock file's name, beside it. */
export const LOCK_FILE = "extensions.lock";

/**
 * Where the requirements file is: in the workspace folder when there is one, else the first
 * `extensions.toml` found walking up from `cwd`; undefined when there is none.
 *
 * @example
 * ```ts
 * import { findRequirementsFile } from "./find_requirements.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/a/b`, { recursive: true });
 * await Deno.writeTextFile(`${dir}/extensions.toml`, "[extensions]\n");
 * assert.equal(await findRequirementsFile(undefined, `${dir}/a/b`), `${dir}/extensions.toml`);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param workspace The workspace folder (`config.workspace`), if any.
 * @param cwd Absolute directory to start from.
 * @returns The file's path, or undefined.
 */
export async function findRequirementsFile(
  workspace: string | undefined,
  cwd: string,
): Promise<string | undefined> {
  if (workspace !== undefined) return join(workspace, REQUIREMENTS_FILE);
  for (let dir = cwd;; dir = dirname(dir)) {
    const candidate = join(dir, REQUIREMENTS_FILE);
    try {
      if ((await Deno.stat(candidate)).isFile) return candidate;
    } catch {
      // not here
    }
    if (dirname(dir) === dir) return undefined;
  }
}
