/**
 * Eight `ext pull` processes of the same extension started at once against the real
 * registry: all succeed with the same entry, the layer is downloaded once (counted in the
 * registry's own request log), and the index is valid afterwards.
 */

import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { listCached, readIndex } from "../../src/cache/mod.ts";
import { registryTest } from "../harness/registry.ts";
import { blobGets, cliEnv, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

registryTest("8 concurrent ext pull processes download the layer once", async (_t, reg) => {
  const namespace = uniqueNamespace("cli-concurrent");
  using client = clientFor(reg, { settings: { namespace } });
  // About 1 MiB that gzip cannot shrink much, so the downloads would overlap.
  const noise = new Uint8Array(768 * 1024);
  for (let i = 0; i < noise.length; i += 65536) {
    crypto.getRandomValues(noise.subarray(i, i + 65536));
  }
  const pushed = await publish(client, {
    name: "conc",
    type: "cluster",
    version: "1.0.0",
    files: { "docs/noise.txt": Buffer.from(noise).toString("base64") },
  });
  const home = await makeHome();
  try {
    const env = cliEnv(home, reg.host, namespace);
    const runs = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          runCli([
            "ext",
            "pull",
            "conc",
            "--version",
            "1.0.0",
            "--source",
            "oci",
            "--format",
            "json",
          ], {
            home: home.home,
            env,
            permissions: ["--allow-read", "--allow-env", "--allow-write", "--allow-net"],
          }),
      ),
    );
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const results = runs.map((run) => JSON.parse(run.stdout));
    assert.equal(new Set(results.map((r) => r.path)).size, 1);
    assert.ok(results.every((r) => r.digest === pushed.digest));
    assert.equal(blobGets(reg.requestLog(), pushed.layerDigest), 1);
    assert.deepEqual((await listCached(home.cacheDir)).map((e) => e.key), [
      "cluster/conc/1.0.0",
    ]);
    assert.ok((await readIndex(home.cacheDir)) !== undefined, "index parses and validates");
  } finally {
    await home.cleanup();
  }
}, { localOnly: true });
