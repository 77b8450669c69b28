import assert from "node:assert/strict";
import { isProvisioningError } from "../errors.ts";
import { setManifestVersion } from "./manifest_version.ts";

Deno.test("setManifestVersion() rewrites only the version scalar", async (t) => {
  const cases: [string, string, string, string][] = [
    [
      "plain",
      "extension:\n  name: aws\n  version: 1.0.0\n  type: provider\n",
      "2.0.0",
      "extension:\n  name: aws\n  version: 2.0.0\n  type: provider\n",
    ],
    [
      "double quoted, with comments kept",
      '# top\nextension:\n  version: "1.0.0"   # bump me\n  name: aws # n\n',
      "1.0.1-rc.1",
      '# top\nextension:\n  version: "1.0.1-rc.1"   # bump me\n  name: aws # n\n',
    ],
    [
      "single quoted",
      "extension: {name: aws, version: '1.0.0', type: provider}\n",
      "1.2.3+build.1",
      "extension: {name: aws, version: '1.2.3+build.1', type: provider}\n",
    ],
    [
      "with flow collections and long lines left as written",
      "other: {a: 1, b: [1,2]}\nextension:\n  version: 0.1.0\nlong: " + "word ".repeat(30) +
      "\n",
      "0.2.0",
      "other: {a: 1, b: [1,2]}\nextension:\n  version: 0.2.0\nlong: " + "word ".repeat(30) +
      "\n",
    ],
    [
      "CRLF line endings",
      "extension:\r\n  version: 1.0.0\r\n  name: aws\r\n",
      "1.0.1",
      "extension:\r\n  version: 1.0.1\r\n  name: aws\r\n",
    ],
  ];
  for (const [style, input, version, expected] of cases) {
    await t.step(style, async () => {
      assert.equal(await setManifestVersion(input, version), expected);
    });
  }
});

Deno.test("setManifestVersion() refuses a manifest without a version scalar", async (t) => {
  const cases: [string, string][] = [
    ["no version key", "extension:\n  name: aws\n"],
    ["version is a map", "extension:\n  version: {major: 1}\n"],
    ["not YAML", "extension: [\n"],
  ];
  for (const [what, text] of cases) {
    await t.step(what, async () => {
      await assert.rejects(
        setManifestVersion(text, "1.0.0"),
        (error) => isProvisioningError(error, "INVALID_MANIFEST"),
      );
    });
  }
});
