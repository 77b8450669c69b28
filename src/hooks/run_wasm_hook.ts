import { cp } from "node:fs/promises";
import { join, relative } from "../fs/path.ts";
import { capWasmMemory } from "./cap_wasm_memory.ts";
import { hookFailed } from "./hook_failed.ts";
import type { ResolvedHook } from "./types.ts";

/** Bytes in one WebAssembly page (Extism's `memory.maxPages` counts these). */
export const WASM_PAGE_BYTES = 64 * 1024;

/**
 * Runs a WebAssembly hook with the Extism JS SDK (`@extism/extism`, imported only here).
 * The module follows the Extism plugin ABI, so any Extism PDK (Rust, Go, JS, …) can build
 * it: it exports a function named like the hook, taking no arguments and returning an
 * `i32` (0 = success), and talks to the host through the functions Extism provides in the
 * import module `extism:host/env` — `input_length() -> i64`, `input_load_u8(i64) -> i32`
 * (or `input_load_u64`), `alloc(i64) -> i64`, `store_u8(i64, i32)`, `length(i64) -> i64`,
 * `output_set(i64, i64)`, `error_set(i64)`, `http_request(i64, i64) -> i64`, `log_*`…
 * (the host side: extism/js-sdk `src/call-context.ts`, its `[ENV]` table, and
 * `src/http-context.ts`; the guest side: the Rust PDK's imports in
 * https://docs.rs/extism-pdk/latest/src/extism_pdk/extism.rs.html and the Go PDK's
 * https://github.com/extism/go-pdk/blob/main/env.go). The input is the JSON text; the
 * output must be JSON text. Extism's output is the whole block `output_set` names.
 *
 * Limits from the manifest: `allowedHosts` = the `net` hosts (Extism matches host names, so
 * a port in `host:port` is not enforced by it; Deno's own net permission of the command
 * still is), `memory.maxPages` = `memory` MiB (what the host allocates for the plugin) and
 * the module's own memories capped at as many pages ({@linkcode capWasmMemory}: a
 * `memory.grow` past it fails), `timeoutMs` = `timeout` seconds (the plugin
 * runs in a worker thread the SDK terminates). With WASI (a module importing
 * `wasi_snapshot_preview1`), `/scratch` is the call's scratch folder and `/ext` holds
 * copies of the declared `read` paths (Extism's JS SDK cannot preopen a folder read-only,
 * so the extension itself is never handed over).
 *
 * @example
 * ```ts ignore
 * const out = await runWasmHook(await resolveHook(dir, "render"), { name: "x" }, scratch);
 * ```
 *
 * @param hook The resolved hook (kind `wasm`).
 * @param input The JSON input.
 * @param scratch The call's scratch folder.
 * @param onLog Receives the plugin's log lines and the SDK's errors.
 * @returns The hook's JSON output.
 * @throws {ProvisioningError} `HOOK_FAILED` when the module cannot be loaded, the call
 *   traps, reports an error, exceeds its memory or time, or returns non-JSON.
 */
export async function runWasmHook(
  hook: ResolvedHook,
  input: unknown,
  scratch: string,
  onLog: (line: string) => void = () => {},
): Promise<unknown> {
  const { default: createPlugin } = await import("@extism/extism");
  const { net, timeout, memory } = hook.permissions;
  const errors: string[] = [];
  const log = (level: string) => (message: unknown) => {
    const line = String(message);
    if (level === "error") errors.push(line);
    onLog(line);
  };
  const logger = {
    error: log("error"),
    warn: log("warn"),
    info: log("info"),
    debug: log("debug"),
    trace: log("trace"),
  };
  const fail = (reason: string) =>
    hookFailed(hook, errors.length === 0 ? reason : `${reason} (${errors.join("; ")})`);

  const maxPages = Math.floor((memory * 1024 * 1024) / WASM_PAGE_BYTES);
  let module: WebAssembly.Module;
  try {
    // The SDK's maxPages bounds what the host allocates; the module's own memory is capped here.
    module = await WebAssembly.compile(capWasmMemory(await Deno.readFile(hook.module), maxPages));
  } catch (error) {
    throw fail(
      error instanceof RangeError
        ? messageOf(error)
        : `not a WebAssembly module: ${messageOf(error)}`,
    );
  }
  const exports = WebAssembly.Module.exports(module);
  if (!exports.some((entry) => entry.kind === "function" && entry.name === hook.name)) {
    throw fail(`the module exports no function ${JSON.stringify(hook.name)}`);
  }
  const useWasi = WebAssembly.Module.imports(module)
    .some((entry) => entry.module === "wasi_snapshot_preview1");
  const allowedPaths: Record<string, string> = {};
  if (useWasi) {
    allowedPaths["/scratch"] = join(scratch, "out");
    await Deno.mkdir(allowedPaths["/scratch"]);
    allowedPaths["/ext"] = join(scratch, "ext");
    await Deno.mkdir(allowedPaths["/ext"]);
    for (const path of hook.declaredRead) {
      await cp(path, join(allowedPaths["/ext"], relative(hook.root, path)), { recursive: true })
        .catch(() => {}); // a declared path that is absent copies nothing
    }
  }

  let plugin;
  try {
    plugin = await createPlugin({ wasm: [{ module }] }, {
      useWasi,
      runInWorker: true,
      allowedHosts: [...new Set(net.map(hostName))],
      allowedPaths,
      memory: { maxPages },
      timeoutMs: timeout * 1000,
      logger: logger as unknown as NonNullable<
        NonNullable<Parameters<typeof createPlugin>[1]>["logger"]
      >,
      logLevel: "info",
      // Deno's worker_threads accept no Node flags (the SDK's default passes one).
      nodeWorkerArgs: { execArgv: [] },
    });
  } catch (error) {
    throw fail(`cannot start the plugin: ${messageOf(error)}`);
  }
  let text: string;
  try {
    const output = await plugin.call(hook.name, JSON.stringify(input));
    text = output?.text() ?? "";
  } catch (error) {
    const message = messageOf(error);
    throw fail(
      /timeout/i.test(message)
        ? `did not finish within ${timeout} s (permissions.timeout)`
        : message,
    );
  } finally {
    await plugin.close().catch(() => {});
  }
  try {
    return JSON.parse(text);
  } catch {
    throw fail("it returned text that is not JSON");
  }
}

/** `host` of `host:port` (and of `[v6]:port`). */
function hostName(entry: string): string {
  const bracket = /^\[([^\]]+)\]/.exec(entry);
  if (bracket !== null) return bracket[1]!;
  return entry.replace(/:\d+$/, "");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
