import assert from "node:assert/strict";
import { normalizeSubpath } from "./normalize_subpath.ts";

Deno.test("normalizeSubpath() normalises relative directories", async (t) => {
  const cases: [string | undefined, string][] = [
    [undefined, ""],
    ["", ""],
    ["/", ""],
    ["extensions/aws", "extensions/aws"],
    ["/extensions//aws/", "extensions/aws"],
    ["./extensions/./aws", "extensions/aws"],
  ];
  for (const [input, expected] of cases) {
    await t.step(
      String(JSON.stringify(input)),
      () => assert.equal(normalizeSubpath(input), expected),
    );
  }
});

Deno.test("normalizeSubpath() refuses paths that leave the repository", async (t) => {
  for (const input of ["..", "a/../../b", "a\\b", "c:/x", "-x", "a/\nb"]) {
    await t.step(JSON.stringify(input), () => {
      assert.throws(() => normalizeSubpath(input), { code: "INVALID_CONFIG" });
    });
  }
});
