import assert from "node:assert/strict";
import { findKeyLine } from "./_find_key_line.ts";

const TEXT = [
  "# comment",
  "top = 1",
  "",
  "[oci]",
  'registry = "a"',
  '  "timeout" = 3',
  "",
  "[ extensions ]",
  'paths = ["a"]',
  "cache.dir = 'x'",
  "[gitea]",
  'inline = { url = "x" }',
].join("\n");

Deno.test("findKeyLine() finds the line defining a key or table", async (t) => {
  const cases = [
    { path: ["top"], want: 2 },
    { path: ["oci"], want: 4 },
    { path: ["oci", "registry"], want: 5 },
    { path: ["oci", "timeout"], want: 6 },
    { path: ["extensions", "paths"], want: 9 },
    { path: ["extensions", "cache", "dir"], want: 10 },
    { path: ["gitea", "inline", "url"], want: 12 },
    { path: ["oci", "missing"], want: 4 },
    { path: ["nowhere"], want: undefined },
  ];
  for (const { path, want } of cases) {
    await t.step(path.join("."), () => assert.equal(findKeyLine(TEXT, path), want));
  }
});
