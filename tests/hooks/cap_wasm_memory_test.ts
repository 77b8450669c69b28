import assert from "node:assert/strict";
import { capWasmMemory } from "../../src/hooks/cap_wasm_memory.ts";
import { compileWat, EXTISM_WAT } from "./_fixture.ts";

/** The limits of the first memory a module defines, read back from the compiled module. */
function memoryLimits(wasm: Uint8Array<ArrayBuffer>): { initial: number; maximum?: number } {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  const initial = memory.buffer.byteLength / 65536;
  let maximum = initial;
  while (maximum < 70000) {
    try {
      memory.grow(1);
      maximum++;
    } catch {
      return { initial, maximum };
    }
  }
  return { initial };
}

Deno.test("capWasmMemory() rewrites memory limits, and only them", async (t) => {
  const cases: ReadonlyArray<readonly [string, string, number, number]> = [
    ["no maximum gets the cap", '(memory (export "memory") 1)', 16, 16],
    ["a larger maximum is lowered", '(memory (export "memory") 2 1000)', 16, 16],
    ["a smaller maximum is kept", '(memory (export "memory") 1 4)', 16, 4],
  ];
  for (const [name, memory, cap, maximum] of cases) {
    await t.step(name, async () => {
      const wasm = capWasmMemory(
        await compileWat(`(module ${memory})`) as Uint8Array<ArrayBuffer>,
        cap,
      );
      assert.ok(WebAssembly.validate(wasm));
      assert.equal(memoryLimits(wasm).maximum, maximum);
    });
  }
  await t.step(
    "a module with imports, data and code around the memory still validates",
    async () => {
      const wasm = await compileWat(EXTISM_WAT) as Uint8Array<ArrayBuffer>;
      const capped = capWasmMemory(wasm, 16);
      assert.ok(WebAssembly.validate(capped));
      assert.deepEqual(
        WebAssembly.Module.exports(new WebAssembly.Module(capped)),
        WebAssembly.Module.exports(new WebAssembly.Module(wasm)),
      );
    },
  );
  await t.step("a module without memory is returned as it is", async () => {
    const wasm = await compileWat("(module (func))") as Uint8Array<ArrayBuffer>;
    assert.equal(capWasmMemory(wasm, 16), wasm);
  });
  await t.step("not a module", () => {
    assert.throws(() => capWasmMemory(new Uint8Array([1, 2, 3]), 16), RangeError);
  });
});
