import assert from "node:assert/strict";
import { isSemver } from "./is_semver.ts";

const CASES: ReadonlyArray<readonly [string, boolean]> = [
  ["0.0.0", true],
  ["1.2.3", true],
  ["1.28.0", true],
  ["1.2.3-rc.1", true],
  ["1.2.3-alpha-1.beta", true],
  ["1.2.3+build.5", true],
  ["1.2.3-rc.1+build.5", true],
  ["1.2.0-1.5.0", true],
  ["10.20.30", true],
  ["v1.2.3", false],
  ["=1.2.3", false],
  [" 1.2.3", false],
  ["1.2.3 ", false],
  ["1.2", false],
  ["1", false],
  ["1.2.3.4", false],
  ["01.2.3", false],
  ["1.2.3-01", false],
  ["1.2.3_build.5", false],
  ["^1.2.3", false],
  ["latest", false],
  ["", false],
];

Deno.test("isSemver() accepts strict semantic versions only", async (t) => {
  for (const [value, expected] of CASES) {
    await t.step(`${JSON.stringify(value)} → ${expected}`, () => {
      assert.equal(isSemver(value), expected);
    });
  }
});

Deno.test("isSemver() is false for values that are not strings", () => {
  for (const value of [undefined, null, 1.2, {}, ["1.2.3"]]) {
    assert.equal(isSemver(value as unknown as string), false);
  }
});
