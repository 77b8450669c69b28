/**
 * Test helpers for the config module: real files in a temporary directory.
 *
 * @module
 */

import { dirname, join } from "../fs/path.ts";

/**
 * Creates a temporary directory holding `files` (relative path → text), runs `fn` with its
 * real path, and removes it afterwards.
 *
 * @param files Files to create; parent folders are created as needed. A path ending in `/`
 * creates an empty directory.
 * @param fn The test body.
 * @returns What `fn` returns.
 */
export async function withTempTree<T>(
  files: Record<string, string>,
  fn: (root: string) => Promise<T> | T,
): Promise<T> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "provisioning-config-" }));
  try {
    for (const [path, text] of Object.entries(files)) {
      const full = join(root, path);
      if (path.endsWith("/")) {
        await Deno.mkdir(full, { recursive: true });
        continue;
      }
      await Deno.mkdir(dirname(full), { recursive: true });
      await Deno.writeTextFile(full, text);
    }
    return await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
