/**
 * Replacing a small JSON file of the cache's `discovery/` folder whole or not at all (private
 * to discovery and the launcher's remembered token realms; no heavy imports, it runs at
 * start-up).
 *
 * @module
 */

import { join } from "node:path";

/**
 * Writes a JSON file of the discovery folder whole or not at all: a temporary file beside
 * it, then a rename over it (readers see the old file or the new one, never a part).
 *
 * @example
 * ```ts
 * import { writeJsonReplacing } from "./write_json_replacing.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await writeJsonReplacing(`${dir}/discovery/x.json`, { a: 1 });
 * assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/discovery/x.json`)), { a: 1 });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param path The file (its folder is created).
 * @param value What to write, as JSON.
 * @throws {Error} File-system errors (callers treat the discovery folder as optional).
 */
export async function writeJsonReplacing(path: string, value: unknown): Promise<void> {
  const dir = join(path, "..");
  await Deno.mkdir(dir, { recursive: true });
  const temp = join(dir, `.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeTextFile(temp, JSON.stringify(value));
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
