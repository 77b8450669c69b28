import assert from "node:assert/strict";
import { mapConcurrent } from "./map_concurrent.ts";

Deno.test("mapConcurrent() keeps order and never exceeds the limit", async (t) => {
  for (const limit of [1, 3, 8, 100]) {
    await t.step(`limit ${limit}`, async () => {
      let inFlight = 0;
      let most = 0;
      const result = await mapConcurrent(
        Array.from({ length: 20 }, (_, i) => i),
        limit,
        async (i) => {
          most = Math.max(most, ++inFlight);
          await Promise.resolve();
          await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
          inFlight--;
          return i * 2;
        },
      );
      assert.deepEqual(result, Array.from({ length: 20 }, (_, i) => i * 2));
      assert.equal(most, Math.min(limit, 20));
    });
  }
});

Deno.test("mapConcurrent() starts nothing new after a failure or an abort", async (t) => {
  await t.step("failure", async () => {
    const started: number[] = [];
    await assert.rejects(
      mapConcurrent([0, 1, 2, 3, 4, 5], 2, async (i) => {
        started.push(i);
        await Promise.resolve();
        if (i === 1) throw new Error("one");
        return i;
      }),
      /one/,
    );
    assert.ok(started.length <= 3, `started ${started.join(",")}`);
  });
  await t.step("abort", async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await assert.rejects(
      mapConcurrent([0, 1, 2, 3, 4, 5], 1, (i) => {
        started.push(i);
        if (i === 2) controller.abort(new Error("stop"));
        return Promise.resolve(i);
      }, controller.signal),
      /stop/,
    );
    assert.deepEqual(started, [0, 1, 2]);
  });
  await t.step("empty input", async () => {
    assert.deepEqual(await mapConcurrent([], 4, () => Promise.resolve(1)), []);
  });
});
