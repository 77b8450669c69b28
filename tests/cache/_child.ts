/**
 * Spawning {@link ./save_child.ts} (private helper of the cache's integration tests).
 *
 * @module
 */

import { fileURLToPath as fromFileUrl } from "node:url";

const CHILD = fromFileUrl(new URL("./save_child.ts", import.meta.url));
const CONFIG = fromFileUrl(new URL("../../deno.json", import.meta.url));

/** Starts one child saving into a cache; stdout and stderr are piped. */
export function spawnSave(options: Record<string, unknown>): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--config",
      CONFIG,
      "--allow-read",
      "--allow-write",
      "--allow-env",
      CHILD,
      JSON.stringify(options),
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}
