/**
 * `[gitea] retry_count`, `timeout` and `ca_file` through the real CLI against the Gitea
 * STAND-IN (no Gitea can be installed here; `tests/harness/gitea_standin.ts`): a Gitea that
 * answers 503 once is retried, or not with `retry_count = 0`; an HTTPS Gitea whose CA is
 * `[gitea] ca_file` lists and loads, and without it the TLS error names the cause.
 * The TLS steps run both launches: the broad one, and `main.ts` in place with the flags
 * `ext permissions` prints (which grant reading the CA file).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { createTlsFiles } from "../harness/_certs.ts";
import { createGitFixture } from "../harness/git_server.ts";
import { type GiteaStandin, startGiteaStandin } from "../harness/gitea_standin.ts";
import { printedFlags, runCli } from "./run_cli.ts";

const ORG = "exts";
const STACK_LINE = /^\s+at /m;

Deno.test("the gitea source through the CLI with [gitea] retry_count, timeout and ca_file", async (t) => {
  const fixture = await createGitFixture({ owner: ORG });
  const home = await Deno.makeTempDir({ prefix: "gitea-settings-cli-" });
  const pki = join(home, "pki");
  await Deno.mkdir(pki);
  const ca = await createTlsFiles(pki);
  const servers: GiteaStandin[] = [];
  const serve = (options: { failFirst?: number; tls?: boolean } = {}) => {
    const server = startGiteaStandin({
      root: fixture.baseDir,
      ...(options.failFirst === undefined ? {} : { failFirst: options.failFirst }),
      ...(options.tls
        ? {
          tls: { cert: Deno.readTextFileSync(ca.certFile), key: Deno.readTextFileSync(ca.keyFile) },
        }
        : {}),
    });
    servers.push(server);
    return server;
  };
  let runs = 0;
  /** `ext ARGS --source gitea` with a fresh home whose `[gitea]` has `lines`. */
  const cli = async (
    server: GiteaStandin,
    args: string[],
    lines: string[],
    launch: "broad" | "in place" = "broad",
  ) => {
    const dir = join(home, `run-${++runs}`);
    await Deno.mkdir(join(dir, ".provisioning"), { recursive: true });
    await Deno.writeTextFile(
      join(dir, ".provisioning", "config.toml"),
      ["[oci]", "retry_count = 0", "[gitea]", `url = "${server.url}"`, `organization = "${ORG}"`]
        .concat(lines, [""]).join("\n"),
    );
    const argv = ["ext", ...args, "--source", "gitea"];
    const options = { home: dir, env: { PROVISIONING_CACHE_DIR: join(dir, "cache") } };
    const permissions = launch === "broad" ? undefined : await printedFlags(argv, options);
    const run = await runCli(argv, { ...options, ...(permissions ? { permissions } : {}) });
    assert.doesNotMatch(run.stderr, STACK_LINE, run.stderr);
    return run;
  };
  try {
    await t.step("a 503 first is retried with [gitea] retry_count = 1 ([oci] says 0)", async () => {
      const gitea = serve({ failFirst: 1 });
      const run = await cli(gitea, ["list", "--format", "json"], ["retry_count = 1"]);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(JSON.parse(run.stdout).some((row: { name: string }) => row.name === "demo"));
      assert.equal(gitea.requests[0]?.path, gitea.requests[1]?.path);
    });

    await t.step("with [gitea] retry_count = 0 the 503 is the answer, exit 4", async () => {
      const gitea = serve({ failFirst: 1 });
      const run = await cli(gitea, ["load", "demo"], ["retry_count = 0", "timeout = 5"]);
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, /^error: Gitea "127\.0\.0\.1:\d+" answered HTTP 503 to GET /m);
      assert.equal(gitea.requests.length, 1);
    });

    await t.step("a bad [gitea] timeout is one line, exit 2", async () => {
      const run = await cli(serve(), ["list"], ["timeout = -1"]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        /^error: .*config\.toml:\d+: gitea\.timeout must be greater than 0, got -1$/m,
      );
    });

    const tls = serve({ tls: true });
    const trusted = [`ca_file = "${ca.caFile}"`];

    for (const launch of ["broad", "in place"] as const) {
      await t.step(
        `HTTPS Gitea trusted through [gitea] ca_file: list and load (${launch})`,
        async () => {
          const list = await cli(tls, ["list", "--format", "json"], trusted, launch);
          assert.equal(list.code, 0, list.stderr);
          assert.ok(JSON.parse(list.stdout).some((row: { name: string }) => row.name === "demo"));
          const load = await cli(tls, ["load", "demo", "--format", "json"], trusted, launch);
          assert.equal(load.code, 0, load.stderr);
          assert.equal(JSON.parse(load.stdout).version, "2.0.0");
        },
      );
    }

    await t.step("without [gitea] ca_file: exit 5 naming the unknown CA and the key", async () => {
      const run = await cli(tls, ["load", "demo"], [], "in place");
      assert.equal(run.code, 5, run.stderr);
      assert.match(
        run.stderr,
        /^error: Cannot verify the TLS certificate of Gitea "127\.0\.0\.1:\d+": its certificate is signed by a CA this machine does not trust$/m,
      );
      assert.match(run.stderr, /^hint: Set \[gitea\] ca_file to the PEM file of the CA/m);
    });
  } finally {
    for (const server of servers) await server.close();
    await Deno.remove(home, { recursive: true });
    await fixture.cleanup();
  }
});
