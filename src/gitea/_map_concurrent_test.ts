import assert from "node:assert/strict";
import { mapConcurrent } from "./_map_concurrent.ts";

Deno.test("mapConcurrent() keeps order and never exceeds the limit", async () => {
  let inFlight = 0;
  let most = 0;
  const results = await mapConcurrent([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    inFlight++;
    most = Math.max(most, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1 + (n % 3)));
    inFlight--;
    return n * 10;
  });
  assert.deepEqual(results, [10, 20, 30, 40, 50, 60, 70]);
  assert.equal(most, 3);
});

Deno.test("mapConcurrent() stops starting calls after a failure", async () => {
  const started: number[] = [];
  await assert.rejects(
    mapConcurrent([1, 2, 3, 4, 5, 6], 1, (n) => {
      started.push(n);
      return n === 2 ? Promise.reject(new Error("boom")) : Promise.resolve(n);
    }),
    /boom/,
  );
  assert.deepEqual(started, [1, 2]);
});

Deno.test("mapConcurrent() handles an empty list", async () => {
  assert.deepEqual(await mapConcurrent([], 8, () => Promise.resolve(1)), []);
});
