import assert from "node:assert/strict";
import { createProgressBar, formatProgressLine } from "./progress_bar.ts";

Deno.test("formatProgressLine() fills the bar in proportion and clamps", async (t) => {
  const cases: [done: number, total: number, line: string][] = [
    [0, 100, "x [..........]   0% 0 B / 100 B"],
    [33, 100, "x [###.......]  33% 33 B / 100 B"],
    [100, 100, "x [##########] 100% 100 B / 100 B"],
    [150, 100, "x [##########] 100% 150 B / 100 B"],
    [0, 0, "x [##########] 100% 0 B / 0 B"],
  ];
  for (const [done, total, line] of cases) {
    await t.step(
      `${done}/${total}`,
      () => assert.equal(formatProgressLine("x", done, total, 10), line),
    );
  }
});

Deno.test("createProgressBar() redraws at most every interval, always at 100%, one line per label", () => {
  let clock = 0;
  let text = "";
  const bar = createProgressBar((t) => text += t, {
    width: 2,
    intervalMs: 100,
    now: () => clock,
    minBytes: 0,
  });
  bar.update("config", 10, 10);
  bar.update("layer", 0, 400);
  clock = 50;
  bar.update("layer", 100, 400); // too soon: not drawn
  clock = 150;
  bar.update("layer", 200, 400);
  bar.update("layer", 400, 400); // complete: drawn at once
  bar.finish();
  bar.finish();
  const lines = text.split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[2], "");
  assert.deepEqual(lines[0]!.split("\r\x1b[K").slice(1), ["config [##] 100% 10 B / 10 B"]);
  assert.deepEqual(lines[1]!.split("\r\x1b[K").slice(1), [
    "layer [..]   0% 0 B / 400 B",
    "layer [#.]  50% 200 B / 400 B",
    "layer [##] 100% 400 B / 400 B",
  ]);
});

Deno.test("createProgressBar() draws only transfers of 1 MiB or more, or slower than 1 s", () => {
  let clock = 0;
  let text = "";
  const bar = createProgressBar((t) => text += t, { width: 2, now: () => clock });
  bar.update("config", 139, 139); // small and quick: nothing
  bar.update("layer", 0, 2 * 1024 * 1024); // large: drawn at once
  bar.update("slow", 0, 500);
  clock = 500;
  bar.update("slow", 100, 500); // small, only 0.5 s in: nothing yet
  clock = 1200;
  bar.update("slow", 200, 500); // over a second: drawn
  bar.finish();
  assert.doesNotMatch(text, /config/);
  const lines = text.split("\n");
  assert.equal(lines.length, 3, JSON.stringify(text));
  assert.equal(lines[0], "\r\x1b[Klayer [..]   0% 0 B / 2.0 MiB");
  assert.deepEqual(lines[1]!.split("\r\x1b[K").slice(1), ["slow [#.]  40% 200 B / 500 B"]);
});
