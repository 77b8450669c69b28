/**
 * `ext copy --deps` through the real CLI: a two-level dependency graph copied from the real
 * registry into an OCI layout (each dependency resolved there with the same semantics a load
 * uses), then `ext install` on the offline side from the layout alone, the registry stopped.
 * A cycle is copied once each; a missing dependency is exit 3 naming who asked for it.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome } from "../loader/_fixture.ts";
import { publishDependent } from "../workspace/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

registryTest("ext copy --deps carries the resolved graph to a layout", async (t, reg) => {
  const namespace = uniqueNamespace("copy-deps");
  using client = clientFor(reg, { settings: { namespace } });
  const ext = (name: string, version: string, deps = "") =>
    publishDependent(client, name, version, deps);
  const app = await ext("app", "1.0.0", 'dependencies:\n  lib: "^1.0.0"\n');
  await ext("lib", "1.0.0");
  const lib = await ext("lib", "1.1.0", 'dependencies:\n  base: "~2.0.0"\n');
  await ext("base", "2.0.0");
  const base = await ext("base", "2.0.1");
  await ext("base", "2.1.0");
  await ext("ping", "1.0.0", "dependencies: [pong]\n");
  await ext("pong", "1.0.0", "dependencies: [ping]\n");
  await ext("broken", "1.0.0", "dependencies: [nothere]\n");
  const home = await makeHome();
  try {
    const layout = join(home.home, "airgap");
    const env = cliEnv(home, reg.host, namespace);
    const cli = (args: string[], cwd = home.home) => runCli(args, { home: home.home, env, cwd });

    await t.step("registry → layout: the extension and its resolved dependencies", async () => {
      const run = await cli([
        "ext",
        "copy",
        "app:1.0.0",
        `oci-layout:${layout}`,
        "--deps",
        "--format",
        "json",
      ]);
      assert.equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout);
      assert.equal(result.digest, app.digest);
      assert.deepEqual(
        result.dependencies.map((d: Record<string, string>) => [
          d.name,
          d.tag,
          d.spec,
          d.requiredBy,
          d.digest,
        ]),
        [
          ["lib", "1.1.0", "^1.0.0", "app", lib.digest],
          ["base", "2.0.1", "~2.0.0", "lib", base.digest],
        ],
      );
      const index = JSON.parse(await Deno.readTextFile(join(layout, "index.json")));
      const held = index.manifests.map((m: { digest: string }) => m.digest).sort();
      assert.deepEqual(held, [app.digest, lib.digest, base.digest].sort());
    });

    await t.step("a cycle is copied once each", async () => {
      const run = await cli([
        "ext",
        "copy",
        "ping",
        `oci-layout:${join(home.home, "cycle")}`,
        "--deps",
        "--format",
        "json",
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(
        JSON.parse(run.stdout).dependencies.map((d: { name: string }) => d.name),
        ["pong"],
      );
    });

    await t.step("a missing dependency: exit 3 naming who asked", async () => {
      const run = await cli([
        "ext",
        "copy",
        "broken",
        `oci-layout:${join(home.home, "x")}`,
        "--deps",
      ]);
      assert.equal(run.code, 3, run.stdout);
      assert.match(run.stderr, /^error: Dependency "nothere" \(\*\) of "broken": /m);
    });

    await t.step("offline: ext install from the layout, the registry stopped", async () => {
      await reg.stop();
      await Deno.writeTextFile(
        join(home.home, ".provisioning", "config.toml"),
        `[oci]\nretry_count = 0\ntimeout = 5\n\n[extensions]\nlayout_paths = ["${layout}"]\n`,
      );
      const project = join(home.home, "project");
      await Deno.mkdir(project);
      await Deno.writeTextFile(join(project, "extensions.toml"), '[extensions]\napp = "^1.0.0"\n');
      const run = await cli(["ext", "install", "--format", "json"], project);
      assert.equal(run.code, 0, run.stderr);
      const installed = JSON.parse(run.stdout).extensions.map((
        e: { name: string; version: string },
      ) => [e.name, e.version]);
      assert.deepEqual(installed.sort(), [["app", "1.0.0"], ["base", "2.0.1"], ["lib", "1.1.0"]]);
      for (const e of JSON.parse(run.stdout).extensions) {
        assert.equal(e.source, "oci-layout", `${e.name} must come from the layout`);
        assert.equal(e.origin, layout);
      }
    });
  } finally {
    await home.cleanup();
  }
});
