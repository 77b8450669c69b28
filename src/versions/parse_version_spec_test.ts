import assert from "node:assert/strict";
import { isProvisioningError } from "../errors.ts";
import { ACCEPTED_VERSION_SPEC_FORMS, parseVersionSpec } from "./parse_version_spec.ts";
import { tryParseVersionSpec } from "./try_parse_version_spec.ts";
import type { VersionSpec } from "./types.ts";

/** [spec as written, expected parse]. */
const VALID: ReadonlyArray<readonly [string, Omit<VersionSpec, "raw"> & { raw?: string }]> = [
  // exact versions
  ["1.2.3", { kind: "exact", range: "1.2.3", version: "1.2.3" }],
  ["v1.2.3", { kind: "exact", range: "1.2.3", version: "1.2.3" }],
  ["=1.2.3", { kind: "exact", range: "1.2.3", version: "1.2.3" }],
  ["= 1.2.3", { kind: "exact", range: "1.2.3", version: "1.2.3" }],
  [" 1.2.3 ", { raw: "1.2.3", kind: "exact", range: "1.2.3", version: "1.2.3" }],
  ["1.2.0-rc.1", { kind: "exact", range: "1.2.0-rc.1", version: "1.2.0-rc.1" }],
  ["1.2.3+build.5", { kind: "exact", range: "1.2.3", version: "1.2.3+build.5" }],
  ["v1.2.3-rc.1+b.2", { kind: "exact", range: "1.2.3-rc.1", version: "1.2.3-rc.1+b.2" }],
  // a dash NOT followed by a full MAJOR.MINOR.PATCH is a pre-release
  ["1.2.0-1.5", { kind: "exact", range: "1.2.0-1.5", version: "1.2.0-1.5" }],
  ["1.2.0-1.5.0-", { kind: "exact", range: "1.2.0-1.5.0-", version: "1.2.0-1.5.0-" }],
  // `=` names the pre-release that the compact range form would otherwise shadow
  ["=1.2.0-1.5.0", { kind: "exact", range: "1.2.0-1.5.0", version: "1.2.0-1.5.0" }],
  // caret, including the 0.x rules
  ["^1.2.0", { kind: "range", range: ">=1.2.0 <2.0.0-0" }],
  ["^1.2.x", { kind: "range", range: ">=1.2.0 <2.0.0-0" }],
  ["^0.2.3", { kind: "range", range: ">=0.2.3 <0.3.0-0" }],
  ["^0.0.3", { kind: "range", range: ">=0.0.3 <0.0.4-0" }],
  ["^0.0.x", { kind: "range", range: "<0.1.0-0" }],
  ["^0.x", { kind: "range", range: "<1.0.0-0" }],
  ["^1.2.0-rc.1", { kind: "range", range: ">=1.2.0-rc.1 <2.0.0-0" }],
  ["^ 1.2.0", { kind: "range", range: ">=1.2.0 <2.0.0-0" }],
  // tilde
  ["~1.2.0", { kind: "range", range: ">=1.2.0 <1.3.0-0" }],
  ["~>1.2.0", { kind: "range", range: ">=1.2.0 <1.3.0-0" }],
  ["~0.2.3", { kind: "range", range: ">=0.2.3 <0.3.0-0" }],
  ["~1.x", { kind: "range", range: ">=1.0.0 <2.0.0-0" }],
  // the seed's inclusive ranges, with and without spaces
  ["1.2.0-1.5.0", { kind: "range", range: ">=1.2.0 <=1.5.0" }],
  ["v1.2.0-v1.5.0", { kind: "range", range: ">=1.2.0 <=1.5.0" }],
  ["1.2.0-1.5.0-rc.1", { kind: "range", range: ">=1.2.0 <=1.5.0-rc.1" }],
  ["1.2.0 - 1.5.0", { kind: "range", range: ">=1.2.0 <=1.5.0" }],
  ["1.2.0  -  1.5.0", { kind: "range", range: ">=1.2.0 <=1.5.0" }],
  ["1.2.0 - 1.2.0", { kind: "range", range: ">=1.2.0 <=1.2.0" }],
  ["1.2.x - 1.5.x", { kind: "range", range: ">=1.2.0 <1.6.0-0" }],
  // comparators
  [">=1.2.0 <2.0.0", { kind: "range", range: ">=1.2.0 <2.0.0" }],
  [">= 1.2.0 < 2.0.0", { kind: "range", range: ">=1.2.0 <2.0.0" }],
  [">1.2.0", { kind: "range", range: ">1.2.0" }],
  ["<=1.5.0", { kind: "range", range: "<=1.5.0" }],
  ["<2.0.0", { kind: "range", range: "<2.0.0" }],
  // an operator before a compact form makes it a pre-release comparator
  [">=1.2.0-1.5.0", { kind: "range", range: ">=1.2.0-1.5.0" }],
  // alternatives
  ["^1.2.0 || ^2.0.0", { kind: "range", range: ">=1.2.0 <2.0.0-0||>=2.0.0 <3.0.0-0" }],
  ["1.2.0-1.5.0 || 2.x", { kind: "range", range: ">=1.2.0 <=1.5.0||>=2.0.0 <3.0.0-0" }],
  ["1.2.3||1.2.5", { kind: "range", range: "1.2.3||1.2.5" }],
  // x-ranges
  ["1.x", { kind: "range", range: ">=1.0.0 <2.0.0-0" }],
  ["1.X", { kind: "range", range: ">=1.0.0 <2.0.0-0" }],
  ["1.2.x", { kind: "range", range: ">=1.2.0 <1.3.0-0" }],
  ["1.2.*", { kind: "range", range: ">=1.2.0 <1.3.0-0" }],
  ["1.x.x", { kind: "range", range: ">=1.0.0 <2.0.0-0" }],
  // any version
  ["*", { kind: "latest", range: "*" }],
  ["x", { kind: "latest", range: "*" }],
  ["X", { kind: "latest", range: "*" }],
  ["latest", { kind: "latest", range: "*" }],
  [" latest ", { raw: "latest", kind: "latest", range: "*" }],
];

/** [bad spec, part of the reason]. */
const INVALID: ReadonlyArray<readonly [string, string]> = [
  ["", "the spec is empty"],
  ["   ", "the spec is empty"],
  ["abc", "expected a version or a range"],
  ["^", "expected a version or a range"],
  ["~", "expected a version or a range"],
  [">", "expected a version or a range"],
  [">>1", "expected a version or a range"],
  ["1.2.3.4", "expected a version or a range"],
  ["01.2.3", "expected a version or a range"],
  ["latest1", "expected a version or a range"],
  ["LATEST", "expected a version or a range"],
  ["1.2", '"1.2" is a partial version; write "1.2.x" or "1.2.0"'],
  ["1", '"1" is a partial version; write "1.x" or "1.0.0"'],
  ["v1.2", '"v1.2" is a partial version'],
  ["^1.2", '"^1.2" is a partial version; write "^1.2.0"'],
  ["~1", '"~1" is a partial version; write "~1.0.0"'],
  [">=1.2", '">=1.2" is a partial version; write ">=1.2.0"'],
  [">= 1.2", '">=1.2" is a partial version'],
  ["1.2 - 1.5", '"1.2" is a partial version'],
  ["^1.2.0 || 2", '"2" is a partial version'],
  [">=1.2.0, <2.0.0", '">=1.2.0," is not a version or a comparator'],
  ["1.2.3 garbage", '"garbage" is not a version or a comparator'],
  ["1.2.3 | 2.0.0", '"|" is not a version or a comparator'],
  ["1.2.3 ||", 'an alternative between "||" is empty'],
  ["|| 1.2.3", 'an alternative between "||" is empty'],
  ["1.2.3 || || 2.0.0", 'an alternative between "||" is empty'],
  ["1.5.0-1.2.0", 'the lower bound "1.5.0" is above the upper bound "1.2.0"'],
  ["1.5.0 - 1.2.0", 'the lower bound "1.5.0" is above the upper bound "1.2.0"'],
  [">=1.0.0 1.2.0 - 1.5.0", 'a hyphen range must be written "A - B", alone between "||"'],
  ["1.2.0 -", 'a hyphen range must be written "A - B"'],
  ["- 1.2.0", 'a hyphen range must be written "A - B"'],
  ["1.2.0 - 1.5.0 - 2.0.0", 'a hyphen range must be written "A - B"'],
];

Deno.test("parseVersionSpec() reads every accepted form", async (t) => {
  for (const [spec, expected] of VALID) {
    await t.step(`${JSON.stringify(spec)} → ${expected.kind} ${expected.range}`, () => {
      assert.deepEqual(parseVersionSpec(spec), { raw: spec, ...expected });
    });
  }
});

Deno.test("parseVersionSpec() refuses bad specs with a typed error quoting the spec", async (t) => {
  for (const [spec, reason] of INVALID) {
    await t.step(`${JSON.stringify(spec)} is refused: ${reason}`, () => {
      assert.throws(
        () => parseVersionSpec(spec),
        (error: unknown) => {
          assert.ok(isProvisioningError(error, "INVALID_VERSION_SPEC"));
          assert.equal(error.exitCode, 2);
          assert.ok(
            error.message.startsWith(`Cannot parse version spec ${JSON.stringify(spec)}: `),
            error.message,
          );
          assert.ok(error.message.includes(reason), error.message);
          assert.ok(!error.message.includes("\n"), "message is one line");
          assert.equal(error.hint, `Accepted forms: ${ACCEPTED_VERSION_SPEC_FORMS}`);
          return true;
        },
      );
    });
  }
});

Deno.test("parseVersionSpec() shows the accepted forms in the hint", () => {
  assert.equal(
    ACCEPTED_VERSION_SPEC_FORMS,
    "1.2.3, ^1.2.0, ~1.2.0, 1.2.0-1.5.0, >=1.2.0 <2.0.0, 1.x, *, latest",
  );
  for (const form of ACCEPTED_VERSION_SPEC_FORMS.split(", ")) {
    assert.ok(tryParseVersionSpec(form) !== undefined, `accepted form ${form} parses`);
  }
});

Deno.test("parseVersionSpec() quotes a multi-line spec on one line", () => {
  assert.throws(() => parseVersionSpec("1.2.3\n; rm -rf /"), (error: unknown) => {
    assert.ok(isProvisioningError(error, "INVALID_VERSION_SPEC"));
    assert.ok(error.message.includes('"1.2.3\\n; rm -rf /"'), error.message);
    return true;
  });
});

Deno.test("tryParseVersionSpec() returns the same specs and undefined for bad ones", async (t) => {
  for (const [spec, expected] of VALID) {
    await t.step(`${JSON.stringify(spec)} parses`, () => {
      assert.deepEqual(tryParseVersionSpec(spec), { raw: spec, ...expected });
    });
  }
  for (const [spec] of INVALID) {
    await t.step(`${JSON.stringify(spec)} gives undefined`, () => {
      assert.equal(tryParseVersionSpec(spec), undefined);
    });
  }
});
