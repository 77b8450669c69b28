import assert from "node:assert/strict";
import { createIgnoreMatcher, parseIgnoreRules } from "./ignore.ts";

Deno.test("createIgnoreMatcher() applies the .extensionignore subset", async (t) => {
  // [ignore file, path, is directory, ignored?]
  const cases: [string, string, boolean, boolean][] = [
    // always ignored, whatever the file says
    ["", ".git", true, true],
    ["", ".git/config", false, true],
    ["", "vendor/lib/.git", false, true], // a submodule's gitlink file
    ["", ".hg", true, true],
    ["", "sub/.svn/entries", false, true],
    ["!.git\n!.git/**", ".git/HEAD", false, true],
    ["", ".extensionignore", false, true],
    ["", "sub/.extensionignore", false, false], // only the root one is the ignore file
    ["", ".gitignore", false, false],
    ["", ".github/workflows/ci.yml", false, false],
    // comments, blank lines, trailing spaces
    ["# comment\n\n   \n", "# comment", false, false],
    ["\\#notes", "#notes", false, true],
    ["*.log   ", "a.log", false, true],
    ["a\\ ", "a ", false, true],
    ["a.txt\r\nb.txt\r\n", "b.txt", false, true],
    // names match at any depth unless anchored
    ["*.log", "debug.log", false, true],
    ["*.log", "logs/deep/debug.log", false, true],
    ["*.log", "debug.log.txt", false, false],
    ["build", "build", true, true],
    ["build", "src/build", false, true],
    ["/build", "build", true, true],
    ["/build", "src/build", true, false],
    ["docs/tmp", "docs/tmp", true, true],
    ["docs/tmp", "x/docs/tmp", true, false],
    // trailing slash: directories only, and everything below them
    ["out/", "out", true, true],
    ["out/", "out", false, false],
    ["out/", "out/app.js", false, true],
    ["out/", "src/out/app.js", false, true],
    // wildcards
    ["?.k", "a.k", false, true],
    ["?.k", "ab.k", false, false],
    ["a?b", "a/b", false, false],
    ["*", "anything/at/all", false, true],
    ["kcl/*.k", "kcl/main.k", false, true],
    ["kcl/*.k", "kcl/sub/main.k", false, false],
    ["[ab].txt", "[ab].txt", false, true], // no character classes: brackets are literal
    ["[ab].txt", "a.txt", false, false],
    // double star
    ["**/cache", "cache", true, true],
    ["**/cache", "a/b/cache", true, true],
    ["docs/**", "docs", true, false],
    ["docs/**", "docs/a/b.md", false, true],
    ["a/**/z", "a/z", false, true],
    ["a/**/z", "a/b/c/z", false, true],
    ["a/**/z", "b/a/z", false, false],
    ["a**z", "a/z", false, false],
    ["a**z", "abcz", false, true],
    // negation: last match wins, an excluded parent cannot be re-included
    ["*.log\n!keep.log", "keep.log", false, false],
    ["*.log\n!keep.log", "drop.log", false, true],
    ["!keep.log\n*.log", "keep.log", false, true],
    ["\\!important", "!important", false, true],
    ["tmp/\n!tmp/keep", "tmp/keep", false, true],
    ["tmp/*\n!tmp/keep", "tmp/keep", false, false],
    ["tmp/*\n!tmp/keep", "tmp/drop", false, true],
    // regex metacharacters are literal
    ["a+b(c).txt", "a+b(c).txt", false, true],
    ["a.b", "axb", false, false],
  ];
  for (const [text, path, isDirectory, expected] of cases) {
    const label = `${JSON.stringify(text)} ${expected ? "ignores" : "keeps"} ` +
      `${isDirectory ? "dir" : "file"} "${path}"`;
    await t.step(label, () => {
      const ignored = createIgnoreMatcher(parseIgnoreRules(text));
      assert.equal(ignored(path, isDirectory), expected);
    });
  }
});

Deno.test("parseIgnoreRules() keeps line numbers and skips non-rules", () => {
  const rules = parseIgnoreRules("# c\n\n*.tmp\n!\n/\n!a/\n");
  assert.deepEqual(
    rules.map((r) => ({ line: r.line, negate: r.negate, dir: r.directoryOnly })),
    [{ line: 3, negate: false, dir: false }, { line: 6, negate: true, dir: true }],
  );
});
