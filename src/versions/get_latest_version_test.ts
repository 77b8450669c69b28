import assert from "node:assert/strict";
import { getLatestVersion } from "./get_latest_version.ts";

const CASES: ReadonlyArray<readonly [string, readonly string[], string | undefined]> = [
  ["picks the highest release", ["1.28.0", "1.29.1", "1.9.0"], "1.29.1"],
  ["skips a higher pre-release", ["1.29.1", "1.30.0-rc.1", "2.0.0-alpha"], "1.29.1"],
  ["falls back to pre-releases", ["1.0.0-alpha", "1.0.0-rc.1", "1.0.0-beta"], "1.0.0-rc.1"],
  ["ignores non-semver entries", ["latest", "v9.9.9", "0.1.0", "main"], "0.1.0"],
  ["is undefined without versions", ["latest", "main"], undefined],
  ["is undefined for an empty list", [], undefined],
  ["picks the highest build among equals", ["1.0.0+b.1", "1.0.0+b.3", "1.0.0"], "1.0.0+b.3"],
];

Deno.test("getLatestVersion() prefers releases", async (t) => {
  for (const [behaviour, list, expected] of CASES) {
    await t.step(`getLatestVersion() ${behaviour}`, () => {
      assert.equal(getLatestVersion(list), expected);
    });
  }
});
