import assert from "node:assert/strict";
import { posix } from "node:path";
import {
  basename,
  dirname,
  isAbsolute,
  join,
  normalize,
  normalizePosix,
  relative,
  resolve,
} from "./path.ts";

const PATHS = [
  "",
  ".",
  "..",
  "/",
  "//",
  "///a",
  "a",
  "a/",
  "a//b",
  "/a/b/",
  "/a/./b/../c",
  "../a/../../b",
  "a/..",
  "/..",
  "/../a",
  "./a/b/.",
  "a/b/c/..",
  ".hidden",
  "/a/b.c.toml",
  "a/b//",
  "~/x",
  "/a/b/../../..",
  "..a/b",
  "a/..b",
  "/x/y/",
];

Deno.test("path functions agree with node:path.posix on every sample", () => {
  if (Deno.build.os === "windows") return;
  for (const p of PATHS) {
    assert.equal(normalize(p), posix.normalize(p), `normalize(${JSON.stringify(p)})`);
    assert.equal(dirname(p), posix.dirname(p), `dirname(${JSON.stringify(p)})`);
    assert.equal(basename(p), posix.basename(p), `basename(${JSON.stringify(p)})`);
    assert.equal(basename(p, ".toml"), posix.basename(p, ".toml"), `basename(${p}, .toml)`);
    assert.equal(isAbsolute(p), posix.isAbsolute(p), `isAbsolute(${JSON.stringify(p)})`);
    assert.equal(resolve(p), posix.resolve(p), `resolve(${JSON.stringify(p)})`);
    for (const q of PATHS) {
      assert.equal(
        join(p, q),
        posix.join(p, q),
        `join(${JSON.stringify(p)}, ${JSON.stringify(q)})`,
      );
      assert.equal(resolve(p, q), posix.resolve(p, q), `resolve(${p}, ${q})`);
      assert.equal(relative(p, q), posix.relative(p, q), `relative(${p}, ${q})`);
    }
  }
  assert.equal(join(), posix.join());
  assert.equal(resolve(), posix.resolve());
});

Deno.test("normalizePosix() agrees with node:path.posix.normalize on every system", () => {
  for (const p of PATHS) {
    assert.equal(normalizePosix(p), posix.normalize(p), `normalizePosix(${JSON.stringify(p)})`);
  }
});
