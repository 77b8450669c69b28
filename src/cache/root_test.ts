import assert from "node:assert/strict";
import { join } from "node:path";
import { CACHE_MARKER, resolveCacheRoot } from "./root.ts";
import { listTree, withTempDir } from "./_testing.ts";

Deno.test("resolveCacheRoot() follows a configured link once and refuses a file", async (t) => {
  await t.step("a link at the root resolves to its target", () =>
    withTempDir(async (dir) => {
      const real = await Deno.realPath(dir);
      await Deno.mkdir(join(real, "target"));
      await Deno.symlink(join(real, "target"), join(real, "link"));
      assert.equal(await resolveCacheRoot(join(real, "link")), join(real, "target"));
    }));
  await t.step("a missing root is undefined, or created", () =>
    withTempDir(async (dir) => {
      const real = await Deno.realPath(dir);
      assert.equal(await resolveCacheRoot(join(real, "a", "b")), undefined);
      assert.equal(
        await resolveCacheRoot(join(real, "a", "b"), { create: true }),
        join(real, "a", "b"),
      );
    }));
  await t.step("a file at the root is INVALID_CONFIG", () =>
    withTempDir(async (dir) => {
      await Deno.writeTextFile(join(dir, "file"), "");
      for (const create of [false, true]) {
        await assert.rejects(resolveCacheRoot(join(dir, "file"), { create }), {
          code: "INVALID_CONFIG",
        });
      }
    }));
});

Deno.test("resolveCacheRoot() works only in a folder the cache owns", async (t) => {
  await t.step(
    "a created root gets the marker first; a read never creates anything",
    () =>
      withTempDir(async (dir) => {
        const root = join(dir, "cache");
        assert.equal(await resolveCacheRoot(root), undefined);
        assert.deepEqual(await listTree(dir), []);
        const real = await resolveCacheRoot(root, { create: true });
        const marker = JSON.parse(await Deno.readTextFile(join(real!, CACHE_MARKER)));
        assert.equal(marker.schema, 1);
        assert.deepEqual(await listTree(root), [
          CACHE_MARKER,
          "locks/",
          "locks/index.lock",
          "tmp/",
        ]);
      }),
  );
  await t.step(
    "a folder holding the user's files is refused, with or without create",
    () =>
      withTempDir(async (dir) => {
        await Deno.writeTextFile(join(dir, "notes.txt"), "mine");
        await Deno.mkdir(join(dir, "src"));
        await Deno.mkdir(join(dir, "tmp"));
        for (const create of [false, true]) {
          await assert.rejects(resolveCacheRoot(dir, { create }), (error: Error) => {
            assert.equal((error as { code?: string }).code, "CACHE_ROOT_NOT_OWNED");
            assert.match(
              error.message,
              /holds files the cache did not make \("notes\.txt", "src"\)/,
            );
            return true;
          });
        }
        assert.deepEqual(await listTree(dir), ["notes.txt", "src/", "tmp/"]);
      }),
  );
  await t.step(
    "a folder of the cache's own names only (made before the marker) is adopted",
    () =>
      withTempDir(async (dir) => {
        await Deno.mkdir(join(dir, "extensions", "provider"), { recursive: true });
        await Deno.mkdir(join(dir, "blobs", "sha256"), { recursive: true });
        await Deno.writeTextFile(join(dir, "index.json"), '{"schema":1,"entries":{}}');
        assert.equal(await resolveCacheRoot(dir), await Deno.realPath(dir));
        await assert.rejects(Deno.lstat(join(dir, CACHE_MARKER)), Deno.errors.NotFound);
        await resolveCacheRoot(dir, { create: true });
        assert.ok((await Deno.lstat(join(dir, CACHE_MARKER))).isFile);
      }),
  );
  await t.step(
    "a foreign folder inside extensions/ or blobs/ is not a cache's",
    () =>
      withTempDir(async (dir) => {
        await Deno.mkdir(join(dir, "extensions", "my-notes"), { recursive: true });
        await assert.rejects(resolveCacheRoot(dir), { code: "CACHE_ROOT_NOT_OWNED" });
      }),
  );
  await t.step(
    "with the marker, anything below is the cache's business",
    () =>
      withTempDir(async (dir) => {
        await resolveCacheRoot(dir, { create: true });
        await Deno.writeTextFile(join(dir, "stray.txt"), "x");
        assert.equal(await resolveCacheRoot(dir), await Deno.realPath(dir));
      }),
  );
  await t.step("a folder at the marker's name is refused", () =>
    withTempDir(async (dir) => {
      await Deno.mkdir(join(dir, CACHE_MARKER));
      await assert.rejects(resolveCacheRoot(dir), { code: "INTEGRITY" });
    }));
});
