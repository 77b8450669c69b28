import assert from "node:assert/strict";
import { isProvisioningError } from "../errors.ts";
import { resolveVersion } from "./resolve_version.ts";

const AVAILABLE = [
  "1.27.4",
  "1.28.0",
  "1.28.3",
  "1.29.1",
  "1.30.0-rc.1",
  "1.30.0-rc.2",
  "2.0.0-beta.1",
  "latest",
  "v1.31.0",
  "1.2",
];

/** [behaviour, spec, available, expected]. */
const CASES: ReadonlyArray<
  readonly [string, string, readonly string[], string | undefined]
> = [
  ["picks the highest caret match", "^1.28.0", AVAILABLE, "1.29.1"],
  ["picks the highest tilde match", "~1.28.0", AVAILABLE, "1.28.3"],
  ["picks an exact version", "1.28.0", AVAILABLE, "1.28.0"],
  ["reads a v prefix in the spec", "v1.28.0", AVAILABLE, "1.28.0"],
  ["picks the upper end of a compact range", "1.27.0-1.28.3", AVAILABLE, "1.28.3"],
  ["picks inside a spaced range", "1.27.0 - 1.28.2", AVAILABLE, "1.28.0"],
  ["takes comparators", ">=1.28.1 <1.29.0", AVAILABLE, "1.28.3"],
  ["takes alternatives", "~1.27.0 || ~1.28.0", AVAILABLE, "1.28.3"],
  ["takes x-ranges", "1.28.x", AVAILABLE, "1.28.3"],
  ["picks the highest release for latest", "latest", AVAILABLE, "1.29.1"],
  ["picks the highest release for *", "*", AVAILABLE, "1.29.1"],
  ["skips pre-releases when the spec names none", ">=1.29.0", AVAILABLE, "1.29.1"],
  ["takes an exact pre-release", "1.30.0-rc.1", AVAILABLE, "1.30.0-rc.1"],
  ["takes the highest pre-release of a named one", "^1.30.0-rc.1", AVAILABLE, "1.30.0-rc.2"],
  ["ignores entries that are not semantic versions", "^1.31.0", AVAILABLE, undefined],
  ["returns undefined when nothing satisfies", "^3.0.0", AVAILABLE, undefined],
  ["returns undefined for an empty list", "latest", [], undefined],
  ["falls back to pre-releases for latest", "latest", ["2.0.0-beta.1", "2.0.0-rc.1"], "2.0.0-rc.1"],
  ["applies 0.x caret rules", "^0.2.0", ["0.2.1", "0.2.9", "0.3.0", "1.0.0"], "0.2.9"],
  ["applies 0.0.x caret rules", "^0.0.3", ["0.0.3", "0.0.4", "0.1.0"], "0.0.3"],
  ["compares numerically, not as text", "^1.0.0", ["1.9.0", "1.10.0", "1.2.0"], "1.10.0"],
  ["prefers the exact string among equal versions", "1.2.3", ["1.2.3+b.2", "1.2.3"], "1.2.3"],
  [
    "picks the highest build among equal versions",
    "^1.2.0",
    ["1.2.3+b.1", "1.2.3+b.2"],
    "1.2.3+b.2",
  ],
  ["matches a named build only", "1.2.3+b.1", ["1.2.3+b.1", "1.2.3+b.2"], "1.2.3+b.1"],
  ["keeps the caller's spelling", "^1.0.0", ["1.0.0", "1.1.0"], "1.1.0"],
];

Deno.test("resolveVersion() chooses like the seed", async (t) => {
  for (const [behaviour, spec, available, expected] of CASES) {
    await t.step(`resolveVersion() ${behaviour} (${spec})`, () => {
      assert.equal(resolveVersion(spec, available), expected);
    });
  }
});

Deno.test("resolveVersion() throws INVALID_VERSION_SPEC for a bad spec, even with no versions", () => {
  assert.throws(
    () => resolveVersion("abc", []),
    (error: unknown) =>
      isProvisioningError(error, "INVALID_VERSION_SPEC") && error.message.includes('"abc"'),
  );
});

Deno.test("resolveVersion() does not modify its input", () => {
  const available = Object.freeze(["1.0.0", "2.0.0", "1.5.0"]);
  assert.equal(resolveVersion("^1.0.0", available), "1.5.0");
  assert.deepEqual(available, ["1.0.0", "2.0.0", "1.5.0"]);
});
