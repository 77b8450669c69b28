import assert from "node:assert/strict";
import { sortBySemver } from "./sort_by_semver.ts";

const CASES: ReadonlyArray<readonly [string, readonly string[], readonly string[]]> = [
  ["sorts ascending", ["1.29.1", "1.28.0", "1.28.3"], ["1.28.0", "1.28.3", "1.29.1"]],
  ["compares numerically", ["1.10.0", "1.9.0", "1.2.0"], ["1.2.0", "1.9.0", "1.10.0"]],
  [
    "puts pre-releases before their release",
    ["1.2.0", "1.2.0-rc.10", "1.2.0-rc.2", "1.2.0-beta"],
    ["1.2.0-beta", "1.2.0-rc.2", "1.2.0-rc.10", "1.2.0"],
  ],
  [
    "drops entries that are not semantic versions",
    ["latest", "1.0.0", "v2.0.0", "1.2", "main", ""],
    ["1.0.0"],
  ],
  ["drops duplicates", ["1.0.0", "1.0.0", "0.9.0"], ["0.9.0", "1.0.0"]],
  [
    "orders equal versions by build metadata",
    ["1.2.3+b.2", "1.2.3", "1.2.3+b.1"],
    ["1.2.3", "1.2.3+b.1", "1.2.3+b.2"],
  ],
  ["keeps an empty list empty", [], []],
];

Deno.test("sortBySemver() sorts versions ascending", async (t) => {
  for (const [behaviour, input, expected] of CASES) {
    await t.step(`sortBySemver() ${behaviour}`, () => {
      const copy = [...input];
      assert.deepEqual(sortBySemver(input), expected);
      assert.deepEqual(input, copy, "input untouched");
    });
  }
});
