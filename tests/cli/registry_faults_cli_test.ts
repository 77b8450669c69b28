/**
 * `ext load` against registries that misbehave in ways a real registry will not on demand
 * (the fault server plays them):
 * - one that stalls mid-body (headers and half of the layer, then nothing): the command ends
 *   with exit 4 and one line naming the host and what stalled, within the configured
 *   `[oci] timeout`, instead of hanging. The library test (tests/oci/faults_test.ts) pins the
 *   same path with the Response garbage-collected, which is what made the 30 s default hang;
 * - one that answers 429 with `Retry-After: 86400`: exit 4 at once, saying what it asked,
 *   instead of sleeping.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { stallBody, startFaultServer, status } from "../harness/fault_server.ts";
import { cliEnv, makeHome, writeExtension } from "../loader/_fixture.ts";
import { packageExtension } from "../../src/publish/mod.ts";
import { runCli } from "./run_cli.ts";

/** Generous bound that only detects a hang (each failure below takes about a second). */
const HANG_BOUND_MS = 60_000;

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("ext load from a registry that stalls mid-body exits 4 naming the host", async () => {
  const work = await Deno.makeTempDir({ prefix: "stall-cli-" });
  // A layer of about 1 MB (hex text compresses to half), so extraction is mid-file at the stall.
  let seed = 0x2545f491;
  const filler = Array.from({ length: 1024 * 1024 }, () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return ((seed >>> 0) & 0xff).toString(16).padStart(2, "0");
  }).join("");
  const dir = await writeExtension(work, "ext", "stalls", "taskserv", "1.0.0", {
    "data/filler.txt": filler,
  });
  const pkg = await packageExtension(dir);
  const layer = await bytesOf(await pkg.layer.open());
  const config = await bytesOf(await pkg.config.open());
  const half = Math.floor(layer.byteLength / 2);
  const server = await startFaultServer([
    {
      path: "/v2/ns/stalls/tags/list",
      respond: () => Response.json({ name: "ns/stalls", tags: ["1.0.0"] }),
    },
    {
      path: "/v2/ns/stalls/manifests/1.0.0",
      respond: () =>
        new Response(pkg.manifest.bytes.slice(), {
          headers: { "content-type": pkg.manifest.mediaType },
        }),
    },
    { path: `/v2/ns/stalls/blobs/${pkg.config.digest}`, respond: () => new Response(config) },
    {
      path: `/v2/ns/stalls/blobs/${pkg.layer.digest}`,
      respond: stallBody(layer.subarray(0, half), { "content-length": String(layer.byteLength) }),
    },
  ]);
  const home = await makeHome("[oci]\ntimeout = 0.5\nretry_count = 1\n");
  try {
    const run = await runCli(
      ["ext", "load", "stalls", "--source", "oci", "--version", "1.0.0"],
      {
        home: home.home,
        env: cliEnv(home, server.host, "ns"),
        signal: AbortSignal.timeout(HANG_BOUND_MS),
      },
    );
    assert.equal(run.code, 4, run.stderr);
    const lines = run.stderr.trimEnd().split("\n");
    assert.equal(
      lines[0],
      `error: Registry "${server.host}" stopped sending the body of GET /v2/ns/stalls/blobs/${pkg.layer.digest} for 0.5 s (${half} of ${layer.byteLength} bytes received)`,
    );
    assert.equal(lines[1], "hint: Raise [oci] timeout or check the registry");
    assert.equal(lines.length, 2, run.stderr);
    assert.equal(run.stdout, "");
    const entry = join(home.cacheDir, "extensions", "taskserv", "stalls", "1.0.0");
    assert.equal(await Deno.stat(entry).then(() => true, () => false), false, "nothing cached");
  } finally {
    await server.close();
    await pkg.cleanup();
    await home.cleanup();
    await Deno.remove(work, { recursive: true });
  }
});

Deno.test("ext load from a registry asking to wait a day exits 4 at once saying so", async () => {
  const server = await startFaultServer([
    { path: "/v2/ns/busy/tags/list", respond: status(429, "", { "retry-after": "86400" }) },
  ]);
  const home = await makeHome(""); // the defaults: timeout 30 s, retry_count 3
  try {
    const run = await runCli(["ext", "load", "busy", "--source", "oci"], {
      home: home.home,
      env: cliEnv(home, server.host, "ns"),
      signal: AbortSignal.timeout(HANG_BOUND_MS),
    });
    assert.equal(run.code, 4, run.stderr);
    const lines = run.stderr.trimEnd().split("\n");
    assert.equal(
      lines[0],
      `error: Registry "${server.host}" is rate limiting (HTTP 429 to GET /v2/ns/busy/tags/list) ` +
        "and asked to wait 86400 s, more than the 60 s this client waits",
    );
    assert.match(lines[1] ?? "", /^hint: Try again after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(lines.length, 2, run.stderr);
    const asked = server.requests.filter((r) => r.path.startsWith("/v2/ns/busy/tags/list"));
    assert.equal(asked.length, 1, "not retried");
  } finally {
    await server.close();
    await home.cleanup();
  }
});
