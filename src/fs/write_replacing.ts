/**
 * Replacing a small file whole or not at all: the cache's `discovery/` files, the launcher's
 * remembered token realms, a workspace's lock file, stored credentials (no heavy imports: it
 * runs at start-up).
 *
 * @module
 */

import { join } from "./path.ts";

/**
 * Writes a JSON file of the discovery folder whole or not at all: a temporary file beside
 * it, then a rename over it (readers see the old file or the new one, never a part).
 *
 * @example
 * ```ts
 * import { writeJsonReplacing } from "./write_replacing.ts";
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
  await writeTextReplacing(path, JSON.stringify(value));
}

/**
 * Writes a text file whole or not at all (temporary file beside it, then a rename), creating
 * its folder: the lock file and the discovery cache's files.
 *
 * @example
 * ```ts
 * import { writeTextReplacing } from "./write_replacing.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await writeTextReplacing(`${dir}/a/b.txt`, "hello\n");
 * assert.equal(await Deno.readTextFile(`${dir}/a/b.txt`), "hello\n");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param path The file.
 * @param text Its new content.
 * @param options `mode` of the new file (credentials: 0o600), `dirMode` of a folder made.
 * @throws {Error} File-system errors.
 */
export async function writeTextReplacing(
  path: string,
  text: string,
  options: { mode?: number; dirMode?: number } = {},
): Promise<void> {
  const dir = join(path, "..");
  await Deno.mkdir(dir, { recursive: true, ...(options.dirMode ? { mode: options.dirMode } : {}) });
  const temp = join(dir, `.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeTextFile(temp, text, {
      createNew: true,
      ...(options.mode === undefined ? {} : { mode: options.mode }),
    });
    // The umask may have narrowed the mode; a secret's file gets exactly what was asked.
    if (options.mode !== undefined) await Deno.chmod(temp, options.mode);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}
