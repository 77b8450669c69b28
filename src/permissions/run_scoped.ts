import { ProvisioningError } from "../errors.ts";
import { enterScopedWorker, type ReplanMessage } from "./ensure_permissions.ts";
import type { PermissionSet } from "./types.ts";
import { heldGrants, workerPermissions } from "./worker_permissions.ts";

/** The name a scoped worker is created with; {@linkcode isScopedWorker} looks for it. */
export const SCOPED_WORKER_NAME = "provisioning-scoped";

/** What the launcher sends a scoped worker. */
export interface ScopedRunMessage {
  /** Always `run`. */
  kind: "run";
  /** The command-line arguments to run. */
  args: string[];
  /** The set the launcher planned (the worker holds the part the launch itself holds). */
  set: PermissionSet;
}

/** What a scoped worker answers. */
export type ScopedResultMessage =
  | { kind: "done"; code: number }
  | { kind: "failed"; message: string }
  | ReplanMessage;

/** How a scoped run ended: an exit code, or a request to run again with a larger set. */
export type ScopedOutcome = { kind: "done"; code: number } | ReplanMessage;

/** Options of {@linkcode runScoped}. */
export interface RunScopedOptions {
  /** Receives a line when the worker dies without answering (default: stderr). */
  err?: (text: string) => void;
}

/**
 * Runs a module in a Worker that holds exactly `set` and nothing else, and returns the
 * exit code it answers. Deno itself enforces the set inside the worker: a write outside
 * `set.write`, a connection to a host outside `set.net`, a program outside `set.run` or a
 * variable outside `set.env` is refused with `NotCapable`, whatever the process was
 * launched with. The module must call {@linkcode serveScopedWorker} when
 * {@linkcode isScopedWorker} is true (it is loaded again, as the worker's main module).
 *
 * Requirements of the launching process: `--unstable-worker-options` (or `"unstable":
 * ["worker-options"]` in `deno.json`, or `deno compile --unstable-worker-options`). A worker
 * can only narrow: grants of `set` the launch does not hold itself are left out
 * ({@linkcode heldGrants}) and refused inside the worker, as they would be in place.
 * Variables the launch may not read are left out of the worker's set; with `--ignore-env`
 * at launch they read as unset there too.
 *
 * @example
 * ```ts ignore
 * // main.ts
 * if (isScopedWorker()) serveScopedWorker((args) => runCli(args, processContext()));
 * else if (import.meta.main) {
 *   const outcome = await runScoped(set, import.meta.url, Deno.args);
 *   Deno.exit(outcome.kind === "done" ? outcome.code : 1);
 * }
 * ```
 *
 * @param set The permissions the work may use.
 * @param moduleUrl URL of the module to run in the worker (usually `import.meta.url` of
 *   the entry point, so the one-file bundle and the compiled binary work unchanged).
 * @param args Arguments passed to the worker's handler.
 * @param options Where to report a worker that died.
 * @returns The exit code the worker answered (1 when it died without answering), or its
 *   request to be run again with a larger set (`ensure_permissions.ts`).
 * @throws {ProvisioningError} `UNSUPPORTED` when Deno refuses to create the worker. (Without
 *   `--unstable-worker-options`, Deno 2.9 does not throw: it prints its own message and ends
 *   the process with exit code 70 before the command runs.)
 */
export function runScoped(
  set: PermissionSet,
  moduleUrl: string | URL,
  args: readonly string[],
  options: RunScopedOptions = {},
): Promise<ScopedOutcome> {
  // A launch narrower than the set (say `--allow-net=127.0.0.1` and a registry elsewhere)
  // cannot pass on what it lacks: the worker gets the part it holds, and Deno refuses the
  // rest inside it, as it would refuse it to the launch itself.
  const held = heldGrants(set);
  let worker: Worker;
  try {
    worker = new Worker(new URL(moduleUrl).href, {
      type: "module",
      name: SCOPED_WORKER_NAME,
      deno: { permissions: workerPermissions(held) },
    } as WorkerOptions);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ProvisioningError(
      "UNSUPPORTED",
      /unstable-worker-options/.test(message)
        ? "Cannot narrow permissions: the process was launched without --unstable-worker-options"
        : `Cannot narrow permissions: ${message}`,
      {
        cause: error,
        hint:
          "Add --unstable-worker-options to the launch, or launch with the flags printed by `provisioning ext permissions`",
      },
    );
  }
  const err = options.err ?? ((text: string) => console.error(text.trimEnd()));
  return new Promise<ScopedOutcome>((resolve) => {
    const finish = (outcome: ScopedOutcome) => {
      worker.terminate();
      resolve(outcome);
    };
    const failed = (text: string) => {
      err(`error: Unexpected failure: ${text}\n`);
      finish({ kind: "done", code: 1 });
    };
    worker.onmessage = (event: MessageEvent<ScopedResultMessage>) => {
      const message = event.data;
      if (message.kind === "failed") return failed(message.message);
      finish(message);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      failed(event.message);
    };
    worker.onmessageerror = () => failed("the scoped worker sent an unreadable message");
    const run: ScopedRunMessage = { kind: "run", args: [...args], set };
    worker.postMessage(run);
  });
}

/**
 * Whether this code runs as the scoped worker {@linkcode runScoped} created.
 *
 * @example
 * ```ts
 * import { isScopedWorker } from "./run_scoped.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isScopedWorker(), false);
 * ```
 *
 * @returns True inside the scoped worker.
 */
export function isScopedWorker(): boolean {
  return "WorkerGlobalScope" in globalThis &&
    (globalThis as { name?: unknown }).name === SCOPED_WORKER_NAME;
}

/**
 * Inside the scoped worker: waits for the arguments, runs `handler`, answers its exit code
 * and closes the worker. Output written with `Deno.stdout`/`Deno.stderr` goes straight to
 * the process's streams. Call it only when {@linkcode isScopedWorker} is true.
 *
 * @example
 * ```ts ignore
 * if (isScopedWorker()) serveScopedWorker((args) => runCli(args, processContext()));
 * ```
 *
 * @param handler Runs the command and returns its exit code.
 */
export function serveScopedWorker(handler: (args: string[]) => Promise<number>): void {
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent<ScopedRunMessage>) => void) | null;
    postMessage(message: ScopedResultMessage): void;
    close(): void;
  };
  scope.onmessage = async (event) => {
    scope.onmessage = null;
    enterScopedWorker(event.data.set, (message) => scope.postMessage(message));
    let answer: ScopedResultMessage;
    try {
      answer = { kind: "done", code: await handler(event.data.args) };
    } catch (error) {
      answer = { kind: "failed", message: error instanceof Error ? error.message : String(error) };
    }
    scope.postMessage(answer);
    scope.close();
  };
}
