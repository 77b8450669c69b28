/**
 * The design's example manifest (`tests/fixtures/seed_manifest/extension.yaml`, with
 * `requires` and `dependencies` as lists of names) through the real CLI: it loads from a
 * local folder, publishes to the real registry, loads from there and round-trips through
 * `ext info`.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome } from "../loader/_fixture.ts";
import { uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

const PERMISSIONS = ["--allow-read", "--allow-env", "--allow-write", "--allow-net"];
const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const SEED = `${FIXTURES}seed_manifest`;

registryTest("the design's example manifest loads, publishes and round-trips", async (t, reg) => {
  const namespace = uniqueNamespace("seed");
  const home = await makeHome();
  try {
    const env = { ...cliEnv(home, reg.host, namespace), PROVISIONING_EXTENSIONS_PATH: FIXTURES };
    const cli = (...args: string[]) =>
      runCli(args, { home: home.home, env, permissions: PERMISSIONS });
    const expected = {
      requires: ["docker", "kubernetes"],
      dependencies: { containerd: "*", etcd: "*" },
    };

    await t.step("loads from a local folder", async () => {
      const run = await cli("ext", "load", "my-extension", "--source", "local", "--format", "json");
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).path, SEED);
    });
    await t.step("publishes", async () => {
      const run = await cli("ext", "publish", SEED);
      assert.equal(run.code, 0, run.stderr);
    });
    await t.step("loads from the registry", async () => {
      const run = await cli(
        "ext",
        "load",
        "my-extension",
        "--version",
        "1.0.0",
        "--source",
        "oci",
        "--format",
        "json",
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).source, "oci");
    });
    for (const source of ["local", "oci"]) {
      await t.step(`ext info --source ${source} shows requires and dependencies`, async () => {
        const run = await cli(
          "ext",
          "info",
          "my-extension",
          "--source",
          source,
          "--format",
          "json",
        );
        assert.equal(run.code, 0, run.stderr);
        const info = JSON.parse(run.stdout);
        assert.deepEqual(info.requires, expected.requires);
        assert.deepEqual(info.dependencies, expected.dependencies);
        assert.equal(info.license, "MIT");
      });
    }
  } finally {
    await home.cleanup();
  }
});
