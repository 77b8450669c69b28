/**
 * Extension hooks: code an extension declares in `extension.yaml` (`hooks:`), run in a
 * sandbox with exactly the permissions it declares (`permissions:`). TypeScript/JavaScript
 * modules run in a Deno Worker; WebAssembly modules run as Extism plugins.
 *
 * @example
 * ```ts
 * import { runHook } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.realPath(await Deno.makeTempDir());
 * await Deno.writeTextFile(`${dir}/h.js`, "export default (i) => ({ hello: i.name });");
 * await Deno.writeTextFile(
 *   `${dir}/extension.yaml`,
 *   "extension: {name: demo, version: 1.0.0, type: taskserv}\nhooks: {greet: h.js}\n",
 * );
 * assert.deepEqual(await runHook({ name: "demo", path: dir }, "greet", { name: "ada" }), {
 *   hello: "ada",
 * });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./approval.ts";
export * from "./resolve_hook.ts";
export * from "./run_hook.ts";
