import assert from "node:assert/strict";
import { isProvisioningError } from "../errors.ts";
import { satisfiesConstraint } from "./satisfies_constraint.ts";

/** [version, spec, satisfies?, why]. */
const CASES: ReadonlyArray<readonly [string, string, boolean, string]> = [
  // exact
  ["1.2.3", "1.2.3", true, "exact match"],
  ["1.2.4", "1.2.3", false, "exact mismatch"],
  ["1.2.3", "v1.2.3", true, "a v prefix in the spec is read"],
  ["1.2.3", "=1.2.3", true, "= prefix"],
  ["1.2.3+build.7", "1.2.3", true, "build metadata ignored when the spec names none"],
  ["1.2.3+build.5", "1.2.3+build.5", true, "the named build"],
  ["1.2.3+build.4", "1.2.3+build.5", false, "a named build must match"],
  ["1.2.3", "1.2.3+build.5", false, "a named build is not the plain release"],
  ["1.2.0-rc.1", "1.2.0-rc.1", true, "an exact pre-release"],
  ["1.2.0-rc.2", "1.2.0-rc.1", false, "another pre-release"],
  ["1.2.0", "1.2.0-rc.1", false, "the release is not the pre-release"],
  // caret
  ["1.2.0", "^1.2.0", true, "caret lower bound"],
  ["1.9.9", "^1.2.0", true, "caret same major"],
  ["2.0.0", "^1.2.0", false, "caret excludes next major"],
  ["1.1.9", "^1.2.0", false, "caret excludes below"],
  ["0.2.9", "^0.2.3", true, "caret 0.x stays in minor"],
  ["0.3.0", "^0.2.3", false, "caret 0.x excludes next minor"],
  ["0.0.3", "^0.0.3", true, "caret 0.0.x is exact"],
  ["0.0.4", "^0.0.3", false, "caret 0.0.x excludes next patch"],
  ["0.9.0", "^0.x", true, "caret 0.x wildcard"],
  ["1.0.0", "^0.x", false, "caret 0.x wildcard excludes 1.0.0"],
  // tilde
  ["1.2.9", "~1.2.0", true, "tilde same minor"],
  ["1.3.0", "~1.2.0", false, "tilde excludes next minor"],
  ["1.2.5", "~>1.2.0", true, "~> reads as tilde"],
  // the seed's inclusive ranges
  ["1.2.0", "1.2.0-1.5.0", true, "compact range includes the lower bound"],
  ["1.5.0", "1.2.0-1.5.0", true, "compact range includes the upper bound"],
  ["1.3.7", "1.2.0-1.5.0", true, "compact range middle"],
  ["1.5.1", "1.2.0-1.5.0", false, "compact range excludes above"],
  ["1.1.9", "1.2.0-1.5.0", false, "compact range excludes below"],
  ["1.2.0-1.5.0", "1.2.0-1.5.0", false, "the compact form is a range, not that pre-release"],
  ["1.2.0-1.5.0", "=1.2.0-1.5.0", true, "= names the pre-release"],
  ["1.5.0", "1.2.0 - 1.5.0", true, "spaced range includes the upper bound"],
  ["1.5.1", "1.2.0 - 1.5.0", false, "spaced range excludes above"],
  // comparators and alternatives
  ["1.9.0", ">=1.2.0 <2.0.0", true, "AND of comparators"],
  ["2.0.0", ">=1.2.0 <2.0.0", false, "< excludes the bound"],
  ["1.2.0", ">1.2.0", false, "> excludes the bound"],
  ["1.5.0", "<=1.5.0", true, "<= includes the bound"],
  ["2.3.0", "^1.2.0 || ^2.0.0", true, "second alternative"],
  ["3.0.0", "^1.2.0 || ^2.0.0", false, "no alternative"],
  // x-ranges
  ["1.9.0", "1.x", true, "1.x"],
  ["2.0.0", "1.x", false, "1.x excludes 2"],
  ["1.2.7", "1.2.x", true, "1.2.x"],
  ["1.3.0", "1.2.*", false, "1.2.* excludes 1.3"],
  // pre-releases only when the spec names one on the same MAJOR.MINOR.PATCH
  ["1.3.0-rc.1", "^1.2.0", false, "caret skips pre-releases"],
  ["1.3.0-rc.1", "1.x", false, "x-range skips pre-releases"],
  ["1.3.0-rc.1", "1.2.0-1.5.0", false, "compact range skips pre-releases"],
  ["1.2.0-rc.2", "^1.2.0-rc.1", true, "a named pre-release admits later ones of that version"],
  ["1.2.5", "^1.2.0-rc.1", true, "a named pre-release admits releases"],
  ["1.3.0-rc.1", "^1.2.0-rc.1", false, "but not pre-releases of other versions"],
  ["1.5.0-rc.1", "1.2.0-1.5.0-rc.2", true, "upper bound naming a pre-release"],
  // any version
  ["3.1.4", "*", true, "*"],
  ["3.1.4", "latest", true, "latest"],
  ["3.1.4", "x", true, "x"],
  ["4.0.0-beta.1", "latest", true, "latest is satisfied by any version"],
  // versions that are not semantic versions satisfy nothing
  ["v1.2.3", "^1.2.0", false, "v-prefixed version"],
  ["1.2", "*", false, "partial version"],
  ["latest", "latest", false, "the word latest is not a version"],
  ["", "*", false, "empty version"],
];

Deno.test("satisfiesConstraint() follows the seed's version semantics", async (t) => {
  for (const [version, spec, expected, why] of CASES) {
    await t.step(
      `${version} ${expected ? "satisfies" : "does not satisfy"} ${spec}: ${why}`,
      () => {
        assert.equal(satisfiesConstraint(version, spec), expected);
      },
    );
  }
});

Deno.test("satisfiesConstraint() throws INVALID_VERSION_SPEC for a bad spec", async (t) => {
  for (const [version, spec] of [["1.2.3", "1.2"], ["not-a-version", ">>1"]] as const) {
    await t.step(`${JSON.stringify(spec)} with ${version}`, () => {
      assert.throws(
        () => satisfiesConstraint(version, spec),
        (error: unknown) => isProvisioningError(error, "INVALID_VERSION_SPEC"),
      );
    });
  }
});
