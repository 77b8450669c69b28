import assert from "node:assert/strict";
import { formatSize } from "./format_size.ts";

Deno.test("formatSize() uses bytes below 1 KiB and one decimal in binary units above", async (t) => {
  const cases: [bytes: number, text: string][] = [
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1.0 KiB"],
    [1536, "1.5 KiB"],
    [1024 * 1024 - 1, "1024.0 KiB"],
    [1024 * 1024, "1.0 MiB"],
    [100 * 1e6, "95.4 MiB"],
    [3 * 1024 ** 3, "3.0 GiB"],
    [2 * 1024 ** 5, "2048.0 TiB"],
  ];
  for (const [bytes, text] of cases) {
    await t.step(`${bytes} → ${text}`, () => assert.equal(formatSize(bytes), text));
  }
});
