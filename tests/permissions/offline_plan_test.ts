/**
 * `--offline` takes the network out of a command's permission set: `ext permissions` prints
 * no `--allow-net` for `ext load NAME --offline` although the configuration names a registry,
 * and the command runs in place with exactly those flags (from the bundled examples).
 */

import assert from "node:assert/strict";
import { runCli, withTempHome } from "../cli/run_cli.ts";

Deno.test("ext load --offline is planned, and runs, with no network at all", async () => {
  await withTempHome("offline-plan-", async (home) => {
    await Deno.mkdir(`${home}/.provisioning`, { recursive: true });
    await Deno.writeTextFile(
      `${home}/.provisioning/config.toml`,
      `[oci]\nregistry = "127.0.0.1:1"\n`,
    );
    const plan = async (...line: string[]) => {
      const run = await runCli(
        ["ext", "permissions", "--no-probe", "--format", "json", "--", ...line],
        { home },
      );
      assert.equal(run.code, 0, run.stderr);
      return JSON.parse(run.stdout).flags as string[];
    };
    const online = await plan("load", "kubernetes");
    assert.ok(online.includes("--allow-net=127.0.0.1:1"), online.join(" "));
    const offline = await plan("load", "kubernetes", "--offline");
    assert.deepEqual(offline.filter((flag) => flag.startsWith("--allow-net")), []);
    assert.deepEqual(
      offline.filter((flag) => !flag.startsWith("--allow-net")),
      online.filter((flag) => !flag.startsWith("--allow-net")),
    );
    const run = await runCli(["ext", "load", "kubernetes", "--offline", "--format", "json"], {
      home,
      permissions: offline,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).source, "examples");
  });
});
