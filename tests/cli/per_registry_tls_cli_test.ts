/**
 * Per-registry TLS through the real CLI with two real registries (CNCF distribution) listed as
 * `[[oci.registries]]`: one plain HTTP, one HTTPS whose CA is that registry's own `ca_file`
 * (nothing in `[oci]`). `list`, `load` and `info` work across both, in the default launch and
 * in place with the printed least-privilege flags; the CA stays that registry's; and a
 * per-registry `insecure = true` lets a non-loopback address (`0.0.0.0`, which Linux connects
 * to the local host) speak plain HTTP, which without it is HTTPS and refused as such.
 */

import assert from "node:assert/strict";
import { registryTest, startRegistry } from "../harness/registry.ts";
import { makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

const STACK_LINE = /^\s+at /m;

registryTest("per-registry TLS: a plain and an HTTPS registry, each with its own settings", async (
  t,
  plain,
) => {
  const secure = await startRegistry({ variant: "tls" });
  const namespace = uniqueNamespace("per-tls");
  const entry = (name: string, registry: string, extra: string[] = []) =>
    [
      "[[oci.registries]]",
      `name = "${name}"`,
      `registry = "${registry}"`,
      `namespace = "${namespace}"`,
      ...extra,
      "",
    ].join("\n");
  const base = "[oci]\nretry_count = 0\ntimeout = 10\n\n";
  const both = base + entry("plain", plain.host) +
    entry("secure", secure.host, [`ca_file = "${secure.caFile}"`]);
  const home = await makeHome(both);
  try {
    using plainClient = clientFor(plain, { settings: { namespace } });
    using secureClient = clientFor(secure, { settings: { namespace } });
    const alpha = await publish(plainClient, { name: "alpha", type: "taskserv", version: "1.0.0" });
    const beta = await publish(secureClient, { name: "beta", type: "provider", version: "2.0.0" });
    /** Runs in `at`'s home with its own cache (a listing or copy cached elsewhere is no answer). */
    const cli = async (args: string[], launch: "broad" | "scoped" = "broad", at = home) => {
      const env = { PROVISIONING_CACHE_DIR: at.cacheDir };
      const run = await runCli(args, { home: at.home, env, launch });
      assert.doesNotMatch(run.stderr, STACK_LINE, run.stderr);
      return run;
    };

    await t.step("ext login to the HTTPS registry, by name or host, uses its own CA", async () => {
      for (const typed of ["secure", secure.host]) {
        const run = await runCli(["ext", "login", typed, "-u", "ada", "--password-stdin"], {
          home: home.home,
          stdin: "pw",
        });
        assert.equal(run.code, 0, `${typed}: ${run.stderr}`);
        assert.match(run.stdout, new RegExp(`^Login succeeded for "${secure.host}" as "ada"`));
      }
      const logout = await runCli(["ext", "logout", "secure"], { home: home.home });
      assert.equal(logout.code, 0, logout.stderr);
    });

    for (const launch of ["broad", "scoped"] as const) {
      await t.step(`list shows both registries' rows (${launch} launch)`, async () => {
        const run = await cli(
          ["ext", "list", "--source", "oci", "--refresh", "--format", "json"],
          launch,
        );
        assert.equal(run.code, 0, run.stderr);
        const rows = (JSON.parse(run.stdout) as { name: string; registry: string }[])
          .map((row) => [row.name, row.registry]).sort();
        assert.deepEqual(rows, [["alpha", "plain"], ["beta", "secure"]]);
        assert.equal(run.stderr, "");
      });

      await t.step(`load takes each from its registry (${launch} launch)`, async () => {
        for (
          const [name, published, host] of [
            ["alpha", alpha, plain.host],
            ["beta", beta, secure.host],
          ] as const
        ) {
          const run = await cli(
            ["ext", "load", name, "--source", "oci", "--format", "json"],
            launch,
          );
          assert.equal(run.code, 0, run.stderr);
          const result = JSON.parse(run.stdout);
          assert.equal(result.digest, published.digest);
          assert.equal(result.reference, `${host}/${namespace}/${name}@${published.digest}`);
        }
      });
    }

    await t.step("info and a reference naming the HTTPS registry use its CA", async () => {
      const info = await cli(["ext", "info", "beta", "--source", "oci", "--format", "json"]);
      assert.equal(info.code, 0, info.stderr);
      assert.equal(JSON.parse(info.stdout).digest, beta.digest);
      const ref = await cli(["ext", "pull", `oci://${secure.host}/${namespace}/beta:2.0.0`]);
      assert.equal(ref.code, 0, ref.stderr);
      const picked = await cli([
        "--registry",
        secure.host,
        "ext",
        "versions",
        "beta",
        "--source",
        "oci",
      ]);
      assert.equal(picked.code, 0, picked.stderr);
      assert.match(picked.stdout, /2\.0\.0/);
    });

    await t.step("ext copy from the plain one into the HTTPS one uses its CA", async () => {
      const to = uniqueNamespace("per-tls-copy");
      const run = await cli([
        "ext",
        "copy",
        `oci://${plain.host}/${namespace}/alpha:1.0.0`,
        `oci://${secure.host}/${to}`,
        "--format",
        "json",
      ]);
      assert.equal(run.code, 0, run.stderr);
      const copied = JSON.parse(run.stdout);
      assert.equal(copied.digest, alpha.digest);
      assert.equal(copied.to, `${secure.host}/${to}/alpha`);
    });

    await t.step(
      "the CA is that registry's own: without it the HTTPS one is said, the plain one answers",
      async () => {
        const other = await makeHome(
          base + entry("plain", plain.host) + entry("secure", secure.host),
        );
        try {
          const list = await cli(
            ["ext", "list", "--source", "oci", "--format", "json"],
            "broad",
            other,
          );
          assert.equal(list.code, 0, list.stderr);
          assert.deepEqual(JSON.parse(list.stdout).map((row: { name: string }) => row.name), [
            "alpha",
          ]);
          assert.match(list.stderr, /over plain HTTP: it speaks HTTPS/);
          const load = await cli(["ext", "load", "beta", "--source", "oci"], "broad", other);
          assert.notEqual(load.code, 0);
          assert.match(load.stderr, /it speaks HTTPS/);
        } finally {
          await other.cleanup();
        }
      },
    );

    await t.step("per-registry insecure = true: plain HTTP to a non-loopback address", async () => {
      const port = plain.host.split(":")[1];
      const lan = `0.0.0.0:${port}`;
      const allowed = await makeHome(
        base + entry("lan", lan, ["insecure = true"]) +
          entry("secure", secure.host, [`ca_file = "${secure.caFile}"`]),
      );
      const refused = await makeHome(base + entry("lan", lan));
      try {
        for (const launch of ["broad", "scoped"] as const) {
          const run = await cli(
            ["ext", "load", "alpha", "--source", "oci", "--format", "json"],
            launch,
            allowed,
          );
          assert.equal(run.code, 0, `${launch}: ${run.stderr}`);
          assert.equal(
            JSON.parse(run.stdout).reference,
            `${lan}/${namespace}/alpha@${alpha.digest}`,
          );
        }
        // insecure is that registry's alone: the HTTPS one next to it still verifies its CA.
        const beside = await cli(["ext", "load", "beta", "--source", "oci"], "broad", allowed);
        assert.equal(beside.code, 0, beside.stderr);
        const run = await cli(["ext", "load", "alpha", "--source", "oci"], "broad", refused);
        assert.notEqual(run.code, 0, run.stdout);
        assert.match(run.stderr, /it speaks plain HTTP, not HTTPS/);
      } finally {
        await allowed.cleanup();
        await refused.cleanup();
      }
    });
  } finally {
    await home.cleanup();
    await secure.stop();
  }
});
