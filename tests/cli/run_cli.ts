/**
 * Runs `main.ts` as a user would (a separate `deno run` process with a clean environment)
 * and captures its exit code and output.
 *
 * By default the child is a broad launch with exactly the flags of `deno task ext` and the
 * compiled binary ({@linkcode BROAD_LAUNCH_FLAGS}), so every CLI test goes through the real
 * least-privilege path: `main.ts` plans the command's permission set and runs the command in
 * a Worker that holds only that set. `launch: "scoped"` instead runs `main.ts` in place with
 * exactly the flags `ext permissions` prints for the command.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BROAD_LAUNCH_FLAGS } from "../../src/permissions/launch_flags.ts";

/** What one CLI run produced. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Both ways users run the tool (see {@linkcode RunCliOptions.launch}), for `t.step` tables. */
export const CLI_LAUNCHES = [
  { launch: "broad", label: "broad launch, scoped worker" },
  { launch: "scoped", label: "in place with the printed flags" },
] as const;

/**
 * `ext pull NAME --source oci --version VERSION --force --format json`: a pull from the
 * registry that fetches again even when the version is cached.
 *
 * @param name The extension.
 * @param version The exact version.
 * @returns The arguments.
 */
export function forcedOciPullArgs(name: string, version: string): string[] {
  return [
    "ext",
    "pull",
    name,
    "--source",
    "oci",
    "--version",
    version,
    "--force",
    "--format",
    "json",
  ];
}

/** Options of {@linkcode runCli}. */
export interface RunCliOptions {
  /** Environment of the child, on top of `NO_COLOR`, `HOME` and what Deno needs. */
  env?: Record<string, string>;
  /** Current directory (default: `home`). */
  cwd?: string;
  /** `HOME` of the child. */
  home: string;
  /** Deno flags to launch with verbatim (overrides `launch`). */
  permissions?: string[];
  /**
   * `broad` (default): {@linkcode BROAD_LAUNCH_FLAGS}, the command runs in a scoped worker.
   * `scoped`: the flags `ext permissions` prints for the command, the command runs in place.
   */
  launch?: "broad" | "scoped";
  /** Written to the child's standard input (then closed); otherwise stdin is empty. */
  stdin?: string;
  /** The entry module (default `main.ts`; the bundle's tests pass `dist/provisioning.js`). */
  entry?: string;
  /** Deno flags before the permission flags (e.g. `--no-config` for the bundle). */
  denoFlags?: string[];
  /** Kills the child when aborted (a safety bound for tests that detect a hang). */
  signal?: AbortSignal;
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
 * Spawns `deno run <flags> main.ts ...args` with only the given environment (plus
 * `NO_COLOR`, `HOME`, `PATH`), so the developer's own settings never leak into a test.
 *
 * @param args Arguments after the program name.
 * @param options Home, environment, launch, stdin.
 * @returns Exit code and output.
 */
export async function runCli(args: readonly string[], options: RunCliOptions): Promise<CliRun> {
  const flags = options.permissions ??
    (options.launch === "scoped" ? await printedFlags(args, options) : [...BROAD_LAUNCH_FLAGS]);
  return await spawn(
    [...(options.denoFlags ?? []), ...flags, options.entry ?? MAIN, ...args],
    options,
  );
}

/**
 * The flags `ext permissions` prints for the command in `args` (asked through a broad
 * launch with the same home, environment and global flags).
 *
 * @param args The command line to be run.
 * @param options Home and environment of the run.
 * @returns The `deno run` permission flags.
 */
export async function printedFlags(
  args: readonly string[],
  options: RunCliOptions,
): Promise<string[]> {
  // `ext permissions` parses the command line it describes with the real command tree.
  const asked = ["ext", "permissions", "--format", "json", "--", ...args];
  const run = await spawn(
    [...(options.denoFlags ?? []), ...BROAD_LAUNCH_FLAGS, options.entry ?? MAIN, ...asked],
    { ...options, stdin: undefined },
  );
  if (run.code !== 0) {
    throw new Error(`ext permissions ${args.join(" ")} failed (${run.code}): ${run.stderr}`);
  }
  return JSON.parse(run.stdout).flags as string[];
}

async function spawn(
  runArgs: readonly string[],
  options: Omit<RunCliOptions, "stdin"> & { stdin?: string | undefined },
): Promise<CliRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...runArgs],
    cwd: options.cwd ?? options.home,
    clearEnv: true,
    env: { ...inheritedEnv(), NO_COLOR: "1", HOME: options.home, ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    ...(options.signal === undefined ? {} : { signal: options.signal }),
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

/** What a run on a terminal produced: its exit code and everything the terminal showed. */
export interface TerminalRun {
  code: number;
  /** stdout and stderr as the terminal showed them (with what it echoed). */
  output: string;
}

/**
 * Runs `main.ts ...args` on a real terminal (a pty from util-linux `script`), typing `keys`
 * once the terminal shows `prompt`, so prompts that need a terminal (confirmations, the
 * password prompt) are tested as a user meets them. Undefined when `script` is missing.
 *
 * @param args Arguments after the program name.
 * @param options Home, environment, the Deno flags (`permissions`, default broad) and the
 *   terminal's width (`columns`, set with `stty`).
 * @param prompt Text to wait for before typing.
 * @param keys What to type (end a line with `\r`, as Enter does).
 * @returns Exit code and output, or undefined without `script`.
 */
export async function runOnTerminal(
  args: readonly string[],
  options: Pick<RunCliOptions, "home" | "env" | "permissions"> & { columns?: number },
  prompt: string,
  keys: string,
): Promise<TerminalRun | undefined> {
  const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
  const flags = options.permissions ?? BROAD_LAUNCH_FLAGS;
  const command = [Deno.execPath(), "run", "--quiet", ...flags, MAIN, ...args].map(quote).join(" ");
  const line = options.columns === undefined
    ? command
    : `stty cols ${options.columns} rows 40 && exec ${command}`;
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("script", {
      args: ["-qec", line, "/dev/null"],
      cwd: options.home,
      clearEnv: true,
      env: { ...inheritedEnv(), NO_COLOR: "1", HOME: options.home, ...options.env },
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const decoder = new TextDecoder();
  const writer = child.stdin.getWriter();
  let output = "";
  let typed = false;
  const timer = setTimeout(() => child.kill(), 60_000);
  try {
    for await (const chunk of child.stdout) {
      output += decoder.decode(chunk, { stream: true });
      if (!typed && output.includes(prompt)) {
        typed = true;
        await writer.write(new TextEncoder().encode(keys));
      }
    }
  } finally {
    clearTimeout(timer);
  }
  const { code } = await child.status;
  await writer.close().catch(() => {});
  return { code, output };
}

/**
 * Runs `fn` with a fresh temporary home folder, removed afterwards.
 *
 * @param prefix Name prefix of the folder (shows which test left it, should one stay).
 * @param fn The test body.
 */
export async function withTempHome(
  prefix: string,
  fn: (home: string) => Promise<void>,
): Promise<void> {
  const home = await Deno.makeTempDir({ prefix });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

/**
 * Starts `main.ts ...args` as {@linkcode runCli} does (broad launch by default, clean
 * environment) and returns the running child, for commands that keep running (`ext ui`);
 * stdout and stderr are piped, stdin is closed.
 *
 * @param args Arguments after the program name.
 * @param options Home, environment, launch flags.
 * @returns The child process.
 */
export async function spawnCli(
  args: readonly string[],
  options: RunCliOptions,
): Promise<Deno.ChildProcess> {
  const flags = options.permissions ??
    (options.launch === "scoped" ? await printedFlags(args, options) : [...BROAD_LAUNCH_FLAGS]);
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      ...(options.denoFlags ?? []),
      ...flags,
      options.entry ?? MAIN,
      ...args,
    ],
    cwd: options.cwd ?? options.home,
    clearEnv: true,
    env: { ...inheritedEnv(), NO_COLOR: "1", HOME: options.home, ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}
