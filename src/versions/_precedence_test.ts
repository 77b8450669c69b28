// _precedence.ts must parse and order exactly as `semver` does: every function is checked
// against `semver` on hand-picked edge cases and on generated versions.
// @ts-types="npm:@types/semver@^7.7.1"
import semver from "semver";
import assert from "node:assert/strict";
import { comparePrecedence, compareWithBuildParsed, parseVersion } from "./_precedence.ts";

const EDGE_CASES = [
  "1.2.3",
  "v1.2.3",
  "=1.2.3",
  "  1.2.3  ",
  "v 1.2.3",
  "==v1.2.3",
  "01.2.3",
  "1.02.3",
  "1.2.3-0",
  "1.2.3-00",
  "1.2.3-01",
  "1.2.3-alpha",
  "1.2.3alpha",
  "1.2.3-alpha.1",
  "1.2.3-alpha.01",
  "1.2.3-alpha.beta",
  "1.2.3--",
  "1.2.3-x-y",
  "1.2.3-1a",
  "1.2.3-a1",
  "1.2.3+b",
  "1.2.3+b.1",
  "1.2.3+01",
  "1.2.3-rc.1+b.2",
  "1.2.3+",
  "1.2.3-",
  "1.2",
  "1.2.3.4",
  "",
  " ",
  "latest",
  "^1.2.3",
  "1.2.3 - 2.0.0",
  "a.b.c",
  "-1.2.3",
  "9007199254740991.0.0",
  "9007199254740992.0.0",
  "1.2.3-9007199254740990",
  "1.2.3-9007199254740991",
  "1.2.3-9007199254740993",
  "1.2.3-99999999999999999999",
  "0.0.0-" + "a".repeat(250),
  "0.0.0-" + "a".repeat(251),
  "0.0.0a" + "b".repeat(250),
  "1.2.3-" + "1".repeat(300),
  "1.2.3\n",
  "\t1.2.3",
  "1.2.3-ä",
  "１.2.3",
];

function generated(count: number): string[] {
  let state = 0x2545f491;
  const next = (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const pick = <T>(items: readonly T[]) => items[next(items.length)]!;
  const ids = ["0", "1", "2", "10", "01", "alpha", "beta", "rc", "x-1", "-", "1a", "a1", "A"];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const main = [0, 1, 2].map(() => pick(["0", "1", "2", "10", "01"])).join(".");
    const pre = Array.from({ length: next(4) }, () => pick(ids)).join(".");
    const build = Array.from({ length: next(3) }, () => pick(ids)).join(".");
    out.push(
      `${pick(["", "", "v", "="])}${main}${pre === "" ? "" : pick(["-", "-", ""]) + pre}${
        build === "" ? "" : `+${build}`
      }`,
    );
  }
  return out;
}

const CORPUS = [...EDGE_CASES, ...generated(400)];

Deno.test("parseVersion parses as semver.parse, strict and loose", () => {
  for (const loose of [false, true]) {
    for (const text of CORPUS) {
      const ours = parseVersion(text, loose);
      const theirs = semver.parse(text, { loose });
      assert.deepEqual(
        ours === null ? null : [ours.version, ours.prerelease, ours.build],
        theirs === null ? null : [theirs.version, theirs.prerelease, theirs.build],
        `${JSON.stringify(text)} (loose: ${loose})`,
      );
    }
  }
});

Deno.test("comparePrecedence and compareWithBuildParsed order as semver", () => {
  for (const loose of [false, true]) {
    const valid = CORPUS.filter((text) => semver.parse(text, { loose }) !== null);
    for (const a of valid) {
      for (const b of valid) {
        const [pa, pb] = [parseVersion(a, loose)!, parseVersion(b, loose)!];
        const [sa, sb] = [new semver.SemVer(a, { loose }), new semver.SemVer(b, { loose })];
        const label = `${a} vs ${b} (loose: ${loose})`;
        assert.deepEqual(comparePrecedence(pa, pb), sa.compare(sb), label);
        assert.deepEqual(
          compareWithBuildParsed(pa, pb),
          sa.compare(sb) || sa.compareBuild(sb),
          label,
        );
      }
    }
  }
});
