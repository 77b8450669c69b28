/**
 * `ext list` and `ext search` after `ext publish` and `ext delete`, through the real CLI and
 * the real registry: the change is visible at once (publish and delete drop the discovery
 * listings of their registry and namespace), and a listing served from the discovery cache
 * says so, with its age, on stderr.
 */

import assert from "node:assert/strict";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome, writeExtension } from "../loader/_fixture.ts";
import { uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

const PERMISSIONS = ["--allow-read", "--allow-env", "--allow-write", "--allow-net"];

registryTest("ext list/search show what publish and delete just changed", async (t, reg) => {
  const namespace = uniqueNamespace("disc-inv");
  const home = await makeHome();
  try {
    const env = cliEnv(home, reg.host, namespace);
    const cli = (...args: string[]) =>
      runCli(args, { home: home.home, env, permissions: PERMISSIONS });
    const listed = async (...args: string[]) => {
      const run = await cli(...args, "--source", "oci", "--format", "json");
      assert.equal(run.code, 0, run.stderr);
      const rows = JSON.parse(run.stdout) as { name: string; versions: string[] }[];
      return { versions: rows.find((r) => r.name === "invext")?.versions, stderr: run.stderr };
    };
    const publish = async (version: string) => {
      const dir = await writeExtension(home.home, `src-${version}`, "invext", "taskserv", version);
      const run = await cli("ext", "publish", dir);
      assert.equal(run.code, 0, run.stderr);
    };

    await publish("1.0.0");
    await t.step("a fresh listing says nothing about the cache", async () => {
      const { versions, stderr } = await listed("ext", "list");
      assert.deepEqual(versions, ["1.0.0"]);
      assert.doesNotMatch(stderr, /discovery cache/);
    });

    await t.step("a listing from the discovery cache says its age", async () => {
      for (const command of [["ext", "list"], ["ext", "search", "invext"]]) {
        const { versions, stderr } = await listed(...command);
        assert.deepEqual(versions, ["1.0.0"]);
        assert.match(
          stderr,
          /^note: oci .*: listing from the discovery cache, \d+ s old \(--refresh to re-read\)$/m,
        );
      }
    });

    await t.step("publish makes the new version visible at once", async () => {
      await publish("1.1.0");
      const { versions, stderr } = await listed("ext", "list");
      assert.deepEqual(versions, ["1.1.0", "1.0.0"]);
      assert.doesNotMatch(stderr, /discovery cache/);
    });

    await t.step("delete makes the version disappear at once", async () => {
      await listed("ext", "search", "invext"); // cached again
      const run = await cli("ext", "delete", "invext", "1.1.0", "--force");
      assert.equal(run.code, 0, run.stderr);
      const { versions } = await listed("ext", "search", "invext");
      assert.deepEqual(versions, ["1.0.0"]);
    });
  } finally {
    await home.cleanup();
  }
});
