/**
 * `ext test-oci`, `ext login` and `ext logout`, spawned as a user runs them, against the real
 * registry of the harness (plain, htpasswd Basic, token and TLS variants): exit codes, the
 * JSON shape, one-line errors, stored credentials (0600) and no secret in any output.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { createSigningFiles } from "../harness/_certs.ts";
import { registryTest, type TestRegistry } from "../harness/registry.ts";
import { type CliRun, runCli, runOnTerminal } from "./run_cli.ts";

/** The CLI needs the network for these commands (and writes `~/.provisioning`). */
const PERMISSIONS = ["--allow-read", "--allow-env", "--allow-write", "--allow-net"];

/** A stack frame line, which must never reach a user without --debug. */
const STACK_LINE = /^\s+at /m;

const TEST_OCI_KEYS = [
  "apiVersion",
  "auth",
  "error",
  "latencyMs",
  "ok",
  "reachable",
  "registry",
  "status",
  "url",
];

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "oci-cli-home-" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

function run(
  args: string[],
  home: string,
  options: { stdin?: string; cwd?: string } = {},
): Promise<CliRun> {
  return runCli(args, { home, permissions: PERMISSIONS, ...options });
}

function testOci(home: string, registry: string, cwd?: string): Promise<CliRun> {
  const args = ["ext", "test-oci", "--format", "json"];
  if (registry !== "") args.push("--registry", registry);
  return run(args, home, cwd === undefined ? {} : { cwd });
}

function login(home: string, reg: TestRegistry, password: string): Promise<CliRun> {
  return run(
    ["ext", "login", reg.host, "--username", reg.username!, "--password-stdin"],
    home,
    { stdin: `${password}\n` },
  );
}

/** Fails when a secret, or the Basic header value built from it, shows up anywhere. */
function assertNoSecret(result: CliRun, username: string, password: string): void {
  for (const text of [result.stdout, result.stderr]) {
    assert.ok(!text.includes(password), `secret printed:\n${text}`);
    assert.ok(!text.includes(btoa(`${username}:${password}`)), `encoded secret printed:\n${text}`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function writeUserConfig(home: string, toml: string): Promise<void> {
  await Deno.mkdir(join(home, ".provisioning"), { recursive: true });
  await Deno.writeTextFile(join(home, ".provisioning", "config.toml"), toml);
}

const credentialsFile = (home: string) => join(home, ".provisioning", "credentials.json");

registryTest("ext test-oci reports an anonymous registry as ok (exit 0)", async (t, reg) => {
  await withHome(async (home) => {
    await t.step("--format json prints the stable shape", async () => {
      const result = await testOci(home, reg.host);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout);
      assert.deepEqual(Object.keys(report).sort(), TEST_OCI_KEYS);
      assert.equal(report.registry, reg.host);
      assert.equal(report.url, `http://${reg.host}/v2/`);
      assert.equal(report.ok, true);
      assert.equal(report.reachable, true);
      assert.equal(report.auth, "anonymous");
      // Our registry sends the header; another one (PROVISIONING_TEST_REGISTRY) may not.
      if (reg.pid !== undefined) assert.equal(report.apiVersion, "registry/2.0");
      assert.equal(report.status, 200);
      assert.equal(typeof report.latencyMs, "number");
      assert.equal(report.error, null);
      assert.equal(result.stderr, "");
    });
    await t.step("the table names registry, reachability, auth and API version", async () => {
      const result = await run(["ext", "test-oci", "--registry", reg.host], home);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stdout,
        new RegExp(`^Registry +${reg.host.replaceAll(".", "\\.")}$`, "m"),
      );
      assert.match(result.stdout, /^Reachable +yes$/m);
      assert.match(result.stdout, /^Auth +anonymous$/m);
      assert.match(result.stdout, /^API version +\S+$/m);
      assert.match(result.stdout, /^Latency +\d+ ms$/m);
    });
  });
});

Deno.test("ext test-oci and ext login exit 4 when nothing listens on the port", async (t) => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const host = `127.0.0.1:${listener.addr.port}`;
  listener.close();
  await withHome(async (home) => {
    // One probe: no retries, so the test does not wait for backoff.
    await writeUserConfig(home, "[oci]\nretry_count = 0\n");
    await t.step("test-oci", async () => {
      const result = await testOci(home, host);
      assert.equal(result.code, 4, result.stderr);
      const report = JSON.parse(result.stdout);
      assert.equal(report.ok, false);
      assert.equal(report.reachable, false);
      assert.equal(report.status, null);
      assert.equal(report.error.code, "UNREACHABLE");
      assert.ok(result.stderr.startsWith(`error: Cannot reach "${host}"`), result.stderr);
      assert.doesNotMatch(result.stderr, STACK_LINE);
    });
    await t.step("login saves nothing", async () => {
      const result = await run(
        ["ext", "login", host, "--username", "bob", "--password-stdin"],
        home,
        { stdin: "hunter2-secret\n" },
      );
      assert.equal(result.code, 4, result.stderr);
      assert.ok(
        result.stderr.startsWith(`error: Cannot log in to "${host}": cannot reach "${host}"`),
        result.stderr,
      );
      assert.match(result.stderr, /nothing was saved\n/);
      assertNoSecret(result, "bob", "hunter2-secret");
      assert.equal(await exists(credentialsFile(home)), false);
    });
  });
});

registryTest(
  "ext test-oci without --allow-net says so (exit 2), not unreachable",
  async (_t, reg) => {
    await withHome(async (home) => {
      const result = await runCli(["ext", "test-oci", "--registry", reg.host], {
        home,
        permissions: ["--allow-read", "--allow-env", "--allow-write"],
      });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(
        result.stderr,
        `error: Cannot connect to "${reg.host}": network access is not permitted\n` +
          `hint: Run with --allow-net (or --allow-net=${reg.host})\n`,
      );
    });
  },
);

registryTest(
  "ext test-oci with Basic auth: exit 4 without credentials and with wrong ones",
  async (t, reg) => {
    const username = reg.username!;
    const wrong = "not-the-password-7f3a";
    await withHome(async (home) => {
      await t.step("no credentials: auth required, exit 4 with a login hint", async () => {
        const result = await testOci(home, reg.host);
        assert.equal(result.code, 4, result.stderr);
        const report = JSON.parse(result.stdout);
        assert.equal(report.reachable, true);
        assert.equal(report.auth, "required");
        assert.equal(report.status, 401);
        assert.match(result.stderr, /^error: Registry "[^"]+" requires authentication\n/);
        assert.match(result.stderr, /hint: Log in with: provisioning ext login /);
      });
      await t.step(
        "wrong credentials from the token file: refused, exit 4, no secret",
        async () => {
          const tokenFile = join(home, "registry-token");
          await Deno.writeTextFile(tokenFile, `${username}:${wrong}\n`, { mode: 0o600 });
          await writeUserConfig(
            home,
            `[oci]\nregistry = "${reg.host}"\nauth_token_path = "${tokenFile}"\n`,
          );
          const result = await testOci(home, "");
          assert.equal(result.code, 4, result.stderr);
          const report = JSON.parse(result.stdout);
          assert.equal(report.auth, "refused");
          assert.equal(report.ok, false);
          assert.equal(report.error.code, "AUTH_REFUSED");
          assert.equal(
            result.stderr.split("\n")[0],
            `error: Registry "${reg.host}" refused user "${username}" (from token file "${tokenFile}")`,
          );
          assert.doesNotMatch(result.stderr, STACK_LINE);
          assertNoSecret(result, username, wrong);
          await Deno.remove(join(home, ".provisioning", "config.toml"));
        },
      );
    });
  },
  { variant: "basic" },
);

registryTest(
  "ext login stores checked credentials 0600; ext logout removes them",
  async (t, reg) => {
    const username = reg.username!;
    const password = reg.password!;
    const wrong = "not-the-password-7f3a";
    await withHome(async (home) => {
      await t.step("wrong password: exit 4, one clear line, nothing written", async () => {
        const result = await login(home, reg, wrong);
        assert.equal(result.code, 4, result.stderr);
        assert.equal(
          result.stderr,
          `error: Registry "${reg.host}" refused user "${username}"; nothing was saved\n` +
            "hint: Check the user name and password (or access token) and try again\n",
        );
        assert.equal(result.stdout, "");
        assertNoSecret(result, username, wrong);
        assert.equal(await exists(credentialsFile(home)), false);
      });
      await t.step("no password flag and no terminal: exit 2, names --password-stdin", async () => {
        const result = await run(["ext", "login", reg.host, "--username", username], home);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /^error: .*--password-stdin/);
        assert.equal(await exists(credentialsFile(home)), false);
      });
      await t.step("right password: exit 0, file written 0600, no secret printed", async () => {
        const result = await login(home, reg, password);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /^Login succeeded for "127\.0\.0\.1:\d+" as "alice"/);
        assertNoSecret(result, username, password);
        const info = await Deno.stat(credentialsFile(home));
        assert.equal(info.mode! & 0o777, 0o600);
        const stored = JSON.parse(await Deno.readTextFile(credentialsFile(home)));
        assert.deepEqual(Object.keys(stored.auths), [reg.host]);
        assert.equal(atob(stored.auths[reg.host].auth), `${username}:${password}`);
      });
      await t.step("test-oci then uses the stored credentials", async () => {
        const result = await testOci(home, reg.host);
        assert.equal(result.code, 0, result.stderr);
        const report = JSON.parse(result.stdout);
        assert.equal(report.ok, true);
        assert.equal(report.auth, "basic");
        assertNoSecret(result, username, password);
      });
      await t.step("logout removes them; test-oci needs credentials again", async () => {
        const out = await run(["ext", "logout", reg.host], home);
        assert.equal(out.code, 0, out.stderr);
        assert.equal(out.stdout, `Removed the stored credentials for "${reg.host}"\n`);
        const stored = JSON.parse(await Deno.readTextFile(credentialsFile(home)));
        assert.deepEqual(stored.auths, {});
        const result = await testOci(home, reg.host);
        assert.equal(result.code, 4);
        assert.equal(JSON.parse(result.stdout).auth, "required");
        const again = await run(["ext", "logout", reg.host], home);
        assert.equal(again.code, 0);
        assert.equal(again.stdout, `No stored credentials for "${reg.host}"\n`);
      });
      await t.step("-u/-p log in too, with a warning that --password-stdin is safer", async () => {
        const result = await run(["ext", "login", reg.host, "-u", username, "-p", password], home);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /^Login succeeded for "127\.0\.0\.1:\d+" as "alice"/);
        assert.equal(
          result.stderr,
          "warning: --password is visible to other processes and kept in shell history; " +
            "--password-stdin is safer\n",
        );
        assertNoSecret(result, username, password);
      });
      await t.step("--password with --password-stdin: exit 2, one line", async () => {
        const result = await run(
          ["ext", "login", reg.host, "-u", username, "-p", password, "--password-stdin"],
          home,
          { stdin: `${password}\n` },
        );
        assert.equal(result.code, 2);
        assert.equal(
          result.stderr,
          "error: Pass either --password-stdin or --password, not both\n",
        );
      });
      await t.step(
        "on a terminal with neither, the password is asked for, not echoed",
        async (t) => {
          await run(["ext", "logout", reg.host], home);
          const result = await runOnTerminal(
            ["ext", "login", reg.host, "-u", username],
            { home, permissions: PERMISSIONS },
            "Password for",
            `${password}\r`,
          );
          if (result === undefined) {
            console.warn("SKIPPED: util-linux `script` is not installed (needed for a terminal)");
            await t.step({ name: "skipped: no `script`", ignore: true, fn: () => {} });
            return;
          }
          assert.equal(result.code, 0, result.output);
          assert.match(result.output, /Password for alice@127\.0\.0\.1:\d+: /);
          assert.match(result.output, /Login succeeded for "127\.0\.0\.1:\d+" as "alice"/);
          assert.ok(!result.output.includes(password), "the typed password is not echoed");
          const stored = JSON.parse(await Deno.readTextFile(credentialsFile(home)));
          assert.equal(atob(stored.auths[reg.host].auth), `${username}:${password}`);
        },
      );
    });
  },
  { variant: "basic" },
);

registryTest("ext login through a token service (Bearer)", async (t, reg) => {
  await withHome(async (home) => {
    await t.step("wrong password: exit 4, nothing written", async () => {
      const result = await login(home, reg, "wrong-token-pw-91c2");
      assert.equal(result.code, 4, result.stderr);
      assert.match(
        result.stderr,
        /^error: Registry "[^"]+" refused user "alice"; nothing was saved/,
      );
      assertNoSecret(result, reg.username!, "wrong-token-pw-91c2");
      assert.equal(await exists(credentialsFile(home)), false);
    });
    await t.step("right password: saved, then test-oci gets a token", async () => {
      const result = await login(home, reg, reg.password!);
      assert.equal(result.code, 0, result.stderr);
      const check = await testOci(home, reg.host);
      assert.equal(check.code, 0, check.stderr);
      assert.equal(JSON.parse(check.stdout).auth, "bearer");
      assertNoSecret(check, reg.username!, reg.password!);
    });
  });
}, { variant: "token" });

registryTest("ext test-oci speaks HTTPS with the CA from [oci] ca_file", async (t, reg) => {
  const toml = `[oci]\nregistry = "${reg.host}"\nca_file = "${reg.caFile}"\n`;
  await withHome(async (home) => {
    await t.step("in the user config", async () => {
      await writeUserConfig(home, toml);
      const result = await testOci(home, "");
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout);
      assert.equal(report.url, `https://${reg.host}/v2/`);
      assert.equal(report.ok, true);
      await Deno.remove(join(home, ".provisioning", "config.toml"));
    });
    await t.step("in the workspace config", async () => {
      const project = join(home, "project");
      await Deno.mkdir(join(project, "workspace", "config"), { recursive: true });
      await Deno.writeTextFile(
        join(project, "workspace", "config", "local-overrides.toml"),
        toml,
      );
      const result = await testOci(home, "", project);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(JSON.parse(result.stdout).url, `https://${reg.host}/v2/`);
    });
    await t.step("login to the configured registry uses the CA too", async () => {
      await writeUserConfig(home, toml);
      const result = await run(
        ["ext", "login", reg.host, "--username", "bob", "--password-stdin"],
        home,
        { stdin: "tls-pw-5d1e\n" },
      );
      assert.equal(result.code, 0, result.stderr);
      // The TLS variant has no auth: the registry cannot check the credentials.
      assert.match(result.stderr, /^note: Registry "[^"]+" allows anonymous access/);
      assertNoSecret(result, "bob", "tls-pw-5d1e");
      assert.equal(await exists(credentialsFile(home)), true);
    });
    await t.step("with another CA the certificate is not trusted: exit 5", async () => {
      // A self-signed certificate that did not sign the registry's.
      const other = await createSigningFiles(home);
      await writeUserConfig(
        home,
        `[oci]\nregistry = "${reg.host}"\nca_file = "${other.certFile}"\nretry_count = 0\n`,
      );
      const result = await testOci(home, "", home);
      assert.equal(result.code, 5, result.stderr);
      const report = JSON.parse(result.stdout);
      assert.equal(report.ok, false);
      assert.equal(report.reachable, false);
      assert.equal(report.error.code, "INSECURE_TRANSPORT");
      assert.match(result.stderr, /^error: [^\n]+\nhint: /);
      assert.doesNotMatch(result.stderr, STACK_LINE);
    });
  });
}, { variant: "tls" });
