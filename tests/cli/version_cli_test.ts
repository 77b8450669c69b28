/**
 * `provisioning --version`, `-V` and `provisioning version` through the real CLI, and the
 * version in the `User-Agent` of the requests a command sends.
 */

import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { startFaultServer, status } from "../harness/fault_server.ts";
import { runCli, withTempHome } from "./run_cli.ts";

const LINE = `provisioning ${denoJson.version} (deno ${Deno.version.deno}, ${Deno.build.target})\n`;

function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  return withTempHome("version-cli-home-", fn);
}

Deno.test("provisioning --version, -V and version print the tool, Deno and target", async (t) => {
  await withHome(async (home) => {
    for (const args of [["--version"], ["-V"], ["version"], ["--debug", "--version"]]) {
      await t.step(args.join(" "), async () => {
        const run = await runCli(args, { home });
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stdout, LINE);
        assert.equal(run.stderr, "");
      });
    }
    for (const args of [["--version", "--format", "json"], ["version", "--format", "json"]]) {
      await t.step(`${args.join(" ")} prints the JSON shape`, async () => {
        const run = await runCli(args, { home });
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout), {
          version: denoJson.version,
          deno: Deno.version.deno,
          target: Deno.build.target,
        });
      });
    }
    await t.step("the root help lists -V, --version", async () => {
      const run = await runCli(["--help"], { home });
      assert.equal(run.code, 0);
      assert.match(run.stdout, /-V, --version/);
    });
    await t.step("a bad --format is a usage error (exit 2)", async () => {
      const run = await runCli(["version", "--format", "xml"], { home });
      assert.equal(run.code, 2);
    });
  });
});

Deno.test("requests to the registry carry User-Agent provisioning-ext/<version>", async () => {
  const server = await startFaultServer([{ path: "/v2/", respond: status(200, "{}") }]);
  try {
    await withHome(async (home) => {
      const run = await runCli(
        ["ext", "test-oci", "--registry", server.host, "--format", "json"],
        { home },
      );
      assert.equal(run.code, 0, run.stderr);
    });
    assert.ok(server.requests.length > 0);
    for (const request of server.requests) {
      assert.equal(request.headers.get("user-agent"), `provisioning-ext/${denoJson.version}`);
    }
  } finally {
    await server.close();
  }
});
