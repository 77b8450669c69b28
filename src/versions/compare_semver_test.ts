import assert from "node:assert/strict";
import { isProvisioningError } from "../errors.ts";
import { compareSemver } from "./compare_semver.ts";

const CASES: ReadonlyArray<readonly [string, string, -1 | 0 | 1]> = [
  ["1.2.3", "1.2.3", 0],
  ["1.2.3", "1.2.4", -1],
  ["1.3.0", "1.2.9", 1],
  ["2.0.0", "1.99.99", 1],
  ["1.10.0", "1.9.0", 1],
  ["1.2.3-rc.1", "1.2.3", -1],
  ["1.2.3-rc.2", "1.2.3-rc.10", -1],
  ["1.2.3-alpha", "1.2.3-beta", -1],
  ["1.2.3-alpha", "1.2.3-alpha.1", -1],
  ["1.2.3+a", "1.2.3+b", 0],
  ["1.2.3+a", "1.2.3", 0],
];

Deno.test("compareSemver() orders by semver precedence", async (t) => {
  for (const [a, b, expected] of CASES) {
    await t.step(`${a} vs ${b} → ${expected}`, () => {
      assert.equal(compareSemver(a, b), expected);
      assert.equal(compareSemver(b, a), expected === 0 ? 0 : -expected);
    });
  }
});

Deno.test("compareSemver() throws INVALID_VERSION quoting a bad version", async (t) => {
  for (const [a, b, bad] of [["1.2", "1.2.3", "1.2"], ["1.2.3", "v1.2.3", "v1.2.3"]] as const) {
    await t.step(`${a} vs ${b}`, () => {
      assert.throws(
        () => compareSemver(a, b),
        (error: unknown) =>
          isProvisioningError(error, "INVALID_VERSION") && error.exitCode === 2 &&
          error.message.includes(`"${bad}"`),
      );
    });
  }
});
