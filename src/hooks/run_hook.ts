import { ProvisioningError } from "../errors.ts";
import type { ExtensionManifest } from "../manifest/types.ts";
import { describeGrants, grantsOf, isEmptyGrants, unapprovedGrants } from "./approval.ts";
import { resolveHook } from "./resolve_hook.ts";
import { runModuleHook } from "./run_module_hook.ts";
import type { RunHookOptions } from "./types.ts";

/** What {@linkcode runHook} needs of a loaded extension (a `LoadResult` has it). */
export interface LoadedExtension {
  /** The extension's name. */
  name: string;
  /** Its folder: the cache entry, or a local folder used in place. */
  path?: string | undefined;
  /** Its manifest (re-read from `path` when absent). */
  manifest?: ExtensionManifest | undefined;
}

/**
 * Runs one hook of a loaded extension with a JSON input and returns its JSON output. A
 * TypeScript/JavaScript module runs in a Deno Worker holding exactly the declared
 * permissions ({@linkcode runModuleHook}); a `.wasm` module runs as an Extism plugin
 * (`runWasmHook`). Each call gets a fresh scratch folder (in the cache's `tmp/` when
 * `cacheRoot` is given), removed afterwards; nothing else is written.
 *
 * @example
 * ```ts
 * import { runHook } from "./run_hook.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.realPath(await Deno.makeTempDir());
 * await Deno.writeTextFile(`${dir}/h.ts`, "export default (i: { a: number }) => [i.a, i.a];");
 * await Deno.writeTextFile(
 *   `${dir}/extension.yaml`,
 *   "extension: {name: demo, version: 1.0.0, type: taskserv}\nhooks: {pair: h.ts}\n",
 * );
 * assert.deepEqual(await runHook({ name: "demo", path: dir }, "pair", { a: 1 }), [1, 1]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param loaded The loaded extension (`loadExtension`'s result).
 * @param hook The hook's name.
 * @param input The JSON input.
 * @param options Scratch location, what was approved, where log lines go.
 * @returns The hook's output.
 * @throws {ProvisioningError} `NOT_FOUND` for an unknown hook; `HOOK_NOT_APPROVED` when
 *   `approved` does not cover the permissions; `HOOK_FAILED` (exit 6) when the hook
 *   throws, times out, exceeds its memory or returns non-JSON.
 */
export async function runHook(
  loaded: LoadedExtension,
  hook: string,
  input: unknown,
  options: RunHookOptions = {},
): Promise<unknown> {
  if (loaded.path === undefined) {
    throw new ProvisioningError(
      "NOT_FOUND",
      `Extension ${JSON.stringify(loaded.name)} has no folder`,
    );
  }
  const resolved = await resolveHook(loaded.path, hook, loaded.manifest);
  if (options.approved !== undefined) {
    const missing = unapprovedGrants(grantsOf(resolved.permissions), options.approved);
    if (!isEmptyGrants(missing)) {
      throw new ProvisioningError(
        "HOOK_NOT_APPROVED",
        `Hook ${JSON.stringify(hook)} of ${JSON.stringify(resolved.extension)} asks for ${
          describeGrants(missing)
        }, which was not approved`,
        { hint: `Approve it with \`provisioning ext approve ${resolved.extension}\`` },
      );
    }
  }
  const onLog = options.onLog ?? (() => {});
  await using scratch = await scratchFolder(options.cacheRoot);
  if (resolved.kind === "wasm") {
    const { runWasmHook } = await import("./run_wasm_hook.ts");
    return await runWasmHook(resolved, input, scratch.path, onLog);
  }
  return await runModuleHook(resolved, input, scratch.path, onLog);
}

async function scratchFolder(
  cacheRoot: string | undefined,
): Promise<AsyncDisposable & { path: string }> {
  if (cacheRoot !== undefined) {
    const { makeScratchDir } = await import("../cache/scratch.ts");
    return await makeScratchDir(cacheRoot, "hook");
  }
  const path = await Deno.realPath(await Deno.makeTempDir({ prefix: "provisioning-hook-" }));
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }).catch(() => {}),
  };
}
