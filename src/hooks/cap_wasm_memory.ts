/**
 * Caps the linear memories a WebAssembly module defines at `maxPages` pages (64 KiB each),
 * by rewriting the limits in its memory section (section 5) to `{min, max: maxPages}` (or its
 * own smaller maximum): `memory.grow` past the cap then fails (returns -1) inside the module,
 * as the WebAssembly spec requires. The Extism JS SDK's `memory.maxPages` bounds only the
 * memory the host allocates for the plugin; this bounds the module's own. A module that
 * already starts above the cap is refused. Imported memories, and 64-bit memories, are not
 * rewritten (Extism plugins define and export their memory).
 *
 * Binary format: https://webassembly.github.io/spec/core/binary/modules.html#memory-section
 * (a vector of `limits`: flag 0x00 `min`, 0x01 `min max`, bit 0x02 shared, bit 0x04 64-bit).
 *
 * @example
 * ```ts
 * import { capWasmMemory } from "./cap_wasm_memory.ts";
 * import assert from "node:assert/strict";
 *
 * // (module (memory 1)): magic, version, memory section [1 entry: flag 0, min 1].
 * const wasm = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 0, 1]);
 * const capped = capWasmMemory(wasm, 16);
 * assert.deepEqual([...capped.slice(8)], [5, 4, 1, 1, 1, 16]);
 * assert.ok(WebAssembly.validate(capped));
 * assert.throws(() => capWasmMemory(wasm, 0), /starts with 1 pages/);
 * ```
 *
 * @param wasm The module's bytes.
 * @param maxPages The most pages each memory may reach.
 * @returns The rewritten bytes (the input itself when it defines no memory).
 * @throws {RangeError} When a memory starts above the cap, or the bytes are not a module.
 */
export function capWasmMemory(
  wasm: Uint8Array<ArrayBuffer>,
  maxPages: number,
): Uint8Array<ArrayBuffer> {
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73) {
    throw new RangeError("not a WebAssembly module");
  }
  const parts: Uint8Array[] = [wasm.subarray(0, 8)];
  let at = 8;
  let changed = false;
  while (at < wasm.length) {
    const id = wasm[at]!;
    const [size, sizeBytes] = readU32(wasm, at + 1);
    const start = at + 1 + sizeBytes;
    const end = start + size;
    if (end > wasm.length) throw new RangeError("truncated WebAssembly section");
    if (id !== 5) {
      parts.push(wasm.subarray(at, end));
    } else {
      const body = capMemorySection(wasm.subarray(start, end), maxPages);
      parts.push(new Uint8Array([5, ...writeU32(body.length)]), body);
      changed = true;
    }
    at = end;
  }
  if (!changed) return wasm;
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function capMemorySection(section: Uint8Array, maxPages: number): Uint8Array {
  const [count, countBytes] = readU32(section, 0);
  const out: number[] = [...writeU32(count)];
  let at = countBytes;
  for (let i = 0; i < count; i++) {
    const flags = section[at++]!;
    if ((flags & 0x04) !== 0 || flags > 0x07) {
      throw new RangeError("64-bit or unknown WebAssembly memories are not supported");
    }
    const [min, minBytes] = readU32(section, at);
    at += minBytes;
    let max: number | undefined;
    if ((flags & 0x01) !== 0) {
      const [value, maxBytes] = readU32(section, at);
      at += maxBytes;
      max = value;
    }
    if (min > maxPages) {
      throw new RangeError(
        `its memory starts with ${min} pages, more than the ${maxPages} allowed (permissions.memory)`,
      );
    }
    out.push(flags | 0x01, ...writeU32(min), ...writeU32(Math.min(max ?? maxPages, maxPages)));
  }
  return new Uint8Array(out);
}

/** An unsigned LEB128 u32 at `at`: its value and how many bytes it took. */
function readU32(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw new RangeError("truncated WebAssembly module");
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  throw new RangeError("bad LEB128 number in WebAssembly module");
}

function writeU32(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}
