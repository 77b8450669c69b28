/**
 * Archives with (safe, internal) symlinks under the least-privilege set: Deno refuses
 * `Deno.symlink` to code holding a path-scoped `--allow-write`, so the extractor materialises
 * each link (a hard link for a file, a copy for a directory). Every case runs in a child
 * `deno run --allow-read --allow-write=<dir>`, and, for comparison, in a child with
 * unscoped grants, where real links are made.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getFromCache } from "../../src/cache/mod.ts";
import { listTree, type Member, tarOf, withTempDir } from "../../src/cache/_testing.ts";
import type { ScopedJob, ScopedResult } from "./scoped_child.ts";

const CHILD = fileURLToPath(new URL("./scoped_child.ts", import.meta.url));
const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));

type Grant = "scoped" | "unscoped";

/** Runs the jobs in a child holding `--allow-read` and a write grant on `writable` only. */
async function runChild(
  grant: Grant,
  writable: string,
  jobs: ScopedJob[],
): Promise<ScopedResult[]> {
  const write = grant === "scoped" ? `--allow-write=${writable}` : "--allow-write";
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--config",
      CONFIG,
      "--allow-read",
      write,
      CHILD,
      JSON.stringify(jobs),
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, `${stdout}\n${new TextDecoder().decode(output.stderr)}`);
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ScopedResult[];
}

const MANIFEST: Member = { name: "extension.yaml", body: "name: probe\n" };

interface Case {
  label: string;
  members: Member[];
  limits?: { maxFiles?: number; maxBytes?: number };
  /** Checks a successful extraction into `dest`. */
  check?: (dest: string, result: ScopedResult & { ok: true }, grant: Grant) => Promise<void>;
  /** The refusal expected under the scoped grant (unscoped, real links are made). */
  refused?: { code: string; message: RegExp };
}

async function inode(path: string): Promise<number | null> {
  return (await Deno.lstat(path)).ino;
}

const CASES: Case[] = [
  {
    label: "a link to a file becomes a hard link to it",
    members: [
      MANIFEST,
      { name: "kcl/main.k", body: "a = 1\n" },
      { name: "main.k", type: "symlink", linkname: "kcl/main.k" },
    ],
    async check(dest, { stats }, grant) {
      assert.equal(await Deno.readTextFile(join(dest, "main.k")), "a = 1\n");
      const link = await Deno.lstat(join(dest, "main.k"));
      if (grant === "scoped") {
        assert.deepEqual([link.isFile, stats?.materializedLinks], [true, 1]);
        assert.equal(link.ino, await inode(join(dest, "kcl/main.k")));
      } else {
        assert.deepEqual([link.isSymlink, stats?.materializedLinks], [true, 0]);
      }
    },
  },
  {
    label: "a link to a directory becomes a copy whose files are hard links",
    members: [
      MANIFEST,
      { name: "kcl/main.k", body: "a = 1\n" },
      { name: "kcl/sub/deep.k", body: "b = 2\n" },
      { name: "deep/er/up", type: "symlink", linkname: "../../kcl" },
    ],
    async check(dest, { stats }, grant) {
      assert.equal(await Deno.readTextFile(join(dest, "deep/er/up/main.k")), "a = 1\n");
      assert.equal(await Deno.readTextFile(join(dest, "deep/er/up/sub/deep.k")), "b = 2\n");
      if (grant === "unscoped") return;
      assert.ok((await Deno.lstat(join(dest, "deep/er/up"))).isDirectory);
      assert.equal(
        await inode(join(dest, "deep/er/up/sub/deep.k")),
        await inode(join(dest, "kcl/sub/deep.k")),
      );
      assert.equal(stats?.materializedLinks, 1);
      assert.deepEqual(await listTree(join(dest, "deep/er/up")), ["main.k", "sub/", "sub/deep.k"]);
    },
  },
  {
    label: "a link listed before its target",
    members: [
      MANIFEST,
      { name: "first", type: "symlink", linkname: "later/file.txt" },
      { name: "later/file.txt", body: "later" },
    ],
    async check(dest) {
      assert.equal(await Deno.readTextFile(join(dest, "first")), "later");
    },
  },
  {
    label: "chains of links and links inside a linked directory resolve where they stand",
    members: [
      MANIFEST,
      { name: "docs/v1/readme", body: "v1" },
      { name: "docs/v2/current", type: "symlink", linkname: "../v1/readme" },
      { name: "docs/latest", type: "symlink", linkname: "v2" },
      { name: "top", type: "symlink", linkname: "docs/latest/current" },
    ],
    async check(dest, { stats }, grant) {
      assert.equal(await Deno.readTextFile(join(dest, "docs/latest/current")), "v1");
      assert.equal(await Deno.readTextFile(join(dest, "top")), "v1");
      if (grant === "scoped") assert.equal(stats?.materializedLinks, 3);
    },
  },
  {
    label: "links leading nowhere are left out",
    members: [
      MANIFEST,
      { name: "gone", type: "symlink", linkname: "missing.txt" },
      { name: "ping", type: "symlink", linkname: "pong" },
      { name: "pong", type: "symlink", linkname: "ping" },
    ],
    async check(dest, { stats }, grant) {
      if (grant === "unscoped") return;
      assert.deepEqual(await listTree(dest), ["extension.yaml"]);
      assert.deepEqual([stats?.materializedLinks, stats?.omittedLinks], [0, 3]);
    },
  },
  {
    label: "a link to a directory that contains it cannot be copied",
    members: [
      MANIFEST,
      { name: "sub/file", body: "x" },
      { name: "sub/self", type: "symlink", linkname: "." },
    ],
    refused: {
      code: "UNSUPPORTED",
      message: /symlink "sub\/self": it leads to "sub", a directory that contains it/,
    },
  },
  {
    label: "copies count towards the entry limit",
    limits: { maxFiles: 12 },
    members: [
      MANIFEST,
      ...["a", "b", "c", "d", "e"].map((name) => ({ name: `lib/${name}`, body: name })),
      ...["l1", "l2", "l3"].map((name) => ({ name, type: "symlink" as const, linkname: "lib" })),
    ],
    refused: { code: "UNSAFE_ARCHIVE", message: /more than 12 entries/ },
  },
  {
    label: "copies count towards the byte limit",
    limits: { maxBytes: 2500 },
    members: [
      MANIFEST,
      { name: "big", body: "x".repeat(1000) },
      { name: "l1", type: "symlink", linkname: "big" },
      { name: "l2", type: "symlink", linkname: "big" },
    ],
    refused: { code: "UNSAFE_ARCHIVE", message: /more than 2500 bytes/ },
  },
];

/** A work folder: archives (read only), the child's writable folder, and an outside one. */
async function withWork(
  fn: (work: { archives: string; writable: string; outside: string }) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    const work = {
      archives: join(dir, "archives"),
      writable: join(dir, "writable"),
      outside: join(dir, "outside"),
    };
    for (const path of Object.values(work)) await Deno.mkdir(path);
    await Deno.writeTextFile(join(work.outside, "victim"), "original");
    await fn(work);
    assert.deepEqual(await listTree(work.outside), ["victim"]);
    assert.equal(await Deno.readTextFile(join(work.outside, "victim")), "original");
  });
}

for (const grant of ["scoped", "unscoped"] as const) {
  Deno.test(`extractArchive() with ${grant} --allow-write: archive symlinks`, (t) =>
    withWork(async ({ archives, writable }) => {
      const jobs: ScopedJob[] = [];
      for (const [i, c] of CASES.entries()) {
        const archive = join(archives, `${i}.tar`);
        await Deno.writeFile(archive, await tarOf(c.members));
        jobs.push({
          op: "extract",
          archive,
          dest: join(writable, String(i)),
          ...(c.limits ? { limits: c.limits } : {}),
        });
      }
      // One child runs the whole table; each case is checked in its own step.
      const results = await runChild(grant, writable, jobs);
      for (const [i, c] of CASES.entries()) {
        await t.step(c.label, async () => {
          const result = results[i]!;
          const dest = join(writable, String(i));
          if (c.refused && grant === "scoped") {
            assert.equal(result.ok, false, JSON.stringify(result));
            assert.equal(result.ok === false && result.code, c.refused.code);
            assert.match(result.ok === false ? result.message : "", c.refused.message);
            assert.deepEqual(await listTree(dest), [], "nothing is left behind");
            return;
          }
          assert.equal(result.ok, true, JSON.stringify(result));
          if (result.ok && c.refused) assert.equal(result.stats?.materializedLinks, 0);
          if (result.ok) await c.check?.(dest, result, grant);
        });
      }
      const made = CASES.flatMap((c, i) => c.refused && grant === "scoped" ? [] : [String(i)]);
      assert.deepEqual([...Deno.readDirSync(writable)].map((e) => e.name).sort(), made.sort());
    }));
}

Deno.test("saveOciToCache() under the scoped set saves an archive with symlinks", () =>
  withWork(async ({ archives, writable }) => {
    const archive = join(archives, "links.tar");
    await Deno.writeFile(
      archive,
      await tarOf([
        MANIFEST,
        { name: "kcl/main.k", body: "a = 1\n" },
        { name: "main.k", type: "symlink", linkname: "kcl/main.k" },
        { name: "docs", type: "symlink", linkname: "kcl" },
      ]),
    );
    const root = join(writable, "cache");
    const key = { type: "provider" as const, name: "probe", version: "1.0.0" };
    const [saved] = await runChild("scoped", writable, [{ op: "save", archive, root, key }]);
    assert.deepEqual(saved, { ok: true, path: join(root, "extensions/provider/probe/1.0.0") });
    const entry = await getFromCache(root, "provider", "probe", "1.0.0");
    assert.ok(entry);
    assert.equal(await Deno.readTextFile(join(entry.path, "main.k")), "a = 1\n");
    assert.equal(await Deno.readTextFile(join(entry.path, "docs/main.k")), "a = 1\n");
    assert.ok((await Deno.lstat(join(entry.path, "docs"))).isDirectory, "materialised");
    // The record counts what is on disk: extension.yaml, kcl/main.k, main.k, docs/main.k.
    assert.deepEqual([entry.files, entry.size], [4, 30]);
  }));

Deno.test("a cache root that is a link needs the write grant on its resolved path only", () =>
  withWork(async ({ archives, writable }) => {
    // Deno checks grants against paths as written; the cache works from the real root.
    const archive = join(archives, "plain.tar");
    await Deno.writeFile(archive, await tarOf([MANIFEST]));
    const real = await Deno.realPath(writable);
    const link = join(archives, "..", "cache-link");
    await Deno.symlink(real, link);
    const key = { type: "provider" as const, name: "probe", version: "1.0.0" };
    const [saved] = await runChild("scoped", real, [{ op: "save", archive, root: link, key }]);
    assert.deepEqual(saved, { ok: true, path: join(real, "extensions/provider/probe/1.0.0") });
  }));
