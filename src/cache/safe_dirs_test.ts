import assert from "node:assert/strict";
import { join } from "node:path";
import { isProvisioningError } from "../errors.ts";
import { ensureLayout, ensureRealDir, hasRealDir } from "./safe_dirs.ts";
import { withTempDir } from "./_testing.ts";

type Plant = (path: string, outside: string) => Promise<void>;

const PLANTS: [string, Plant, RegExp][] = [
  ["a symlink to a folder", (path, outside) => Deno.symlink(outside, path), /symbolic link/],
  [
    "a dangling symlink",
    (path, outside) => Deno.symlink(join(outside, "gone"), path),
    /symbolic link/,
  ],
  ["a regular file", (path) => Deno.writeTextFile(path, "x"), /is not a directory/],
];

Deno.test("ensureRealDir() and hasRealDir() refuse what is not a real folder, at any depth", async (t) => {
  const chain = ["extensions", "provider", "aws"];
  for (const [label, plant, message] of PLANTS) {
    for (let depth = 1; depth <= chain.length; depth++) {
      const at = chain.slice(0, depth).join("/");
      await t.step(`${label} at ${at}`, () =>
        withTempDir(async (dir) => {
          const root = join(dir, "root");
          const outside = join(dir, "outside");
          await Deno.mkdir(outside);
          await ensureRealDir(dir, ["root", ...chain.slice(0, depth - 1)]);
          await plant(join(root, at), outside);
          for (const check of [ensureRealDir, hasRealDir]) {
            await assert.rejects(check(root, chain), (error) => {
              assert.ok(isProvisioningError(error, "INTEGRITY"));
              assert.match(error.message, new RegExp(`"${join(root, at)}"`));
              assert.match(error.message, message);
              assert.match(error.hint ?? "", /Remove/);
              return true;
            });
          }
          assert.deepEqual([...Deno.readDirSync(outside)], []);
        }));
    }
  }
});

Deno.test("ensureRealDir() creates missing folders one by one; hasRealDir() creates nothing", async (t) => {
  await t.step("missing folders", () =>
    withTempDir(async (root) => {
      assert.equal(await hasRealDir(root, ["blobs", "sha256"]), false);
      assert.deepEqual([...Deno.readDirSync(root)], []);
      await ensureRealDir(root, ["blobs", "sha256"]);
      assert.equal(await hasRealDir(root, ["blobs", "sha256"]), true);
      await ensureRealDir(root, ["blobs", "sha256"]);
    }));
  await t.step("concurrent creators all succeed", () =>
    withTempDir(async (root) => {
      await Promise.all(Array.from({ length: 8 }, () => ensureLayout(root)));
      assert.equal(await hasRealDir(root, ["blobs", "sha256"]), true);
    }));
});
