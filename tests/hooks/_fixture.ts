/**
 * Extensions with hooks for the hook tests: a TypeScript hook that renders a template and,
 * asked to, tries what its sandbox must refuse; WebAssembly hooks built from WAT with the
 * npm `wabt` package, written against the Extism host ABI.
 *
 * @module
 */

import { join } from "node:path";

/**
 * The probe hook: `{action}` picks what it does. Every refused operation is caught in the
 * hook and returned as `{refused: name, message}`, so a test sees exactly the error Deno
 * raised inside the sandbox (not a check of ours).
 */
export const PROBE_HOOK = `
export default async function probe(input, ctx) {
  // {action: "each", tries: {name: input}}: every try in one call, answered by name.
  if (input.action === "each") {
    const answers = {};
    for (const [name, each] of Object.entries(input.tries)) answers[name] = await probe(each, ctx);
    return answers;
  }
  const attempt = async (fn) => {
    try {
      return { ok: await fn() };
    } catch (error) {
      return { refused: error.name, message: error.message };
    }
  };
  switch (input.action) {
    case "render": {
      const template = await Deno.readTextFile(ctx.extension + "/templates/page.txt");
      return { text: template.replace("{{name}}", input.name) };
    }
    case "passwd": return await attempt(() => Deno.readTextFile("/etc/passwd"));
    case "other": return await attempt(() => Deno.readTextFile(input.path));
    case "env": return await attempt(() => Deno.env.get(input.name) ?? null);
    case "net": return await attempt(async () => (await fetch(input.url)).status);
    case "spawn": return await attempt(async () => (await new Deno.Command("git", { args: ["--version"] }).output()).code);
    case "write-outside": return await attempt(() => Deno.writeTextFile(ctx.extension + "/written.txt", "x"));
    case "write-scratch": {
      await Deno.writeTextFile(ctx.scratch + "/out.txt", "x");
      return { wrote: ctx.scratch + "/out.txt", read: await Deno.readTextFile(ctx.scratch + "/out.txt") };
    }
    // The URL comes from the input: a literal would make Deno fetch it while loading the hook.
    case "import": return await attempt(() => import(input.url));
    case "log": {
      console.log("logged", { n: 1 });
      Deno.stdout.writeSync(new TextEncoder().encode("\\x1b[2Jwritten\\n"));
      return { logged: true };
    }
    case "throw": throw new Error("the hook gave up");
    case "undefined": return undefined;
    case "loop": for (;;) {}
    case "restart-clock": {
      // Pretends to be the sandbox starting, again and again, to outlive its timeout.
      for (;;) {
        self.postMessage({ kind: "started" });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
  return { unknown: input.action };
}
`;

/** Options of {@linkcode writeProbeExtension}. */
export interface ProbeOptions {
  /** Extension name (default `web`). */
  name?: string;
  /** Version (default `1.0.0`). */
  version?: string;
  /** The `permissions:` block as YAML flow mapping text (default: read templates). */
  permissions?: string;
}

/**
 * Writes an extension folder `<dir>/<name>` with the probe hook as `hooks/probe.ts` and a
 * template `templates/page.txt`.
 *
 * @param dir Parent folder (a local extensions path).
 * @param options Name, version, permissions.
 * @returns The extension's folder.
 */
export async function writeProbeExtension(
  dir: string,
  options: ProbeOptions = {},
): Promise<string> {
  const name = options.name ?? "web";
  const root = join(dir, name);
  await Deno.mkdir(join(root, "hooks"), { recursive: true });
  await Deno.mkdir(join(root, "templates"), { recursive: true });
  await Deno.writeTextFile(
    join(root, "extension.yaml"),
    [
      "extension:",
      `  name: ${name}`,
      `  version: ${options.version ?? "1.0.0"}`,
      "  type: taskserv",
      "hooks:",
      "  probe: hooks/probe.ts",
      `permissions: ${options.permissions ?? '{read: ["templates/"], timeout: 1}'}`,
      "",
    ].join("\n"),
  );
  await Deno.writeTextFile(join(root, "hooks", "probe.ts"), PROBE_HOOK);
  await Deno.writeTextFile(join(root, "templates", "page.txt"), "Hello {{name}}!");
  return root;
}

/**
 * A WebAssembly module in WAT using the Extism host ABI (module `extism:host/env`, as the
 * Extism JS SDK's `CallContext` provides it (extism/js-sdk `src/call-context.ts`) and the
 * Rust PDK imports it (`extism_pdk/extism.rs`): `input_length() -> i64`,
 * `input_load_u8(i64) -> i32`, `alloc(i64) -> i64`, `store_u8(i64, i32)`,
 * `length(i64) -> i64`, `output_set(i64, i64)`, `http_request(i64, i64) -> i64`). Exports:
 *
 * - `wrap`: outputs `{"wrapped":<input>}` (a JSON transform);
 * - `fetch`: sends its input as the Extism HTTP request (`{"url": …}`) and outputs the body;
 * - `hog`: asks the host for 10 MB (more than a 1 MiB limit) and traps when refused;
 * - `grow`: grows its own memory by 100 pages (6.25 MiB); outputs whether that worked;
 * - `spin`: loops forever.
 */
export const EXTISM_WAT = `(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "http_request" (func $http_request (param i64 i64) (result i64)))
  (memory (export "memory") 1)
  (data (i32.const 0) "{\\"wrapped\\":")
  (data (i32.const 16) "true")
  (data (i32.const 24) "false")
  ;; Copies n bytes of linear memory at src into Extism memory at dst.
  (func $store_bytes (param $dst i64) (param $src i32) (param $n i32) (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $store_u8
        (i64.add (local.get $dst) (i64.extend_i32_u (local.get $i)))
        (i32.load8_u (i32.add (local.get $src) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
  ;; Copies the whole input into Extism memory at dst.
  (func $store_input (param $dst i64) (local $i i64) (local $n i64)
    (local.set $n (call $input_length))
    (block $done (loop $next
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $dst) (local.get $i)) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next))))
  (func (export "wrap") (result i32) (local $n i64) (local $out i64)
    (local.set $n (call $input_length))
    (local.set $out (call $alloc (i64.add (local.get $n) (i64.const 12))))
    (call $store_bytes (local.get $out) (i32.const 0) (i32.const 11))
    (call $store_input (i64.add (local.get $out) (i64.const 11)))
    (call $store_u8 (i64.add (local.get $out) (i64.add (local.get $n) (i64.const 11))) (i32.const 125))
    (call $output_set (local.get $out) (i64.add (local.get $n) (i64.const 12)))
    (i32.const 0))
  (func (export "fetch") (result i32) (local $request i64) (local $response i64)
    (local.set $request (call $alloc (call $input_length)))
    (call $store_input (local.get $request))
    (local.set $response (call $http_request (local.get $request) (i64.const 0)))
    (call $output_set (local.get $response) (call $length (local.get $response)))
    (i32.const 0))
  ;; Extism's output is the whole block output_set names: allocate exactly what is written.
  (func (export "grow") (result i32) (local $out i64)
    (if (i32.eq (memory.grow (i32.const 100)) (i32.const -1))
      (then
        (local.set $out (call $alloc (i64.const 5)))
        (call $store_bytes (local.get $out) (i32.const 24) (i32.const 5))
        (call $output_set (local.get $out) (i64.const 5)))
      (else
        (local.set $out (call $alloc (i64.const 4)))
        (call $store_bytes (local.get $out) (i32.const 16) (i32.const 4))
        (call $output_set (local.get $out) (i64.const 4))))
    (i32.const 0))
  (func (export "spin") (result i32) (loop $forever (br $forever)) (i32.const 0))
  (func (export "hog") (result i32)
    (if (i64.eqz (call $alloc (i64.const 10000000))) (then unreachable))
    (i32.const 0))
)`;

/**
 * Compiles {@linkcode EXTISM_WAT} with the npm `wabt` package.
 *
 * @returns The WebAssembly binary.
 */
export function buildExtismWasm(): Promise<Uint8Array> {
  return compileWat(EXTISM_WAT);
}

/**
 * Writes an extension `<dir>/<name>` whose hooks `wrap`, `fetch` and `hog` are the
 * exports of one WebAssembly module (`hooks/plugin.wasm`).
 *
 * @param dir Parent folder.
 * @param permissions The `permissions:` block as YAML flow text.
 * @param name Extension name (default `wasmy`).
 * @returns The extension's folder.
 */
export async function writeWasmExtension(
  dir: string,
  permissions: string,
  name = "wasmy",
): Promise<string> {
  const root = join(dir, name);
  await Deno.mkdir(join(root, "hooks"), { recursive: true });
  await Deno.writeFile(join(root, "hooks", "plugin.wasm"), await buildExtismWasm());
  await Deno.writeTextFile(
    join(root, "extension.yaml"),
    [
      "extension:",
      `  name: ${name}`,
      "  version: 1.0.0",
      "  type: taskserv",
      "hooks:",
      "  wrap: hooks/plugin.wasm",
      "  fetch: hooks/plugin.wasm",
      "  hog: hooks/plugin.wasm",
      "  spin: hooks/plugin.wasm",
      "  grow: hooks/plugin.wasm",
      `permissions: ${permissions}`,
      "",
    ].join("\n"),
  );
  return root;
}

/**
 * A WebAssembly module that imports WASI (`wasi_snapshot_preview1.random_get`), as modules
 * built with Extism's Go or Rust (wasip1) PDKs do; its `entropy` export outputs the errno of
 * `random_get` as JSON (`0`).
 */
export const WASI_WAT = `(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (func (export "entropy") (result i32) (local $out i64)
    (local.set $out (call $alloc (i64.const 1)))
    (call $store_u8 (local.get $out)
      (i32.add (i32.const 48) (call $random_get (i32.const 0) (i32.const 8))))
    (call $output_set (local.get $out) (i64.const 1))
    (i32.const 0)))`;

/**
 * Compiles WAT text with the npm `wabt` package.
 *
 * @param wat The module's text.
 * @returns The WebAssembly binary.
 */
export async function compileWat(wat: string): Promise<Uint8Array> {
  const { default: initWabt } = await import("wabt");
  const wabt = await initWabt();
  const module = wabt.parseWat("hook.wat", wat);
  try {
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
