/**
 * `--debug` logs each HTTP request on stderr — method, URL without secrets, status, time —
 * through the one request-log layer under the registry client, and never on stdout.
 */

import assert from "node:assert/strict";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

registryTest("--debug logs one line per HTTP request to stderr", async (_t, reg) => {
  const namespace = uniqueNamespace("cli-debug-http");
  using client = clientFor(reg, { settings: { namespace } });
  await publish(client, { name: "traced", type: "taskserv", version: "1.0.0" });
  const home = await makeHome();
  try {
    const env = cliEnv(home, reg.host, namespace);
    const args = ["ext", "pull", "traced", "--source", "oci", "--format", "json"];
    const quiet = await runCli(args, { home: home.home, env });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.doesNotMatch(quiet.stderr, /^http: /m, "no request log without --debug");

    const run = await runCli([...args, "--force", "--debug"], { home: home.home, env });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).version, "1.0.0", "stdout holds the JSON alone");
    const lines = run.stderr.split("\n").filter((l) => l.startsWith("http: "));
    const base = `http://${reg.host}/v2/${namespace}/traced`;
    const shape = /^http: (GET|HEAD) (\S+) (\d{3}) \d+ ms$/;
    for (const line of lines) assert.match(line, shape);
    const seen = lines.map((l) => shape.exec(l)!).map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    assert.ok(seen.includes(`GET ${base}/tags/list 200`), seen.join("\n"));
    assert.ok(seen.some((s) => /^GET .*\/manifests\/\S+ 200$/.test(s)), seen.join("\n"));
    assert.ok(
      seen.some((s) => /^GET .*\/blobs\/sha256:[0-9a-f]{64} 200$/.test(s)),
      seen.join("\n"),
    );
  } finally {
    await home.cleanup();
  }
});
