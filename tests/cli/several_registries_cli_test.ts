/**
 * `[[oci.registries]]` through the real CLI with two real registries: the same name in both
 * is answered by the first in order, a name only in the second is found there, `--registry`
 * and a reference naming a registry pick one, `list` shows the rows of both saying which,
 * and a scoped launch (the printed least-privilege flags) reaches both.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { freePort } from "../harness/git_server.ts";
import { registryTest, startRegistry } from "../harness/registry.ts";
import { makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

registryTest(
  "several registries: the first in order that has the name answers",
  async (t, regA) => {
    const regB = await startRegistry();
    const namespace = uniqueNamespace("several");
    const home = await makeHome(
      `[oci]\nretry_count = 0\ntimeout = 10\n\n` +
        `[[oci.registries]]\nname = "first"\nregistry = "${regA.host}"\nnamespace = "${namespace}"\n\n` +
        `[[oci.registries]]\nname = "second"\nregistry = "${regB.host}"\nnamespace = "${namespace}"\n`,
    );
    try {
      using clientA = clientFor(regA, { settings: { namespace } });
      using clientB = clientFor(regB, { settings: { namespace } });
      const spec = { name: "both", type: "provider", version: "1.0.0" } as const;
      const inA = await publish(clientA, { ...spec, files: { "run.sh": "echo first\n" } });
      const inB = await publish(clientB, { ...spec, files: { "run.sh": "echo second\n" } });
      const onlyB = await publish(clientB, {
        name: "onlyb",
        type: "taskserv",
        version: "2.0.0",
        files: { "README.md": "second only\n" },
      });
      const env = {
        PROVISIONING_CACHE_DIR: home.cacheDir,
        PROVISIONING_EXTENSIONS_PATH: home.localDir,
      };
      const cli = (args: string[], launch: "broad" | "scoped" = "broad") =>
        runCli(args, { home: home.home, env, launch });
      const loaded = async (args: string[], launch: "broad" | "scoped" = "broad") => {
        const run = await cli(["ext", "load", ...args, "--format", "json"], launch);
        assert.equal(run.code, 0, run.stderr);
        return JSON.parse(run.stdout);
      };

      await t.step("the same name in both: the first registry answers", async () => {
        const result = await loaded(["both", "--version", "1.0.0", "--source", "oci"]);
        assert.equal(result.digest, inA.digest);
        assert.equal(result.reference, `${regA.host}/${namespace}/both@${inA.digest}`);
        assert.equal(await Deno.readTextFile(join(result.path, "run.sh")), "echo first\n");
      });

      await t.step("a name only in the second is found there (scoped launch)", async () => {
        const result = await loaded(["onlyb", "--source", "oci"], "scoped");
        assert.equal(result.digest, onlyB.digest);
        assert.equal(result.reference, `${regB.host}/${namespace}/onlyb@${onlyB.digest}`);
      });

      await t.step("--registry picks one registry, only that one", async () => {
        const result = await loaded([
          "both",
          "--version",
          "1.0.0",
          "--source",
          "oci",
          "--registry",
          regB.host,
        ]);
        assert.equal(result.digest, inB.digest);
        const run = await cli(["--registry", regA.host, "ext", "load", "onlyb", "--source", "oci"]);
        assert.equal(run.code, 3, `onlyb is not in the first registry: ${run.stdout}`);
      });

      await t.step("a reference naming a registry asks that registry alone", async () => {
        const result = await loaded([`oci://${regB.host}/${namespace}/both:1.0.0`]);
        assert.equal(result.digest, inB.digest);
        const run = await cli(["ext", "load", `oci://${regA.host}/${namespace}/onlyb`]);
        assert.equal(run.code, 3, run.stdout);
      });

      await t.step("list shows both registries' rows, each saying which (scoped)", async () => {
        const run = await cli(["ext", "list", "--source", "oci", "--format", "json"], "scoped");
        assert.equal(run.code, 0, run.stderr);
        const rows =
          (JSON.parse(run.stdout) as { name: string; registry?: string; reference: string }[])
            .map((r) => [r.name, r.registry, r.reference]);
        assert.deepEqual(rows.sort(), [
          ["both", "first", `${regA.host}/${namespace}/both:1.0.0`],
          ["both", "second", `${regB.host}/${namespace}/both:1.0.0`],
          ["onlyb", "second", `${regB.host}/${namespace}/onlyb:2.0.0`],
        ]);
        const table = await cli(["ext", "list", "--source", "oci"]);
        assert.match(table.stdout, /oci \(first\)/);
        assert.match(table.stdout, /oci \(second\)/);
      });

      await t.step("info and search cover both registries", async () => {
        const info = await cli(["ext", "info", "onlyb", "--source", "oci", "--format", "json"]);
        assert.equal(info.code, 0, info.stderr);
        assert.equal(JSON.parse(info.stdout).digest, onlyB.digest);
        const search = await cli(["ext", "search", "both", "--source", "oci", "--format", "json"]);
        assert.equal(search.code, 0, search.stderr);
        assert.match(search.stdout, /"registry": "first"/);
        assert.match(search.stdout, /"registry": "second"/);
      });

      await t.step("env names both registries, in order", async () => {
        const run = await cli(["env", "--format", "json"]);
        assert.equal(run.code, 0, run.stderr);
        const oci = JSON.parse(run.stdout).sources.find((s: { source: string }) =>
          s.source === "oci"
        );
        assert.equal(
          oci.location,
          `first: ${regA.host}/${namespace}, second: ${regB.host}/${namespace}`,
        );
      });

      await t.step("a registry that is down passes to the next, with a warning", async () => {
        const down = `127.0.0.1:${freePort()}`;
        const other = await makeHome(
          `[oci]\nretry_count = 0\ntimeout = 5\n\n` +
            `[[oci.registries]]\nname = "down"\nregistry = "${down}"\nnamespace = "${namespace}"\n\n` +
            `[[oci.registries]]\nname = "second"\nregistry = "${regB.host}"\nnamespace = "${namespace}"\n`,
        );
        try {
          const run = await runCli(
            ["ext", "load", "onlyb", "--source", "oci", "--format", "json"],
            { home: other.home, env: { ...env, PROVISIONING_CACHE_DIR: other.cacheDir } },
          );
          assert.equal(run.code, 0, run.stderr);
          assert.equal(JSON.parse(run.stdout).digest, onlyB.digest);
          assert.match(run.stderr, /Registry "second" answered: "down" could not be asked/);
        } finally {
          await other.cleanup();
        }
      });

      await t.step("a table without its registry is one clear error, exit 2", async () => {
        const bad = await makeHome(`[[oci.registries]]\nname = "x"\n`);
        try {
          const run = await runCli(["ext", "list", "--source", "oci"], { home: bad.home, env });
          assert.equal(run.code, 2);
          assert.match(run.stderr, /^error: .*oci\.registries\[0\]\.registry must be a string/m);
          assert.doesNotMatch(run.stderr, /\n\s+at /);
        } finally {
          await bad.cleanup();
        }
      });

      await t.step("the least-privilege plan grants both registries", async () => {
        const run = await cli(["ext", "permissions", "load", "--format", "json"]);
        assert.equal(run.code, 0, run.stderr);
        const plan = JSON.parse(run.stdout);
        const net: string[] = plan.net ?? plan.permissions?.net ?? plan.set?.net;
        assert.ok(net.includes(regA.host), JSON.stringify(plan));
        assert.ok(net.includes(regB.host), JSON.stringify(plan));
      });
    } finally {
      await home.cleanup();
      await regB.stop();
    }
  },
);
