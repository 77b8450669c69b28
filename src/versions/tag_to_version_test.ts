import assert from "node:assert/strict";
import { tagToVersion } from "./tag_to_version.ts";
import { versionToTag } from "./version_to_tag.ts";

const CASES: ReadonlyArray<readonly [string, string | undefined]> = [
  ["1.2.3", "1.2.3"],
  ["v1.2.3", "1.2.3"],
  ["1.2.3-rc.1", "1.2.3-rc.1"],
  ["v1.2.3-rc.1", "1.2.3-rc.1"],
  ["1.2.3_build.5", "1.2.3+build.5"],
  ["v1.2.3-rc.1_build.5", "1.2.3-rc.1+build.5"],
  ["1.2.3+build.5", "1.2.3+build.5"],
  ["latest", undefined],
  ["main", undefined],
  ["1.2", undefined],
  ["v1.2", undefined],
  ["vv1.2.3", undefined],
  ["V1.2.3", undefined],
  ["1.2.3_build_5", undefined],
  ["_1.2.3", undefined],
  ["sha256-abc", undefined],
  ["", undefined],
];

Deno.test("tagToVersion() reads tags as versions", async (t) => {
  for (const [tag, expected] of CASES) {
    await t.step(`${JSON.stringify(tag)} → ${expected ?? "undefined"}`, () => {
      assert.equal(tagToVersion(tag), expected);
    });
  }
});

Deno.test("tagToVersion() reads back what versionToTag() writes", async (t) => {
  for (const version of ["0.0.1", "1.28.0", "1.2.3-rc.1", "1.2.3+build.5", "1.2.3-rc.1+b.2"]) {
    await t.step(version, () => {
      assert.equal(tagToVersion(versionToTag(version)), version);
    });
  }
});
