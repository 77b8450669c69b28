/**
 * Runs one git command for the git source with a timeout, private to `src/git`.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { runGit as defaultRunGit } from "./run_git.ts";
import type { GitRemoteOptions, GitResult, RunGit } from "./types.ts";

/** Default milliseconds one git invocation may take. */
export const DEFAULT_GIT_TIMEOUT_MS = 120_000;

/** How git is run for one operation. */
export interface GitCallSettings {
  runGit: RunGit;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/**
 * Reads the runner, timeout and signal out of an operation's options.
 *
 * @param options The operation's options.
 * @returns The settings, defaults applied.
 */
export function gitCallSettings(options: GitRemoteOptions): GitCallSettings {
  return {
    runGit: options.runGit ?? defaultRunGit,
    timeoutMs: options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS,
    signal: options.signal,
  };
}

/**
 * Runs git, killing it after the timeout.
 *
 * @param settings Runner, timeout, outer signal.
 * @param args Arguments after `git`.
 * @param what What is being done, for the timeout message (`list tags of "…"`).
 * @param extra Working directory and where to stream standard output.
 * @returns The git result (the caller checks the exit code).
 * @throws {ProvisioningError} `TIMEOUT` when the timeout fired; the outer signal's reason when
 *   it was aborted.
 */
export async function callGit(
  settings: GitCallSettings,
  args: readonly string[],
  what: string,
  extra: { cwd?: string; stdout?: WritableStream<Uint8Array> } = {},
): Promise<GitResult> {
  settings.signal?.throwIfAborted();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, settings.timeoutMs);
  const onAbort = () => controller.abort(settings.signal?.reason);
  settings.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const result = await settings.runGit(args, { ...extra, signal: controller.signal });
    if (timedOut) throw timeoutError(what, settings.timeoutMs);
    settings.signal?.throwIfAborted();
    return result;
  } catch (error) {
    if (timedOut) throw timeoutError(what, settings.timeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
    settings.signal?.removeEventListener("abort", onAbort);
  }
}

function timeoutError(what: string, timeoutMs: number): ProvisioningError {
  return new ProvisioningError(
    "TIMEOUT",
    `Cannot ${what}: git did not finish within ${timeoutMs / 1000} s`,
    { hint: "Check that the remote is reachable, or raise the timeout" },
  );
}
