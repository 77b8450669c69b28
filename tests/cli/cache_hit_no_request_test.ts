/**
 * An exact cache hit of `ext load NAME --version X.Y.Z` makes no request at all, in the launch
 * users get (broad launch, scoped worker): the registry is a stand-in that first forwards to the
 * real registry (to fill the cache) and then accepts connections but never answers — what a
 * hung registry does, which a real one cannot be made to do on demand. Any request would hang
 * the command until its timeout; the test bounds the run well below it.
 */

import assert from "node:assert/strict";
import { stall, startFaultServer } from "../harness/fault_server.ts";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

registryTest("an exact cache hit sends nothing to a registry that never answers", async (
  _t,
  reg,
) => {
  const namespace = uniqueNamespace("hit");
  using client = clientFor(reg, { settings: { namespace } });
  await publish(client, { name: "hit", type: "provider", version: "1.0.0", files: {} });
  let hung = false;
  const hang = stall();
  const front = await startFaultServer(async (request, context) => {
    if (hung) return await hang(request, context);
    const url = new URL(request.url);
    const upstream = await fetch(`${reg.url}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      redirect: "manual",
    });
    return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
  });
  const home = await makeHome("[oci]\nretry_count = 0\ntimeout = 30\n");
  try {
    const env = cliEnv(home, front.host, namespace);
    const load = () =>
      runCli(["ext", "load", "hit", "--version", "1.0.0", "--format", "json"], {
        home: home.home,
        env,
        signal: AbortSignal.timeout(15_000),
      });
    const first = await load();
    assert.equal(first.code, 0, first.stderr);
    hung = true;
    const before = front.requests.length;
    const hit = await load();
    assert.equal(hit.code, 0, hit.stderr);
    assert.equal(JSON.parse(hit.stdout).path, JSON.parse(first.stdout).path);
    assert.equal(front.requests.length, before, JSON.stringify(front.requests.slice(before)));
  } finally {
    await front.close();
    await home.cleanup();
  }
});
