/**
 * TLS as registries really serve it, through the real CLI against real distribution
 * registries: a client certificate for an mTLS registry (`http.tls.clientcas`), and each way a
 * certificate is refused said with its real cause — unknown CA, another host's certificate,
 * expired, a self-signed CA:TRUE certificate used as the server's own (as Docker's registry
 * guide makes it, and accepted once Deno is launched with
 * `--unsafely-ignore-certificate-errors` for that host) — plus plain HTTP spoken to an HTTPS
 * port and the reverse.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  createSelfSignedCaCertificate,
  createTlsFiles,
  issueCertificate,
} from "../harness/_certs.ts";
import { registryTest, startRegistry, type TestRegistry } from "../harness/registry.ts";
import { runCli } from "./run_cli.ts";

registryTest("TLS: mTLS client certificates and each refused certificate said as such", async (
  t,
  plain,
) => {
  const home = await Deno.makeTempDir({ prefix: "tls-cli-" });
  const started: TestRegistry[] = [];
  try {
    const pki = join(home, "pki");
    await Deno.mkdir(pki);
    const ca = await createTlsFiles(pki);
    const serve = async (tls: { certificate?: string; key?: string; clientcas?: string[] }) => {
      const reg = await startRegistry({ variant: "tls", tls });
      started.push(reg);
      return reg;
    };
    /** `ext test-oci` against `registry` with `[oci]` lines added to the config. */
    const testOci = async (registry: string, oci: string[] = []) => {
      await Deno.mkdir(join(home, ".provisioning"), { recursive: true });
      await Deno.writeTextFile(
        join(home, ".provisioning", "config.toml"),
        ["[oci]", "retry_count = 0", ...oci, ""].join("\n"),
      );
      return await runCli(["--registry", registry, "ext", "test-oci"], { home });
    };
    const trusting = [`ca_file = "${ca.caFile}"`];

    await t.step("mTLS: refused without a client certificate, ok with one", async () => {
      const client = await issueCertificate(pki, "client", [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature",
        "extendedKeyUsage=clientAuth",
      ]);
      const reg = await serve({
        certificate: ca.certFile,
        key: ca.keyFile,
        clientcas: [ca.caFile],
      });
      const without = await testOci(reg.host, trusting);
      // The server's refusal arrives as a fatal alert (exit 5) or, when TLS 1.3 has already
      // finished the handshake, as a closed connection (exit 4); both name the fix.
      assert.ok([4, 5].includes(without.code), without.stderr);
      assert.match(without.stderr, /cert_file and key_file/);
      const half = await testOci(reg.host, [...trusting, `cert_file = "${client.certFile}"`]);
      assert.equal(half.code, 2, half.stderr);
      assert.match(half.stderr, /^error: \[oci\] cert_file is set without key_file$/m);
      const withCert = await testOci(reg.host, [
        ...trusting,
        `cert_file = "${client.certFile}"`,
        `key_file = "${client.keyFile}"`,
      ]);
      assert.equal(withCert.code, 0, withCert.stderr);
    });

    await t.step("--ca-file and --plain-http on the command line, as ORAS names them", async () => {
      const reg = await serve({ certificate: ca.certFile, key: ca.keyFile });
      await Deno.writeTextFile(
        join(home, ".provisioning", "config.toml"),
        "[oci]\nretry_count = 0\n",
      );
      const flags = (...extra: string[]) =>
        runCli(["--registry", reg.host, ...extra, "ext", "test-oci"], { home });
      const trusted = await flags("--ca-file", ca.caFile);
      assert.equal(trusted.code, 0, trusted.stderr);
      // --plain-http is [oci] insecure: plain HTTP allowed to any host, not only loopback.
      const env = await runCli(["--plain-http", "env", "--format", "json"], { home });
      const setting = JSON.parse(env.stdout).settings.find((s: { key: string }) =>
        s.key === "oci.insecure"
      );
      assert.deepEqual(setting, {
        key: "oci.insecure",
        value: true,
        origin: "flag (--plain-http)",
      });
    });

    await t.step("a CA this machine does not trust", async () => {
      const reg = await serve({ certificate: ca.certFile, key: ca.keyFile });
      // HTTPS (a CA file is set), but the file holds another CA.
      const elsewhere = join(home, "other-pki");
      await Deno.mkdir(elsewhere);
      const otherCa = await createTlsFiles(elsewhere);
      const run = await testOci(reg.host, [`ca_file = "${otherCa.caFile}"`]);
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stderr, /its certificate is signed by a CA this machine does not trust/);
      assert.match(run.stderr, /^hint: Set \[oci\] ca_file/m);
    });

    await t.step("another host's certificate names that host", async () => {
      const other = await issueCertificate(pki, "other", [
        "subjectAltName=DNS:other.example",
        "extendedKeyUsage=serverAuth",
      ]);
      const reg = await serve({ certificate: other.certFile, key: other.keyFile });
      const run = await testOci(reg.host, trusting);
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stderr, /is not for this host name \(it names other\.example\)/);
    });

    await t.step("an expired certificate", async () => {
      const expired = await issueCertificate(pki, "expired", [
        "subjectAltName=IP:127.0.0.1",
        "extendedKeyUsage=serverAuth",
      ], 0);
      const reg = await serve({ certificate: expired.certFile, key: expired.keyFile });
      await new Promise((done) => setTimeout(done, 1100)); // past its notAfter
      const run = await testOci(reg.host, trusting);
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stderr, /its certificate has expired/);
    });

    await t.step("a self-signed CA:TRUE certificate as the server's own", async () => {
      // curl --cacert and skopeo accept this; rustls (Deno's TLS) refuses it as
      // CaUsedAsEndEntity. The tool cannot change that; it says so and how to fix it.
      const self = await createSelfSignedCaCertificate(pki);
      const reg = await serve({ certificate: self.certFile, key: self.keyFile });
      const run = await testOci(reg.host, [`ca_file = "${self.certFile}"`]);
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stderr, /presents a CA certificate \(CA:TRUE\) as its server certificate/);
      assert.match(run.stderr, /^hint: Issue the registry a server certificate signed by/m);
      // ORAS's --insecure: Deno skips verification only for a whole process, named at launch,
      // and says so loudly; the scoped worker inherits it. Never the tool's default.
      for (const launch of ["broad", "scoped"] as const) {
        const skipped = await runCli(["--registry", reg.host, "ext", "test-oci"], {
          home,
          launch,
          denoFlags: ["--unsafely-ignore-certificate-errors=127.0.0.1"],
        });
        assert.equal(skipped.code, 0, `${launch}: ${skipped.stderr}`);
        assert.match(
          skipped.stderr,
          /DANGER: TLS certificate validation is disabled for: 127\.0\.0\.1/,
        );
      }
    });

    await t.step("plain HTTP to an HTTPS port, and HTTPS to a plain one", async () => {
      const reg = await serve({ certificate: ca.certFile, key: ca.keyFile });
      // A loopback registry is plain HTTP unless a CA file is set.
      const toTls = await testOci(reg.host);
      assert.equal(toTls.code, 4, toTls.stderr);
      assert.match(toTls.stderr, /over plain HTTP: it speaks HTTPS/);
      const toPlain = await testOci(plain.host, trusting);
      assert.equal(toPlain.code, 4, toPlain.stderr);
      assert.match(toPlain.stderr, /it speaks plain HTTP, not HTTPS/);
    });
  } finally {
    for (const reg of started) await reg.stop();
    await Deno.remove(home, { recursive: true });
  }
});
