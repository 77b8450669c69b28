/**
 * `ext cache clear --all` asks first, like `ext delete`: on a real terminal "n" is exit 0
 * with nothing removed and "y" clears; without a terminal `--force` is required (exit 2,
 * nothing touched); `--force` (`-f`) never asks.
 */

import assert from "node:assert/strict";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli, runOnTerminal } from "./run_cli.ts";

registryTest(
  "ext cache clear --all confirms on a terminal, needs --force without one",
  async (t, reg) => {
    const namespace = uniqueNamespace("cli-clear-confirm");
    using client = clientFor(reg, { settings: { namespace } });
    await publish(client, { name: "keepme", type: "taskserv", version: "1.0.0" });
    const home = await makeHome();
    try {
      const env = cliEnv(home, reg.host, namespace);
      const cli = (...args: string[]) => runCli(args, { home: home.home, env });
      const cached = async () => {
        const run = await cli("ext", "cache", "list", "--format", "json");
        assert.equal(run.code, 0, run.stderr);
        return (JSON.parse(run.stdout) as unknown[]).length;
      };
      const fill = async () => {
        const run = await cli("ext", "pull", "keepme", "--source", "oci");
        assert.equal(run.code, 0, run.stderr);
        assert.equal(await cached(), 1);
      };
      await fill();

      await t.step("no terminal, no --force: exit 2, nothing removed", async () => {
        const run = await cli("ext", "cache", "clear", "--all");
        assert.equal(run.code, 2, run.stderr);
        assert.match(
          run.stderr,
          /^error: Refusing to clear the whole cache .* stdin is not a terminal$/m,
        );
        assert.match(run.stderr, /^hint: Pass --force/m);
        assert.equal(await cached(), 1);
      });

      await t.step('"n" on a terminal: exit 0, "Nothing removed"', async () => {
        const run = await runOnTerminal(
          ["ext", "cache", "clear", "--all"],
          { home: home.home, env },
          "[y/N]",
          "n\r",
        );
        if (run === undefined) throw new Error("util-linux `script` is missing: no pty");
        assert.equal(run.code, 0, run.output);
        assert.match(run.output, /Remove all 1 cached extensions \(.*\) from .*\? \[y\/N\]/);
        assert.match(run.output, /Nothing removed: the cache ".*" is kept/);
        assert.doesNotMatch(run.output, /error:/);
        assert.equal(await cached(), 1);
      });

      await t.step('"y" on a terminal clears it', async () => {
        const run = await runOnTerminal(
          ["ext", "cache", "clear", "--all"],
          { home: home.home, env },
          "[y/N]",
          "y\r",
        );
        assert.equal(run!.code, 0, run!.output);
        assert.match(run!.output, /Removed taskserv\/keepme\/1\.0\.0/);
        assert.equal(await cached(), 0);
      });

      await t.step("-f clears without asking, with no terminal", async () => {
        await fill();
        const run = await cli("ext", "cache", "clear", "--all", "-f");
        assert.equal(run.code, 0, run.stderr);
        assert.doesNotMatch(run.stderr, /\[y\/N\]/);
        assert.equal(await cached(), 0);
      });

      await t.step("a filtered clear never asks", async () => {
        await fill();
        const run = await cli("ext", "cache", "clear", "--name", "keepme");
        assert.equal(run.code, 0, run.stderr);
        assert.equal(await cached(), 0);
      });
    } finally {
      await home.cleanup();
    }
  },
);
