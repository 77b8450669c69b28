// @ts-types="npm:@types/semver@^7.7.1"
import semver from "semver";
import assert from "node:assert/strict";
import { isSemver } from "./is_semver.ts";

Deno.test("isSemver() agrees with npm semver's strict valid() on edge cases", () => {
  const corpus = [
    "1.2.3",
    "0.0.0",
    "1.2.3-rc.1",
    "1.2.3-rc.1+build.5",
    "1.2.3+build",
    "1.2.3-0",
    "1.2.3-0a",
    "1.2.3-00",
    "1.2.3-01",
    "01.2.3",
    "1.02.3",
    "1.2.03",
    "v1.2.3",
    "=1.2.3",
    " 1.2.3",
    "1.2.3 ",
    "1.2",
    "1",
    "1.2.3.4",
    "1.2.3-",
    "1.2.3+",
    "1.2.3-rc..1",
    "1.2.3-rc.1.",
    "1.2.3+b..1",
    "1.2.3-alpha-beta",
    "1.2.3--",
    "1.2.3-x.7.z.92",
    "1.0.0-alpha+001",
    "1.0.0+20130313144700",
    "9007199254740991.0.0",
    "9007199254740992.0.0",
    "1.2.3-ü",
    "1.2.3+ü",
    "",
    "latest",
    `1.2.3-${"a".repeat(250)}`,
    `1.2.3-${"a".repeat(260)}`,
    "1.2.3-\n",
    "1.2.3\n",
  ];
  for (const value of corpus) {
    // The check this replaced: strict `valid()`, nothing trimmed, no `v`/`=` prefix.
    const reference = value === value.trim() && /^\d/.test(value) && semver.valid(value) !== null;
    assert.equal(isSemver(value), reference, JSON.stringify(value));
  }
});
