/**
 * `provisioning __complete-names`: the extension names the discovery cache knows, one a line,
 * for the completion scripts. Reads only `<cache>/discovery/*.json` (no source is asked, so a
 * Tab never waits for a registry) and prints nothing when there is no cache yet.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { isExtensionName } from "../manifest/extension_name.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import type { CliContext } from "./io.ts";

/**
 * The extension names in the discovery cache under `cacheRoot`, sorted, without repeats.
 * Unreadable or foreign files and names that break the naming rule are skipped (the names
 * come from registries and end up in a shell).
 *
 * @example
 * ```ts
 * import { cachedExtensionNames } from "./completion_names.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/discovery`);
 * await Deno.writeTextFile(`${root}/discovery/oci-1.json`, JSON.stringify({
 *   extensions: [{ name: "redis" }, { name: "aws" }, { name: "$(evil)" }],
 * }));
 * assert.deepEqual(await cachedExtensionNames(root), ["aws", "redis"]);
 * assert.deepEqual(await cachedExtensionNames(`${root}/none`), []);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param cacheRoot The cache root (`[cache] dir`).
 * @returns The names.
 */
export async function cachedExtensionNames(cacheRoot: string): Promise<string[]> {
  const dir = join(cacheRoot, "discovery");
  const names = new Set<string>();
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !entry.name.endsWith(".json")) continue;
      let file: { extensions?: unknown };
      try {
        file = JSON.parse(await Deno.readTextFile(join(dir, entry.name)));
      } catch {
        continue;
      }
      if (!Array.isArray(file?.extensions)) continue;
      for (const extension of file.extensions as { name?: unknown }[]) {
        const name = extension?.name;
        if (typeof name === "string" && isExtensionName(name)) names.add(name);
      }
    }
  } catch {
    return []; // no cache (yet): nothing to offer
  }
  return [...names].sort();
}

/**
 * Prints {@linkcode cachedExtensionNames} of the configured cache root, one a line.
 *
 * @param ctx Output and environment.
 * @param globals Global flags (`--cache-dir` moves the cache).
 */
export async function runCompleteNames(
  ctx: CliContext,
  globals: GlobalConfigOptions,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const names = await cachedExtensionNames(config.settings.cache.dir);
  if (names.length > 0) ctx.out(names.join("\n") + "\n");
}
