/**
 * Deno itself — not our own checks — refuses what lies outside a command's permission set,
 * in both launches: `deno run` with the flags `permissionFlags` prints, and a broad launch
 * (as the compiled binary runs) that narrows a Worker with `runScoped`. Each case starts a
 * real subprocess (`_probe.ts`) and inspects the error class Deno raised (`NotCapable`).
 *
 * @module
 */

import assert from "node:assert/strict";
import { packTar } from "modern-tar";
import { LAUNCHES, probe, setOf } from "./_launch.ts";

async function withDirs(
  fn: (dirs: { root: string; cache: string; outside: string }) => Promise<void>,
): Promise<void> {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "perm-test-" }));
  const dirs = { root, cache: `${root}/cache`, outside: `${root}/outside` };
  await Deno.mkdir(dirs.cache);
  await Deno.mkdir(dirs.outside);
  try {
    await fn(dirs);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("a write outside the cache root is refused by Deno", async (t) => {
  for (const { launch, label } of LAUNCHES) {
    await t.step(label, () =>
      withDirs(async ({ cache, outside }) => {
        const set = setOf({ read: [cache], write: [cache] });
        const [inside, escape, parent] = await probe(launch, set, [
          { op: "write", path: `${cache}/inside.txt` },
          { op: "write", path: `${outside}/escape.txt` },
          { op: "write", path: `${cache}/../escape.txt` },
        ]);
        assert.deepEqual(inside, { ok: true });
        assert.equal(escape?.ok === false && escape.error, "NotCapable");
        assert.equal(parent?.ok === false && parent.error, "NotCapable");
        assert.equal(await exists(`${outside}/escape.txt`), false);
        assert.equal(await exists(`${cache}/inside.txt`), true);
      }));
  }
});

Deno.test("a connection to a port not in the set is refused by Deno", async (t) => {
  // Two real listeners on 127.0.0.1; only the first one's port is granted
  // (`--allow-net=127.0.0.1:PORT` scopes by port, not just by host).
  using allowed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  using other = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const set = setOf({ net: [`127.0.0.1:${allowed.addr.port}`] });
  for (const { launch, label } of LAUNCHES) {
    await t.step(label, async () => {
      const [ok, refused, fetched] = await probe(launch, set, [
        { op: "connect", port: allowed.addr.port },
        { op: "connect", port: other.addr.port },
        { op: "fetch", url: `http://127.0.0.1:${other.addr.port}/v2/` },
      ]);
      assert.deepEqual(ok, { ok: true });
      assert.equal(refused?.ok === false && refused.error, "NotCapable");
      assert.equal(fetched?.ok === false && fetched.error, "NotCapable");
    });
  }
});

Deno.test("an --offline command gives up the network in the scoped worker", async () => {
  // The launcher plans from the configuration (a registry on this port); once the command
  // line says --offline its set reaches no host, and the worker drops the network in place.
  using registry = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const set = setOf({ net: [`127.0.0.1:${registry.addr.port}`] });
  const [before, dropped, after, fetched] = await probe("worker", set, [
    { op: "connect", port: registry.addr.port },
    { op: "offline" },
    { op: "connect", port: registry.addr.port },
    { op: "fetch", url: `http://127.0.0.1:${registry.addr.port}/v2/` },
  ]);
  assert.deepEqual(before, { ok: true });
  assert.deepEqual(dropped, { ok: true });
  assert.equal(after?.ok === false && after.error, "NotCapable");
  assert.equal(fetched?.ok === false && fetched.error, "NotCapable");
});

Deno.test("variables outside the set read as unset and programs outside it cannot start", async (t) => {
  for (const { launch, label } of LAUNCHES) {
    await t.step(label, async () => {
      const set = setOf({ env: ["HOME", "PROVISIONING_CACHE_DIR"] });
      const [granted, other, git] = await probe(launch, set, [
        { op: "env", name: "PROVISIONING_CACHE_DIR" },
        { op: "env", name: "AWS_SECRET_ACCESS_KEY" },
        { op: "run", command: "git" },
      ], { PROVISIONING_CACHE_DIR: "/c", AWS_SECRET_ACCESS_KEY: "s3cret" });
      assert.deepEqual(granted, { ok: true, value: "/c" });
      assert.deepEqual(other, { ok: true, value: "undefined" });
      assert.equal(git?.ok === false && git.error, "NotCapable");
    });
    await t.step(`${label}: git runs when the git source is in play`, async () => {
      const [git] = await probe(launch, setOf({ run: ["git"] }), [{ op: "run", command: "git" }]);
      assert.deepEqual(git, { ok: true, value: "0" });
    });
  }
});

Deno.test("code under a scoped write grant cannot create a symlink at all", async (t) => {
  for (const { launch, label } of LAUNCHES) {
    await t.step(label, () =>
      withDirs(async ({ cache, outside }) => {
        const set = setOf({ read: [cache], write: [cache] });
        const [made] = await probe(launch, set, [
          { op: "symlink", target: outside, path: `${cache}/link` },
        ]);
        // Deno.symlink needs unscoped --allow-read and --allow-write.
        assert.equal(made?.ok === false && made.error, "NotCapable");
        assert.equal(await exists(`${cache}/link`), false);
      }));
  }
});

Deno.test("a symlink planted inside the cache lets a plain write escape: Deno checks the path, not its target", async (t) => {
  // What Deno 2.9.6 really does: the write grant is checked against the path as written,
  // and the OS then follows the link. Only code that never follows links keeps writes
  // inside the cache; Deno's grant alone does not.
  for (const { launch, label } of LAUNCHES) {
    await t.step(label, () =>
      withDirs(async ({ cache, outside }) => {
        await Deno.writeTextFile(`${outside}/victim.txt`, "original\n");
        await Deno.symlink(`${outside}/victim.txt`, `${cache}/file-link`);
        await Deno.symlink(outside, `${cache}/dir-link`);
        const set = setOf({ read: [cache], write: [cache] });
        const [viaFile, viaDir] = await probe(launch, set, [
          { op: "write", path: `${cache}/file-link` },
          { op: "write", path: `${cache}/dir-link/new.txt` },
        ]);
        assert.deepEqual(viaFile, { ok: true });
        assert.deepEqual(viaDir, { ok: true });
        assert.equal(await Deno.readTextFile(`${outside}/victim.txt`), "written by the probe\n");
        assert.equal(await exists(`${outside}/new.txt`), true);
      }));
  }
});

async function probeTar(dir: string): Promise<string> {
  const manifest = "name: probe\ntype: provider\nversion: 1.0.0\ndescription: probe\n";
  const tar = await packTar([
    { header: { name: "extension.yaml", size: manifest.length, type: "file" }, body: manifest },
    { header: { name: "data.txt", size: 5, type: "file" }, body: "hello" },
  ]);
  const path = `${dir}/probe.tar`;
  await Deno.writeFile(path, tar);
  return path;
}

Deno.test("a real cache save under the scoped set stays inside the cache root", async (t) => {
  for (const { launch, label } of LAUNCHES) {
    await t.step(`${label}: a clean cache`, () =>
      withDirs(async ({ root, cache }) => {
        const tar = await probeTar(root);
        const set = setOf({ read: [cache, tar], write: [cache] });
        const [saved] = await probe(launch, set, [{ op: "cacheSave", root: cache, tar }]);
        assert.deepEqual(saved, { ok: true, value: `${cache}/extensions/provider/probe/1.0.0` });
        assert.equal(
          await Deno.readTextFile(`${cache}/extensions/provider/probe/1.0.0/data.txt`),
          "hello",
        );
      }));
    await t.step(
      `${label}: index.json planted as a link to a file outside`,
      () =>
        withDirs(async ({ root, cache, outside }) => {
          const tar = await probeTar(root);
          await Deno.writeTextFile(`${outside}/index.json`, "original\n");
          await Deno.symlink(`${outside}/index.json`, `${cache}/index.json`);
          const set = setOf({ read: [cache, tar], write: [cache] });
          const [saved] = await probe(launch, set, [{ op: "cacheSave", root: cache, tar }]);
          assert.equal(saved?.ok, true);
          // The index is replaced by a rename, which replaces the link, not its target.
          assert.equal(await Deno.readTextFile(`${outside}/index.json`), "original\n");
          assert.equal((await Deno.lstat(`${cache}/index.json`)).isSymlink, false);
        }),
    );
  }
});

// The acceptance test for the cache module: Deno's scoped write grant does not stop a write
// through a symlink planted at a fixed cache folder (see the test above), so the cache checks
// every fixed folder with lstat and refuses links (INTEGRITY) before it writes anything.
Deno.test("a real cache save refuses a directory symlink planted at a fixed cache folder", async (t) => {
  const planted = [
    "extensions",
    "extensions/provider",
    "extensions/provider/probe",
    "blobs",
    "blobs/sha256",
    "locks",
    "tmp",
  ];
  for (const { launch, label } of LAUNCHES) {
    for (const folder of planted) {
      await t.step(`${label}: ${folder}`, () =>
        withDirs(async ({ root, cache, outside }) => {
          const tar = await probeTar(root);
          const parent = folder.split("/").slice(0, -1).join("/");
          if (parent !== "") await Deno.mkdir(`${cache}/${parent}`, { recursive: true });
          await Deno.symlink(outside, `${cache}/${folder}`);
          const set = setOf({ read: [cache, tar], write: [cache] });
          const [saved] = await probe(launch, set, [{ op: "cacheSave", root: cache, tar }]);
          assert.equal(saved?.ok, false);
          assert.match(
            saved?.ok === false ? saved.message : "",
            new RegExp(`Refusing cache folder "${cache}/${folder}": it is a symbolic link`),
          );
          assert.deepEqual([...Deno.readDirSync(outside)], []);
        }));
    }
  }
});
