import assert from "node:assert/strict";
import { checkTagName } from "./check_tag_name.ts";

Deno.test("checkTagName() accepts what git accepts", async (t) => {
  for (const tag of ["1.2.3", "v1.2.3", "1.2.3-rc.1", "1.2.3_build.5", "release/1.0", "latest"]) {
    await t.step(tag, () => checkTagName(tag));
  }
});

Deno.test("checkTagName() refuses options and invalid ref names", async (t) => {
  const bad = [
    "",
    "-x",
    "--upload-pack=evil",
    "a..b",
    "a b",
    "a:b",
    "a^",
    "a~1",
    "a*",
    "a?",
    "a[",
    "a\\b",
    "/a",
    "a/",
    "a.",
    ".a",
    "a/.b",
    "a.lock",
    "a@{1}",
    "@",
    "a//b",
    "a\u0000",
  ];
  for (const tag of bad) {
    await t.step(JSON.stringify(tag), () => {
      assert.throws(() => checkTagName(tag), { code: "INVALID_REFERENCE" });
    });
  }
});
