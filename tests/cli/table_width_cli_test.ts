/**
 * Tables fit the terminal through the real CLI: on a terminal of a fixed width the
 * description column is cut with `…` (never mid-line wrapped); piped, nothing is cut; and a
 * command prints the same shape whether or not something is cached.
 */

import assert from "node:assert/strict";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli, runOnTerminal, withTempHome } from "./run_cli.ts";

const LIST = ["ext", "list", "--source", "examples"];

Deno.test("ext list fits a 60-column terminal; piped output keeps whole descriptions", async () => {
  await withTempHome("table-width-cli-", async (home) => {
    const run = await runOnTerminal(LIST, { home, columns: 60 }, "\u0000", "");
    if (run === undefined) throw new Error("util-linux `script` is missing: cannot open a pty");
    assert.equal(run.code, 0, run.output);
    const lines = run.output.split(/\r?\n/).filter((l) => l.trim() !== "");
    const rows = lines.filter((l) => /^(aws|buildkit|kubernetes)\s/.test(l));
    assert.equal(rows.length, 3, run.output);
    for (const line of [lines.find((l) => l.startsWith("NAME"))!, ...rows]) {
      assert.ok([...line].length <= 60, `wider than 60 columns: ${JSON.stringify(line)}`);
    }
    const aws = rows.find((l) => l.startsWith("aws"))!;
    // Cut at a word boundary: the kept text is a prefix of the description made of whole words.
    const kept = aws.replace(/^.*examples\s+/, "");
    assert.match(kept, /^Amazon[\w ,]*\w…$/);
    assert.ok(
      "Amazon Web Services provider for EC2 servers, VPC networking and EBS volumes"
        .startsWith(kept.slice(0, -1) + " "),
      kept,
    );

    const piped = await runCli(LIST, { home });
    assert.equal(piped.code, 0, piped.stderr);
    assert.doesNotMatch(piped.stdout, /…/);
    assert.match(piped.stdout, /and EBS volumes$/m);
  });
});

registryTest(
  "ext versions prints the same table whether or not a version is cached",
  async (_t, reg) => {
    const namespace = uniqueNamespace("cli-versions-shape");
    using client = clientFor(reg, { settings: { namespace } });
    await publish(client, { name: "shapely", type: "taskserv", version: "1.0.0" });
    await publish(client, { name: "shapely", type: "taskserv", version: "1.1.0" });
    const home = await makeHome();
    try {
      const env = cliEnv(home, reg.host, namespace);
      const cli = (...args: string[]) => runCli(args, { home: home.home, env });
      const args = ["ext", "versions", "shapely", "--source", "oci"];
      const before = await cli(...args);
      assert.equal(before.code, 0, before.stderr);
      const load = await cli("ext", "load", "shapely", "--source", "oci", "--version", "1.0.0");
      assert.equal(load.code, 0, load.stderr);
      const after = await cli(...args);
      assert.equal(after.code, 0, after.stderr);
      const header = /^VERSION\s+SOURCES\s+CACHED$/m;
      assert.match(before.stdout, header);
      assert.match(after.stdout, header);
      assert.match(before.stdout, /^1\.0\.0\s+oci$/m);
      assert.match(after.stdout, /^1\.0\.0\s+oci\s+yes$/m);
      assert.equal(before.stdout.split("\n").length, after.stdout.split("\n").length);
    } finally {
      await home.cleanup();
    }
  },
);
