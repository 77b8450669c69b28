import { pathToFileURL } from "node:url";
import { ProvisioningError } from "../errors.ts";
import { hookFailed } from "./hook_failed.ts";
import { heldOnly } from "./held_only.ts";
import type { HookContext, ResolvedHook } from "./types.ts";

/**
 * The worker's own code, loaded from a `data:` URL (it needs no read permission and works
 * unchanged in the one-file bundle), with the call written into it: it imports the hook
 * module (Deno checks that import against the worker's read and import permissions), calls
 * its default export with the input and the context, and answers the result as JSON text.
 * `console.*` and `Deno.stdout`/`Deno.stderr` are sent to the caller as log lines, so the
 * command's stdout carries only the result. The call travels in the URL, not by
 * `postMessage`: in Deno 2.9 a message into a worker started by another worker (the CLI's
 * scoped worker) takes about half a second.
 */
function bootstrap(call: { url: string; input: unknown; context: HookContext }): string {
  return `
const call = ${JSON.stringify(call)};
const send = (message) => self.postMessage(message);
for (const level of ["log", "info", "warn", "error", "debug"]) {
  console[level] = (...args) => send({ kind: "log", line: args.map((a) => typeof a === "string" ? a : Deno.inspect(a)).join(" ") });
}
// Deno.stdout/stderr would bypass the log lines (and their escaping): they become log lines
// too; stdin is not the hook's.
const decoder = new TextDecoder();
const toLog = { write: async (bytes) => toLog.writeSync(bytes), writeSync: (bytes) => {
  send({ kind: "log", line: decoder.decode(bytes).replace(/\\n$/, "") });
  return bytes.length;
}, isTerminal: () => false };
for (const name of ["stdout", "stderr"]) Object.defineProperty(Deno, name, { value: toLog });
Object.defineProperty(Deno, "stdin", { value: undefined });
send({ kind: "started" });
try {
  const module = await import(call.url);
  if (typeof module.default !== "function") {
    throw new TypeError("the module has no default export function");
  }
  const result = await module.default(call.input, call.context);
  let json;
  try {
    json = JSON.stringify(result);
  } catch (error) {
    throw new TypeError("it returned a value that is not JSON (" + error.message + ")");
  }
  if (typeof json !== "string") {
    throw new TypeError("it returned " + (result === undefined ? "undefined" : typeof result) + ", not JSON");
  }
  send({ kind: "done", json });
} catch (error) {
  send({ kind: "failed", name: error?.name ?? "Error", message: String(error?.message ?? error) });
}
`;
}

/** Seconds a hook's worker may take to start before the call fails. */
export const STARTUP_LIMIT_S = 30;

type HookMessage =
  | { kind: "started" }
  | { kind: "log"; line: string }
  | { kind: "done"; json: string }
  | { kind: "failed"; name: string; message: string };

/**
 * Runs a TypeScript/JavaScript hook in a Deno Worker whose permissions are exactly the
 * declared ones: read the module's folder and the declared `read` paths (real paths inside
 * the extension), read and write `scratch` (nothing else is writable), connect to the
 * declared hosts, read the declared variables; no processes, FFI, system information or remote imports. Grants the calling
 * thread does not hold itself are left out (a worker can only narrow), so Deno refuses
 * them inside the hook too. The worker is terminated after `permissions.timeout` seconds.
 *
 * @example
 * ```ts
 * import { resolveHook } from "./resolve_hook.ts";
 * import { runModuleHook } from "./run_module_hook.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.realPath(await Deno.makeTempDir());
 * await Deno.writeTextFile(`${dir}/h.js`, "export default (input) => ({ twice: input.n * 2 });");
 * await Deno.writeTextFile(
 *   `${dir}/extension.yaml`,
 *   "extension: {name: demo, version: 1.0.0, type: taskserv}\nhooks: {h: h.js}\n",
 * );
 * const out = await runModuleHook(await resolveHook(dir, "h"), { n: 21 }, dir);
 * assert.deepEqual(out, { twice: 42 });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param hook The resolved hook.
 * @param input The JSON input.
 * @param scratch The call's scratch folder (the only writable place).
 * @param onLog Receives the hook's console lines.
 * @returns The hook's JSON output.
 * @throws {ProvisioningError} `HOOK_FAILED` when the hook throws, times out, returns
 *   non-JSON or its module cannot be loaded; `UNSUPPORTED` when Deno refuses the worker.
 */
export function runModuleHook(
  hook: ResolvedHook,
  input: unknown,
  scratch: string,
  onLog: (line: string) => void = () => {},
): Promise<unknown> {
  const { net, env, timeout } = hook.permissions;
  const permissions = heldOnly({ read: [...hook.read, scratch], write: [scratch], net, env });
  let worker: Worker;
  try {
    const context: HookContext = { hook: hook.name, extension: hook.root, scratch };
    const source = bootstrap({ url: pathToFileURL(hook.module).href, input, context });
    worker = new Worker(`data:text/javascript,${encodeURIComponent(source)}`, {
      type: "module",
      name: `hook ${hook.extension}/${hook.name}`,
      deno: {
        permissions: {
          ...permissions,
          run: false,
          ffi: false,
          sys: false,
          import: false,
        },
      },
    } as WorkerOptions);
  } catch (error) {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `Cannot start a sandbox for hook ${JSON.stringify(hook.name)}: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error, hint: "Launch with --unstable-worker-options" },
    );
  }
  return new Promise<unknown>((resolve, reject) => {
    // The hook's time starts when its worker runs; starting the sandbox is not its time.
    const expire = (reason: string) => () => {
      finish();
      reject(hookFailed(hook, reason));
    };
    let started = false;
    let timer = setTimeout(
      expire(`its sandbox did not start within ${STARTUP_LIMIT_S} s`),
      STARTUP_LIMIT_S * 1000,
    );
    const finish = () => {
      clearTimeout(timer);
      worker.terminate();
    };
    worker.onmessage = (event: MessageEvent<HookMessage>) => {
      const message = event.data;
      if (message.kind === "log") return onLog(message.line);
      if (message.kind === "started") {
        // Only the bootstrap's: a hook posting "started" again cannot restart its clock.
        if (started) return;
        started = true;
        clearTimeout(timer);
        timer = setTimeout(
          expire(`did not finish within ${timeout} s (permissions.timeout)`),
          timeout * 1000,
        );
        return;
      }
      finish();
      if (message.kind === "failed") {
        return reject(hookFailed(hook, `${message.name}: ${message.message}`));
      }
      try {
        resolve(JSON.parse(message.json));
      } catch {
        reject(hookFailed(hook, "it returned text that is not JSON"));
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish();
      reject(hookFailed(hook, event.message));
    };
    worker.onmessageerror = () => {
      finish();
      reject(hookFailed(hook, "it sent a message that cannot be read"));
    };
  });
}
