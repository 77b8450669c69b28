/**
 * The workspace commands through the real CLI (broad launch, scoped worker — so the plan must
 * grant `extensions.toml` and the lock's folder) against the real registry: install writes the
 * lock, `--locked` refuses drift (exit 2), outdated and update, tree, and a dependency
 * republished under its version on a fresh cache (exit 5).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome } from "../loader/_fixture.ts";
import { publishDependent } from "../workspace/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

registryTest("ext install, outdated, update and tree keep a workspace locked", async (t, reg) => {
  const namespace = uniqueNamespace("ws-cli");
  using client = clientFor(reg, { settings: { namespace } });
  const ext = (name: string, version: string, deps = "", extra: Record<string, string> = {}) =>
    publishDependent(client, name, version, deps, extra);
  await ext("app", "1.0.0", "dependencies: [db]\n");
  await ext("db", "2.1.0");
  const home = await makeHome();
  try {
    const ws = join(home.home, "project", "deep");
    await Deno.mkdir(ws, { recursive: true });
    // Found by walking up from the current directory.
    const file = join(home.home, "project", "extensions.toml");
    await Deno.writeTextFile(file, '[extensions]\napp = "^1.0.0"\n');
    const env = cliEnv(home, reg.host, namespace);
    const cli = (...args: string[]) => runCli(args, { home: home.home, env, cwd: ws });

    await t.step("install writes the lock beside extensions.toml", async () => {
      const run = await cli("ext", "install", "--format", "json");
      assert.equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout);
      assert.equal(result.lockPath, join(home.home, "project", "extensions.lock"));
      assert.equal(result.written, true);
      assert.deepEqual(result.extensions.map((e: { name: string }) => e.name), ["app", "db"]);
      const again = await cli("ext", "install", "--locked");
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /2 extensions installed; .*extensions\.lock unchanged/);
    });

    await t.step("tree shows who required what", async () => {
      const run = await cli("ext", "tree");
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, "app 1.0.0 (^1.0.0)\n  db 2.1.0 (*)\n");
    });

    await t.step("outdated and update", async () => {
      await ext("db", "2.2.0");
      const outdated = await cli("ext", "outdated", "--format", "json");
      assert.equal(outdated.code, 0, outdated.stderr);
      assert.deepEqual(JSON.parse(outdated.stdout).find((r: { name: string }) => r.name === "db"), {
        name: "db",
        type: "taskserv",
        locked: "2.1.0",
        wanted: "2.2.0",
        latest: "2.2.0",
      });
      const update = await cli("ext", "update", "db");
      assert.equal(update.code, 0, update.stderr);
      assert.match(update.stdout, /^db 2\.1\.0 → 2\.2\.0$/m);
    });

    await t.step("--locked refuses drift with exit 2", async () => {
      await ext("extra", "1.0.0");
      await Deno.writeTextFile(file, '[extensions]\napp = "^1.0.0"\nextra = "*"\n');
      const run = await cli("ext", "install", "--locked");
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^error: ".*extensions\.lock" would have to change/m);
      assert.equal((await cli("ext", "install")).code, 0);
    });

    await t.step("a republished dependency is exit 5 on a fresh cache", async () => {
      await ext("db", "2.2.0", "", { "NOTES.md": "changed\n" });
      const run = await runCli(["ext", "install"], {
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

    await t.step("no extensions.toml is one line, exit 2", async () => {
      const run = await runCli(["ext", "install"], { home: home.home, env, cwd: home.localDir });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^error: No extensions\.toml in ".*" or any folder above it$/m);
    });
  } finally {
    await home.cleanup();
  }
});
