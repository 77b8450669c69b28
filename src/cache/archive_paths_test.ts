import assert from "node:assert/strict";
import { normalizeEntryName, symlinkTargetProblem } from "./archive_paths.ts";

Deno.test("normalizeEntryName() splits safe names and refuses escapes", async (t) => {
  const cases: [string, string[] | RegExp][] = [
    ["a/b.txt", ["a", "b.txt"]],
    ["./a/./b/", ["a", "b"]],
    ["a//b", ["a", "b"]],
    ["./", []],
    [".", []],
    ["..x/y..", ["..x", "y.."]],
    ["../x", /"\.\."/],
    ["a/../../x", /"\.\."/],
    ["a/..", /"\.\."/],
    ["/etc/passwd", /absolute/],
    ["//x", /absolute/],
    ["a\0b", /NUL/],
    ["..\\..\\x", /backslash/],
    ["a\\b", /backslash/],
    ["C:/Windows/x", /drive/],
    ["./c:x", /drive/],
  ];
  for (const [name, expected] of cases) {
    await t.step(JSON.stringify(name), () => {
      const result = normalizeEntryName(name);
      if (Array.isArray(expected)) assert.deepEqual(result, { parts: expected });
      else assert.match("reason" in result ? result.reason : "", expected);
    });
  }
});

Deno.test("symlinkTargetProblem() allows links that stay inside the root", async (t) => {
  const cases: [string, string, RegExp | undefined][] = [
    ["bin/tool", "../lib/tool.sh", undefined],
    ["a/b/c", "../../x", undefined],
    ["a/b/c", "./d", undefined],
    ["link", ".", undefined],
    ["a/link", "..", undefined],
    ["link", "sub/dir/file", undefined],
    ["link", "../x", /escapes/],
    ["a/b/c", "../../../x", /escapes/],
    ["link", "/etc/passwd", /absolute/],
    ["link", "", /empty/],
    ["d/link", "x/../..", /after a name/],
    ["link", "a/../b", /after a name/],
    ["link", "..\\..\\x", /backslash/],
    ["link", "C:/x", /drive/],
  ];
  for (const [link, target, expected] of cases) {
    await t.step(`${link} -> ${target}`, () => {
      const problem = symlinkTargetProblem(link.split("/"), target);
      if (expected === undefined) assert.equal(problem, undefined);
      else assert.match(problem ?? "", expected);
    });
  }
});
