/**
 * HTTPS against the real registry (harness TLS variant with a generated CA).
 */

import assert from "node:assert/strict";
import { registryTest } from "../harness/registry.ts";
import { pullArtifact, pushArtifact, testOciConnection } from "../../src/oci/mod.ts";
import { bytesSource, clientFor, configSource, recordingFetch } from "./_helpers.ts";

registryTest("TLS: the CA from [oci] ca_file or caCerts makes HTTPS work", async (t, reg) => {
  assert.ok(reg.url.startsWith("https://"));
  const cases = [
    ["ca_file", () => clientFor(reg)],
    [
      "ca_file with a scheme-less registry (as the config file writes it)",
      () => clientFor(reg, { settings: { registry: reg.host } }),
    ],
    [
      "caCerts option",
      () => clientFor(reg, { settings: { ca_file: undefined }, caCerts: [reg.caCertPem!] }),
    ],
  ] as const;
  for (const [name, make] of cases) {
    await t.step(name, async () => {
      using client = make();
      const report = await testOciConnection(client);
      assert.equal(report.ok, true);
      assert.ok(report.url.startsWith("https://127.0.0.1:"));
      await pushArtifact(client, "tls:1.0.0", {
        config: configSource({ tls: true }),
        layers: [bytesSource(new Uint8Array(3000).fill(1))],
      });
      const pulled = await pullArtifact(client, "tls:1.0.0");
      assert.deepEqual(pulled.config.value, { tls: true });
    });
  }
}, { variant: "tls", localOnly: true });

registryTest(
  "TLS: an untrusted certificate is INSECURE_TRANSPORT (exit 5), never plain HTTP",
  async (_t, reg) => {
    const recorder = recordingFetch();
    using client = clientFor(reg, { settings: { ca_file: undefined }, fetch: recorder.fetch });
    await assert.rejects(pullArtifact(client, "tls:1.0.0"), (error: unknown) => {
      const e = error as { code: string; exitCode: number; message: string; hint: string };
      assert.equal(e.code, "INSECURE_TRANSPORT");
      assert.equal(e.exitCode, 5);
      assert.match(
        e.message,
        /^Cannot verify the TLS certificate of "127\.0\.0\.1:\d+": its certificate is signed by a CA this machine does not trust$/,
      );
      assert.match(e.hint, /\[oci\] ca_file/);
      return true;
    });
    assert.equal(recorder.requests.length, 1, "not retried");
    assert.ok(recorder.requests.every((r) => r.url.protocol === "https:"), "no fallback to http");
    const report = await testOciConnection(client);
    assert.equal(report.ok, false);
    assert.equal(report.error?.code, "INSECURE_TRANSPORT");
  },
  { variant: "tls", localOnly: true },
);

registryTest("TLS: a missing CA file is INVALID_CONFIG", async (_t, reg) => {
  using client = clientFor(reg, { settings: { ca_file: "/nonexistent/ca.pem" } });
  await assert.rejects(testOciConnection(client), {
    code: "INVALID_CONFIG",
    message: 'Cannot read CA file "/nonexistent/ca.pem"',
  });
}, { variant: "tls", localOnly: true });
