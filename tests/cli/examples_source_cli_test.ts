/**
 * The bundled demo extensions are the `examples` source, tried last: through the real CLI and
 * the real registry, a published `kubernetes` beats the demo of the same name in `load`,
 * `info` and `list`; the demos answer only names nobody else has, or `--source examples`;
 * `env` shows the source; a registry that cannot be asked turns a demo answer into a warning.
 */

import assert from "node:assert/strict";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

registryTest("the bundled examples never shadow a real extension", async (t, reg) => {
  const namespace = uniqueNamespace("examples");
  using client = clientFor(reg, { settings: { namespace } });
  const home = await makeHome();
  try {
    // No local folder: the local source is empty, as on a fresh machine.
    const { PROVISIONING_EXTENSIONS_PATH: _, ...env } = cliEnv(home, reg.host, namespace);
    const cli = (...args: string[]) => runCli(args, { home: home.home, env });
    const json = async (...args: string[]) => {
      const run = await cli(...args, "--format", "json");
      assert.equal(run.code, 0, run.stderr);
      return { value: JSON.parse(run.stdout), stderr: run.stderr };
    };

    await t.step("a name only the demos have loads from examples, quietly", async () => {
      const { value, stderr } = await json("ext", "load", "kubernetes");
      assert.equal(value.source, "examples");
      assert.equal(value.version, "1.29.1");
      assert.doesNotMatch(stderr, /warning/);
    });

    await publish(client, { name: "kubernetes", type: "taskserv", version: "1.30.0" });

    await t.step("once published, load, info and list use the registry", async () => {
      const { value: loaded } = await json("ext", "load", "kubernetes");
      assert.equal(loaded.source, "oci");
      assert.equal(loaded.version, "1.30.0");
      const { value: info } = await json("ext", "info", "kubernetes");
      assert.equal(info.source, "oci");
      assert.deepEqual(Object.keys(info.versions), ["oci"]);
      const { value: rows } = await json("ext", "list");
      assert.deepEqual(rows.map((r: { source: string; name: string }) => `${r.source}/${r.name}`), [
        "oci/kubernetes",
      ]);
    });

    await t.step("--source examples still gives the demo", async () => {
      const { value: loaded } = await json("ext", "load", "kubernetes", "--source", "examples");
      assert.equal(loaded.source, "examples");
      assert.equal(loaded.version, "1.29.1");
      const { value: rows } = await json("ext", "list", "--source", "examples");
      assert.deepEqual(rows.map((r: { name: string }) => r.name).sort(), [
        "aws",
        "buildkit",
        "kubernetes",
      ]);
    });

    await t.step("a name the demos do not have is not found in the examples source", async () => {
      const run = await cli("ext", "load", "nosuchdemo", "--source", "examples");
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /^error: Extension "nosuchdemo" not found in the examples source$/m);
      assert.match(run.stderr, /ext list --source examples/);
    });

    await t.step("pull refuses the examples: they are used in place", async () => {
      const run = await cli("ext", "pull", "aws", "--source", "examples");
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^error: Cannot pull from the examples source/m);
    });

    await t.step("env lists the sources in auto order, examples last", async () => {
      const { value } = await json("env");
      const sources = value.sources.map((s: { source: string }) => s.source);
      assert.deepEqual(sources, ["local", "oci-layout", "oci", "gitea", "git", "examples"]);
      assert.equal(value.sources[2].location, `${reg.host}/${namespace}`);
    });

    await t.step("leaving examples out of auto_order turns the demos off", async () => {
      const other = await makeHome(
        '[oci]\nretry_count = 0\n[extensions]\nauto_order = ["local", "oci"]\n',
      );
      try {
        const { PROVISIONING_EXTENSIONS_PATH: _, ...otherEnv } = cliEnv(other, reg.host, namespace);
        const run = await runCli(["ext", "load", "aws"], { home: other.home, env: otherEnv });
        assert.equal(run.code, 3, run.stderr);
      } finally {
        await other.cleanup();
      }
    });

    await reg.stop();
    await t.step("with the registry down, a demo answer carries a warning", async () => {
      const { value, stderr } = await json("ext", "load", "aws");
      assert.equal(value.source, "examples");
      assert.match(stderr, /^warning: Using the bundled example provider "aws" 2\.4\.1: oci: /m);
    });
  } finally {
    await home.cleanup();
  }
});
