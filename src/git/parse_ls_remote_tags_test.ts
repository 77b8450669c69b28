import assert from "node:assert/strict";
import { parseLsRemoteTags } from "./parse_ls_remote_tags.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

Deno.test("parseLsRemoteTags() peels annotated tags whatever the line order", async (t) => {
  const cases: [string, string, { tag: string; commit: string; annotated: boolean }[]][] = [
    ["peeled line after the tag", `${A}\trefs/tags/1.0.0\n${B}\trefs/tags/1.0.0^{}\n`, [
      { tag: "1.0.0", commit: B, annotated: true },
    ]],
    ["peeled line first", `${B}\trefs/tags/1.0.0^{}\n${A}\trefs/tags/1.0.0\n`, [
      { tag: "1.0.0", commit: B, annotated: true },
    ]],
    ["lightweight tag", `${C}\trefs/tags/v2.0.0\n`, [
      { tag: "v2.0.0", commit: C, annotated: false },
    ]],
    ["other refs and noise ignored", `${A}\trefs/heads/main\n${A}\tHEAD\nwarning: x\n\n`, []],
    ["CRLF and nested names", `${A}\trefs/tags/rel/1.0.0\r\n`, [
      { tag: "rel/1.0.0", commit: A, annotated: false },
    ]],
  ];
  for (const [name, stdout, expected] of cases) {
    await t.step(name, () => {
      assert.deepEqual(
        parseLsRemoteTags(stdout).map(({ tag, commit, annotated }) => ({ tag, commit, annotated })),
        expected,
      );
    });
  }
});

Deno.test("parseLsRemoteTags() keeps the tag object of an annotated tag", () => {
  const [tag] = parseLsRemoteTags(`${A}\trefs/tags/1.0.0\n${B}\trefs/tags/1.0.0^{}\n`);
  assert.equal(tag?.object, A);
});
