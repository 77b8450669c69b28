import assert from "node:assert/strict";
import { EXTENSION_NAME_MAX_LENGTH, isExtensionName } from "./extension_name.ts";

/** OCI distribution spec grammar of one repository path component. */
const OCI_PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;

const CASES: ReadonlyArray<readonly [string, boolean, string]> = [
  ["kubernetes", true, "plain word"],
  ["aws", true, "short word"],
  ["k8s", true, "letters and digits"],
  ["0x", true, "leading digit, like a DNS label"],
  ["k8s-nodejoin", true, "inner dash"],
  ["rook--ceph", true, "inner dash run, like a DNS label"],
  ["oci_reg", true, "single inner underscore"],
  ["a", true, "one character"],
  ["a".repeat(EXTENSION_NAME_MAX_LENGTH), true, "exactly the length limit"],
  ["a".repeat(EXTENSION_NAME_MAX_LENGTH + 1), false, "over the length limit"],
  ["", false, "empty"],
  ["Kubernetes", false, "upper case"],
  ["-aws", false, "leading dash"],
  ["aws-", false, "trailing dash"],
  ["_aws", false, "leading underscore"],
  ["aws_", false, "trailing underscore"],
  ["oci__reg", false, "double underscore"],
  ["oci_-reg", false, "mixed separators"],
  ["my.ext", false, "dot"],
  ["my/ext", false, "slash"],
  ["..", false, "dot dot"],
  ["my ext", false, "space"],
  ["ext\n", false, "newline"],
  ["kübernetes", false, "non-ASCII"],
];

Deno.test("isExtensionName() accepts DNS-label-like names", async (t) => {
  for (const [name, expected, why] of CASES) {
    await t.step(`${JSON.stringify(name.slice(0, 20))} → ${expected}: ${why}`, () => {
      assert.equal(isExtensionName(name), expected);
      if (expected) assert.match(name, OCI_PATH_COMPONENT, "valid names are OCI path components");
    });
  }
});

Deno.test("isExtensionName() is false for values that are not strings", () => {
  for (const value of [undefined, null, 1, ["aws"]]) {
    assert.equal(isExtensionName(value as unknown as string), false);
  }
});
