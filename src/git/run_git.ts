import { ProvisioningError } from "../errors.ts";
import type { GitResult, RunGitOptions } from "./types.ts";

/**
 * Environment every git invocation gets on top of the inherited one: no prompts of any kind
 * (terminal, askpass), only the transports this source supports (no `ext::` helpers),
 * untranslated messages so failures can be classified.
 */
export const GIT_ENV: Readonly<Record<string, string>> = {
  GIT_TERMINAL_PROMPT: "0",
  GIT_ASKPASS: "",
  SSH_ASKPASS: "",
  GIT_ALLOW_PROTOCOL: "file:git:http:https",
  LC_ALL: "C",
};

/**
 * Runs the `git` on `PATH` with `args`, without a shell (arguments are never interpolated),
 * with {@linkcode GIT_ENV} and standard input closed. Standard output is collected as text,
 * or streamed into `options.stdout`.
 *
 * @example
 * ```ts
 * import { runGit } from "./run_git.ts";
 * import assert from "node:assert/strict";
 *
 * const result = await runGit(["--version"]);
 * assert.equal(result.code, 0);
 * assert.match(result.stdout, /^git version /);
 * ```
 *
 * @param args Arguments after `git`.
 * @param options Working directory, abort signal, where to stream standard output.
 * @returns Exit code, standard output (unless streamed) and standard error.
 * @throws {ProvisioningError} `UNSUPPORTED` when git is not installed or may not be run
 *   (missing `--allow-run=git`).
 */
export async function runGit(
  args: readonly string[],
  options: RunGitOptions = {},
): Promise<GitResult> {
  const child = spawnGit(args, options);
  const stdout = options.stdout === undefined
    ? new Response(child.stdout).text()
    : child.stdout.pipeTo(options.stdout).then(() => "");
  // Every part is waited for, so no process or pipe outlives the call, whatever failed.
  const [out, err, status] = await Promise.allSettled([
    stdout,
    new Response(child.stderr).text(),
    child.status,
  ]);
  if (status.status === "rejected") throw status.reason;
  if (out.status === "rejected") throw out.reason;
  if (err.status === "rejected") throw err.reason;
  return { code: status.value.code, stdout: out.value, stderr: err.value };
}

function spawnGit(args: readonly string[], options: RunGitOptions): Deno.ChildProcess {
  try {
    return new Deno.Command("git", {
      args: [...args],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      env: { ...GIT_ENV },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ProvisioningError("UNSUPPORTED", 'Cannot run "git": it is not installed', {
        cause: error,
        hint: "Install git (e.g. apt-get install git) to use git remotes",
      });
    }
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new ProvisioningError("UNSUPPORTED", 'Cannot run "git": not permitted', {
        cause: error,
        hint: "Run with --allow-run=git to use git remotes",
      });
    }
    throw error;
  }
}
