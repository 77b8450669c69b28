import assert from "node:assert/strict";
import { isProvisioningError } from "../errors.ts";
import { resolveOciVersion } from "./resolve_oci_version.ts";
import type { OciVersionMatch } from "./types.ts";

/** Tags as a registry lists them: unsorted, mixed spellings, non-semver tags. */
const TAGS = [
  "latest",
  "1.29.1",
  "v1.28.0",
  "v1.29.1",
  "1.28.3_build.7",
  "1.30.0-rc.1",
  "stable",
  "sha256-0123abcd.sig",
  "1.27",
];

const CASES: ReadonlyArray<
  readonly [string, string, readonly string[], OciVersionMatch | undefined]
> = [
  ["prefers the exact tag over the v tag", "^1.28.0", TAGS, { version: "1.29.1", tag: "1.29.1" }],
  ["reads v tags", "~1.28.0 <1.28.1", TAGS, { version: "1.28.0", tag: "v1.28.0" }],
  ["maps _ back to +", "~1.28.1", TAGS, {
    version: "1.28.3+build.7",
    tag: "1.28.3_build.7",
  }],
  ["never picks a tag named latest", "latest", TAGS, { version: "1.29.1", tag: "1.29.1" }],
  ["resolves * like latest", "*", TAGS, { version: "1.29.1", tag: "1.29.1" }],
  ["takes a named pre-release", "1.30.0-rc.1", TAGS, {
    version: "1.30.0-rc.1",
    tag: "1.30.0-rc.1",
  }],
  ["ignores non-semver tags", "1.27.x", TAGS, undefined],
  ["is undefined without semver tags", "latest", ["latest", "main"], undefined],
  ["is undefined for no tags", "latest", [], undefined],
  ["falls back to a pre-release for latest", "latest", ["latest", "v2.0.0-rc.1"], {
    version: "2.0.0-rc.1",
    tag: "v2.0.0-rc.1",
  }],
  ["takes an exact build", "1.2.3+b.1", ["1.2.3_b.1", "1.2.3_b.2"], {
    version: "1.2.3+b.1",
    tag: "1.2.3_b.1",
  }],
  ["prefers the exact tag whatever the order", "1.2.3", ["v1.2.3", "1.2.3"], {
    version: "1.2.3",
    tag: "1.2.3",
  }],
];

Deno.test("resolveOciVersion() resolves specs against registry tags", async (t) => {
  for (const [behaviour, spec, tags, expected] of CASES) {
    await t.step(`resolveOciVersion() ${behaviour} (${spec})`, () => {
      assert.deepEqual(resolveOciVersion(spec, tags), expected);
    });
  }
});

Deno.test("resolveOciVersion() throws INVALID_VERSION_SPEC for a bad spec", () => {
  assert.throws(
    () => resolveOciVersion("1.2", ["1.2.0"]),
    (error: unknown) => isProvisioningError(error, "INVALID_VERSION_SPEC"),
  );
});
