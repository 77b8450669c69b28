/**
 * `[gitea] timeout`, `retry_count` and `ca_file` reach the Gitea client through the one factory
 * every Gitea read uses (`giteaClientFor`), against the Gitea STAND-IN (no Gitea can be
 * installed here): a server that answers 503 first is retried `[gitea] retry_count` times, an
 * HTTPS server whose CA is `[gitea] ca_file` is trusted, and without it the TLS error names the
 * cause and the key to set.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../src/config/mod.ts";
import { isProvisioningError, type ProvisioningError } from "../../src/errors.ts";
import { giteaClientFor } from "../../src/sources/gitea_source.ts";
import { createSelfSignedCaCertificate, createTlsFiles } from "../harness/_certs.ts";
import { stall, startFaultServer } from "../harness/fault_server.ts";
import { createGitFixture } from "../harness/git_server.ts";
import { startGiteaStandin } from "../harness/gitea_standin.ts";

const ORG = "exts";

async function caught(promise: Promise<unknown>): Promise<ProvisioningError> {
  const error = await promise.then(() => undefined, (error: unknown) => error);
  assert.ok(isProvisioningError(error), `expected a ProvisioningError, got ${error}`);
  return error;
}

/** The configuration of a home whose config file is `toml`. */
async function configOf(home: string, toml: string) {
  await Deno.mkdir(join(home, ".provisioning"), { recursive: true });
  await Deno.writeTextFile(join(home, ".provisioning", "config.toml"), toml);
  return await loadConfig({ cwd: home, home, env: {} });
}

Deno.test("[gitea] retry_count: a 503 is retried that many times, [oci] retry_count aside", async (t) => {
  const fixture = await createGitFixture({ owner: ORG });
  const home = await Deno.makeTempDir({ prefix: "gitea-settings-" });
  try {
    const cases = [
      { gitea: 1, oci: 0, fails: 1, ok: true, requests: 2 },
      { gitea: 0, oci: 3, fails: 1, ok: false, requests: 1 },
      { gitea: 2, oci: 0, fails: 3, ok: false, requests: 3 },
    ];
    for (const c of cases) {
      await t.step(
        `[gitea] retry_count = ${c.gitea}, ${c.fails} failure(s): ${c.ok ? "answered" : "fails"}`,
        async () => {
          const gitea = startGiteaStandin({ root: fixture.baseDir, failFirst: c.fails });
          try {
            const config = await configOf(
              home,
              `[oci]\nretry_count = ${c.oci}\n[gitea]\nurl = "${gitea.url}"\n` +
                `organization = "${ORG}"\nretry_count = ${c.gitea}\ntimeout = 5\n`,
            );
            const client = await giteaClientFor(config);
            try {
              const listed = client.listRepositories();
              if (c.ok) {
                assert.ok((await listed).some((repo) => repo.name === "demo"));
              } else {
                const error = await caught(listed);
                assert.equal(error.code, "REGISTRY_ERROR");
                assert.match(error.message, /answered HTTP 503/);
              }
              assert.equal(gitea.requests.length, c.requests);
            } finally {
              client.close();
            }
          } finally {
            await gitea.close();
          }
        },
      );
    }
    await t.step("unset, the [oci] values apply (as before the keys existed)", async () => {
      const gitea = startGiteaStandin({ root: fixture.baseDir, failFirst: 1 });
      try {
        const config = await configOf(
          home,
          `[oci]\nretry_count = 1\n[gitea]\nurl = "${gitea.url}"\norganization = "${ORG}"\n`,
        );
        const client = await giteaClientFor(config);
        try {
          assert.ok((await client.listRepositories()).length > 0);
          assert.equal(gitea.requests.length, 2);
        } finally {
          client.close();
        }
      } finally {
        await gitea.close();
      }
    });
  } finally {
    await Deno.remove(home, { recursive: true });
    await fixture.cleanup();
  }
});

Deno.test("[gitea] ca_file: an HTTPS Gitea signed by that CA is trusted; without it, said why", async (t) => {
  const fixture = await createGitFixture({ owner: ORG });
  const home = await Deno.makeTempDir({ prefix: "gitea-tls-" });
  const pki = join(home, "pki");
  await Deno.mkdir(pki);
  const ca = await createTlsFiles(pki);
  const tls = {
    cert: await Deno.readTextFile(ca.certFile),
    key: await Deno.readTextFile(ca.keyFile),
  };
  const gitea = startGiteaStandin({ root: fixture.baseDir, tls });
  const toml = (extra: string) =>
    `[oci]\nretry_count = 0\n[gitea]\nurl = "${gitea.url}"\norganization = "${ORG}"\n${extra}`;
  try {
    assert.match(gitea.url, /^https:\/\/127\.0\.0\.1:\d+$/);

    await t.step("trusted through [gitea] ca_file: list, resolve and download", async () => {
      const config = await configOf(home, toml(`ca_file = "pki/ca.crt"\n`));
      assert.equal(config.settings.gitea.ca_file, join(home, ".provisioning", "pki", "ca.crt"));
      // The path resolves against the config file's folder, like [oci] ca_file.
      await Deno.mkdir(join(home, ".provisioning", "pki"), { recursive: true });
      await Deno.copyFile(ca.caFile, join(home, ".provisioning", "pki", "ca.crt"));
      const client = await giteaClientFor(config);
      try {
        assert.ok((await client.listRepositories()).some((repo) => repo.name === "demo"));
        const archive = await client.openArchive("demo", "1.0.0");
        const bytes = await new Response(await archive.archive.open()).arrayBuffer();
        assert.ok(bytes.byteLength > 0);
      } finally {
        client.close();
      }
    });

    await t.step(
      "without it: INSECURE_TRANSPORT naming the unknown CA and [gitea] ca_file",
      async () => {
        const client = await giteaClientFor(await configOf(home, toml("")));
        try {
          const error = await caught(client.listRepositories());
          assert.equal(error.code, "INSECURE_TRANSPORT");
          assert.equal(error.exitCode, 5);
          assert.match(
            error.message,
            /^Cannot verify the TLS certificate of Gitea "127\.0\.0\.1:\d+": its certificate is signed by a CA this machine does not trust$/,
          );
          assert.match(error.hint ?? "", /^Set \[gitea\] ca_file to the PEM file of the CA/);
        } finally {
          client.close();
        }
      },
    );

    await t.step("another CA in [gitea] ca_file is not enough", async () => {
      const other = join(home, "other");
      await Deno.mkdir(other);
      const self = await createSelfSignedCaCertificate(other);
      const client = await giteaClientFor(
        await configOf(home, toml(`ca_file = "${self.certFile}"\n`)),
      );
      try {
        assert.equal((await caught(client.listRepositories())).code, "INSECURE_TRANSPORT");
      } finally {
        client.close();
      }
    });

    await t.step("an unreadable ca_file is one INVALID_CONFIG line naming the key", async () => {
      const missing = join(home, "missing.pem");
      const client = await giteaClientFor(await configOf(home, toml(`ca_file = "${missing}"\n`)));
      try {
        const error = await caught(client.listRepositories());
        assert.equal(error.code, "INVALID_CONFIG");
        assert.equal(error.message, `Cannot read CA file "${missing}"`);
        assert.equal(error.hint, "Fix [gitea] ca_file: it must be a readable PEM file");
      } finally {
        client.close();
      }
    });
  } finally {
    await gitea.close();
    await Deno.remove(home, { recursive: true });
    await fixture.cleanup();
  }
});

Deno.test("[gitea] timeout: a stalled Gitea is a TIMEOUT after that many seconds", async () => {
  const home = await Deno.makeTempDir({ prefix: "gitea-timeout-" });
  const stalled = await startFaultServer(stall());
  try {
    const config = await configOf(
      home,
      `[oci]\ntimeout = 60\nretry_count = 0\n[gitea]\nurl = "${stalled.url}"\n` +
        `organization = "${ORG}"\ntimeout = 0.3\n`,
    );
    const client = await giteaClientFor(config);
    const started = performance.now();
    const error = await caught(client.listRepositories());
    client.close();
    assert.equal(error.code, "TIMEOUT");
    assert.match(error.hint ?? "", /\[gitea\] timeout/);
    assert.ok(performance.now() - started < 10_000, "[oci] timeout (60 s) must not apply");
  } finally {
    await stalled.close();
    await Deno.remove(home, { recursive: true });
  }
});
