/**
 * `ext add`, `ext remove`, `ext load` under a lock, digest pins, missing-tool warnings, and
 * one graph across the registry, a local folder and a git remote — through the real CLI
 * (broad launch, scoped worker) against the real registry and real git.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { harnessGit } from "../harness/git_server.ts";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { dependentManifest, publishDependent } from "../workspace/_fixture.ts";
import { runCli } from "./run_cli.ts";

registryTest(
  "ext add and remove edit extensions.toml; ext load keeps to the lock",
  async (t, reg) => {
    const namespace = uniqueNamespace("ws-add");
    using client = clientFor(reg, { settings: { namespace } });
    await publishDependent(client, "app", "1.0.0", "dependencies: [db]\n");
    await publishDependent(client, "db", "2.1.0");
    const db22 = await publishDependent(client, "db", "2.2.0");
    await publishDependent(client, "tooled", "1.0.0", "requires:\n  tools: [no-such-tool-x1]\n");
    const home = await makeHome();
    try {
      const ws = join(home.home, "ws");
      await Deno.mkdir(ws);
      const file = join(ws, "extensions.toml");
      const env = cliEnv(home, reg.host, namespace);
      const cli = (...args: string[]) => runCli(args, { home: home.home, env, cwd: ws });
      const lockNames = async () =>
        JSON.parse(await Deno.readTextFile(join(ws, "extensions.lock"))).extensions
          .map((e: { name: string; version: string }) => `${e.name}@${e.version}`);

      await t.step("add with no spec creates the file with ^newest", async () => {
        const run = await cli("ext", "add", "app");
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stderr, /^created .*extensions\.toml: app = "\^1\.0\.0"$/m);
        assert.equal(await Deno.readTextFile(file), '[extensions]\napp = "^1.0.0"\n');
        assert.deepEqual(await lockNames(), ["app@1.0.0", "db@2.2.0"]);
      });

      await t.step("add NAME@SPEC keeps comments and moves the lock within it", async () => {
        await Deno.writeTextFile(file, '# our platform\n[extensions]\napp = "^1.0.0"  # the app\n');
        const run = await cli("ext", "add", "db@~2.1.0");
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^db 2\.2\.0 → 2\.1\.0$/m);
        assert.equal(
          await Deno.readTextFile(file),
          '# our platform\n[extensions]\napp = "^1.0.0"  # the app\ndb = "~2.1.0"\n',
        );
        assert.deepEqual(await lockNames(), ["app@1.0.0", "db@2.1.0"]);
      });

      await t.step("ext load in the workspace loads the locked version", async () => {
        const run = await cli("ext", "load", "db", "--format", "json");
        assert.equal(run.code, 0, run.stderr);
        assert.equal(JSON.parse(run.stdout).version, "2.1.0");
        // An explicit spec the lock does not satisfy is loaded as asked.
        const asked = await cli("ext", "load", "db", "--version", "2.2.0", "--format", "json");
        assert.equal(JSON.parse(asked.stdout).version, "2.2.0");
      });

      await t.step("a failed add writes nothing", async () => {
        const before = await Deno.readTextFile(file);
        const lockBefore = await Deno.readTextFile(join(ws, "extensions.lock"));
        const run = await cli("ext", "add", "db@^9.0.0");
        assert.equal(run.code, 3, run.stderr);
        assert.match(run.stderr, /^error: No version of "db" satisfies all 2 constraints on it$/m);
        assert.equal(await Deno.readTextFile(file), before);
        assert.equal(await Deno.readTextFile(join(ws, "extensions.lock")), lockBefore);
        const bad = await cli("ext", "add", "Not A Name");
        assert.equal(bad.code, 2, bad.stderr);
      });

      await t.step("a required tool missing from PATH is a warning", async () => {
        const run = await cli("ext", "add", "tooled");
        assert.equal(run.code, 0, run.stderr);
        assert.match(
          run.stderr,
          /^warning: taskserv "tooled" 1\.0\.0 requires no-such-tool-x1, not found on PATH$/m,
        );
        const tree = await cli("ext", "tree");
        assert.match(tree.stdout, /^tooled 1\.0\.0 \(\^1\.0\.0\) requires no-such-tool-x1$/m);
      });

      await t.step("remove drops the entry and what only it needed", async () => {
        const run = await cli("ext", "remove", "tooled");
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^- tooled 1\.0\.0$/m);
        assert.doesNotMatch(await Deno.readTextFile(file), /tooled/);
        assert.deepEqual(await lockNames(), ["app@1.0.0", "db@2.1.0"]);
        const again = await cli("ext", "remove", "tooled");
        assert.equal(again.code, 3, again.stderr);
        assert.match(again.stderr, /^error: "tooled" is not in .*extensions\.toml$/m);
      });

      await t.step("a digest pin is exact", async () => {
        await cli("ext", "remove", "db");
        const run = await cli("ext", "add", "db", "--version", db22.digest);
        assert.equal(run.code, 0, run.stderr);
        assert.match(await Deno.readTextFile(file), new RegExp(`^db = "${db22.digest}"$`, "m"));
        const lock = JSON.parse(await Deno.readTextFile(join(ws, "extensions.lock")));
        const db = lock.extensions.find((e: { name: string }) => e.name === "db");
        assert.equal(db.version, "2.2.0");
        assert.equal(db.digest, db22.digest);
        assert.equal((await cli("ext", "install", "--locked")).code, 0);
      });

      await t.step("a version republished under the lock is exit 5 for ext load", async () => {
        await publishDependent(client, "db", "2.2.0", "", { "NOTES.md": "changed\n" });
        const run = await runCli(["ext", "load", "db"], {
          home: home.home,
          env: { ...env, PROVISIONING_CACHE_DIR: join(home.home, "fresh-cache") },
          cwd: ws,
        });
        assert.equal(run.code, 5, run.stderr);
        assert.match(
          run.stderr,
          /^error: taskserv "db" 2\.2\.0 is not what \S*extensions\.lock says: locked sha256:/m,
        );
      });
    } finally {
      await home.cleanup();
    }
  },
);

registryTest("one graph across the registry, a local folder and a git remote", async (t, reg) => {
  const namespace = uniqueNamespace("ws-mixed");
  using client = clientFor(reg, { settings: { namespace } });
  // app (registry) → localdep (local folder) and gitdep (git) → db (registry)
  await publishDependent(
    client,
    "app",
    "1.0.0",
    "dependencies:\n  localdep: ^0.1.0\n  gitdep: ^1.0.0\n",
  );
  await publishDependent(client, "db", "3.0.0");
  const home = await makeHome();
  try {
    await Deno.mkdir(join(home.localDir, "localdep"));
    await Deno.writeTextFile(
      join(home.localDir, "localdep", "extension.yaml"),
      dependentManifest("localdep", "0.1.0"),
    );
    const work = join(home.home, "gitdep-work");
    await harnessGit(["init", "--quiet", "-b", "main", work]);
    await Deno.writeTextFile(
      join(work, "extension.yaml"),
      dependentManifest("gitdep", "1.0.0", "dependencies: [db]\n"),
    );
    await harnessGit(["add", "-A"], { cwd: work });
    await harnessGit(["commit", "--quiet", "-m", "1.0.0"], { cwd: work });
    await harnessGit(["tag", "1.0.0"], { cwd: work });
    // A remote is known by its repository's name, as `git clone` names the folder.
    const bare = join(home.home, "gitdep.git");
    await harnessGit(["clone", "--quiet", "--bare", work, bare]);
    await Deno.writeTextFile(
      join(home.home, ".provisioning", "config.toml"),
      `[oci]\nretry_count = 0\ntimeout = 10\n[git]\nremotes = ["file://${bare}"]\n`,
    );
    const ws = join(home.home, "ws");
    await Deno.mkdir(ws);
    await Deno.writeTextFile(join(ws, "extensions.toml"), '[extensions]\napp = "^1.0.0"\n');
    const env = cliEnv(home, reg.host, namespace);
    const run = await runCli(["ext", "install", "--format", "json"], {
      home: home.home,
      env,
      cwd: ws,
    });
    assert.equal(run.code, 0, run.stderr);
    const locked = JSON.parse(run.stdout).extensions as {
      name: string;
      source: string;
      digest: string | null;
      tree: string;
    }[];
    const where = Object.fromEntries(locked.map((e) => [e.name, e.source]));
    assert.deepEqual(where, { app: "oci", db: "oci", gitdep: "git", localdep: "local" });
    assert.match(locked.find((e) => e.name === "gitdep")!.digest!, /^sha256:[0-9a-f]{64}$/);
    assert.equal(locked.find((e) => e.name === "localdep")!.digest, null);
    await t.step("tree shows the whole graph", async () => {
      const tree = await runCli(["ext", "tree"], { home: home.home, env, cwd: ws });
      assert.equal(
        tree.stdout,
        "app 1.0.0 (^1.0.0)\n  gitdep 1.0.0 (^1.0.0)\n    db 3.0.0 (*)\n  localdep 0.1.0 (^0.1.0)\n",
      );
    });
  } finally {
    await home.cleanup();
  }
});
