/**
 * Runs `main.ts` as a user would (a separate `deno run` process with a clean environment)
 * and captures its exit code and output.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** What one CLI run produced. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

/** Variables passed through so the child finds Deno's module cache and the network set-up. */
const PASSED_THROUGH = ["PATH", "DENO_DIR", "DENO_CERT", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"];

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  // A different HOME would move Deno's default cache: pin it to the parent's.
  const home = Deno.env.get("HOME");
  if (env.DENO_DIR === undefined && home !== undefined) {
    env.DENO_DIR = join(Deno.env.get("XDG_CACHE_HOME") ?? join(home, ".cache"), "deno");
  }
  return env;
}

/**
 * Spawns `deno run main.ts ...args` with only the given environment (plus `NO_COLOR`,
 * `HOME`, `PATH`), so the developer's own settings never leak into a test. `stdin`, when
 * given, is written to the child's standard input (then closed); otherwise stdin is empty.
 */
export async function runCli(
  args: readonly string[],
  options: {
    env?: Record<string, string>;
    cwd?: string;
    home: string;
    permissions?: string[];
    stdin?: string;
  },
): Promise<CliRun> {
  const permissions = options.permissions ?? ["--allow-read", "--allow-env", "--allow-write"];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...permissions, MAIN, ...args],
    cwd: options.cwd ?? options.home,
    clearEnv: true,
    env: { ...inheritedEnv(), NO_COLOR: "1", HOME: options.home, ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
