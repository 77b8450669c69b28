import assert from "node:assert/strict";
import { isProvisioningError } from "../errors.ts";
import { versionToTag } from "./version_to_tag.ts";

const CASES: ReadonlyArray<readonly [string, string]> = [
  ["1.28.0", "1.28.0"],
  ["1.2.3-rc.1", "1.2.3-rc.1"],
  ["1.2.3+build.5", "1.2.3_build.5"],
  ["1.2.3-rc.1+build.5", "1.2.3-rc.1_build.5"],
];

/** OCI tag grammar, from the distribution spec. */
const OCI_TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

Deno.test("versionToTag() writes versions as OCI tags", async (t) => {
  for (const [version, tag] of CASES) {
    await t.step(`${version} → ${tag}`, () => {
      assert.equal(versionToTag(version), tag);
      assert.match(versionToTag(version), OCI_TAG);
    });
  }
});

Deno.test("versionToTag() refuses what is not a semantic version", async (t) => {
  for (const bad of ["v1.2.3", "1.2", "latest", ""]) {
    await t.step(JSON.stringify(bad), () => {
      assert.throws(
        () => versionToTag(bad),
        (error: unknown) =>
          isProvisioningError(error, "INVALID_VERSION") &&
          error.message.includes(JSON.stringify(bad)),
      );
    });
  }
});
