/**
 * Authentication against the real registry: htpasswd Basic and Bearer token variants
 * (the harness serves and signs the tokens).
 */

import assert from "node:assert/strict";
import { registryTest, type TestRegistry } from "../harness/registry.ts";
import {
  artifactExists,
  type CredentialStore,
  defaultCredentialStore,
  getArtifactTags,
  memoryCredentials,
  pullArtifact,
  pushArtifact,
  saveCredentials,
  testOciConnection,
} from "../../src/oci/mod.ts";
import { bytesSource, clientFor, configSource, printedForms, recordingFetch } from "./_helpers.ts";

const WRONG_SECRET = "Wr0ng-s3cret-that-must-never-print";

function goodCredentials(reg: TestRegistry): CredentialStore {
  return memoryCredentials({ [reg.host]: { username: reg.username!, password: reg.password! } });
}

function wrongCredentials(reg: TestRegistry): CredentialStore {
  return memoryCredentials({ [reg.host]: { username: reg.username!, password: WRONG_SECRET } });
}

async function roundTrip(reg: TestRegistry, credentials: CredentialStore, name: string) {
  const client = clientFor(reg, { credentials });
  await pushArtifact(client, `${name}:1.0.0`, {
    config: configSource({ name }),
    layers: [bytesSource(new Uint8Array([1, 2, 3]))],
  });
  const pulled = await pullArtifact(client, `${name}:1.0.0`);
  assert.deepEqual(pulled.config.value, { name });
  return client;
}

function assertRefused(error: unknown, reg: TestRegistry, pattern: RegExp): true {
  const e = error as { code: string; exitCode: number; message: string };
  assert.equal(e.code, "AUTH_REFUSED");
  assert.equal(e.exitCode, 4);
  assert.match(e.message, pattern);
  assert.ok(!e.message.includes("\n"), "one line");
  const printed = printedForms(error);
  assert.ok(!printed.includes(WRONG_SECRET), "the wrong password never prints");
  assert.ok(!printed.includes(reg.password!), "the right password never prints");
  return true;
}

registryTest("Basic auth: credentials from every source push and pull", async (t, reg) => {
  const home = await Deno.makeTempDir({ prefix: "oci-auth-home-" });
  try {
    await t.step("memory store", async () => {
      (await roundTrip(reg, goodCredentials(reg), "mem")).close();
    });
    await t.step("token file with user:password", async () => {
      const path = `${home}/token`;
      await Deno.writeTextFile(path, `${reg.username}:${reg.password}\n`, { mode: 0o600 });
      await roundTrip(
        reg,
        defaultCredentialStore({ registry: reg.host, auth_token_path: path }),
        "tokfile",
      );
    });
    await t.step("ext login store (~/.provisioning/credentials.json)", async () => {
      await saveCredentials(home, reg.host, reg.username!, reg.password!);
      await roundTrip(
        reg,
        defaultCredentialStore({ registry: reg.host, auth_token_path: undefined }, { home }),
        "login",
      );
    });
    await t.step("~/.docker/config.json auths", async () => {
      const dockerHome = `${home}/docker-home`;
      await Deno.mkdir(`${dockerHome}/.docker`, { recursive: true });
      await Deno.writeTextFile(
        `${dockerHome}/.docker/config.json`,
        JSON.stringify({
          auths: { [`http://${reg.host}`]: { auth: btoa(`${reg.username}:${reg.password}`) } },
        }),
      );
      await roundTrip(
        reg,
        defaultCredentialStore({ registry: "other:1", auth_token_path: undefined }, {
          home: dockerHome,
        }),
        "docker",
      );
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}, { variant: "basic" });

registryTest(
  "Basic auth: once challenged, later requests authenticate up front",
  async (_t, reg) => {
    const recorder = recordingFetch();
    using client = clientFor(reg, { credentials: goodCredentials(reg), fetch: recorder.fetch });
    await pushArtifact(client, "upfront:1.0.0", { config: configSource({}), layers: [] });
    const unauthorized = recorder.requests.filter((r) => !r.headers.has("authorization"));
    assert.equal(unauthorized.length, 1, "only the very first request goes without credentials");
  },
  { variant: "basic" },
);

registryTest(
  "Basic auth: wrong or missing credentials are AUTH_REFUSED (exit 4) without secrets",
  async (t, reg) => {
    await t.step("wrong password", async () => {
      using client = clientFor(reg, { credentials: wrongCredentials(reg) });
      await assert.rejects(
        pullArtifact(client, "x:1.0.0"),
        (e) =>
          assertRefused(
            e,
            reg,
            /^Registry "127\.0\.0\.1:\d+" refused user "alice" \(from memory\) to pull ".*\/x"$/,
          ),
      );
      const report = await testOciConnection(client);
      assert.equal(report.reachable, true);
      assert.equal(report.ok, false);
      assert.equal(report.auth, "refused");
      assert.equal(report.status, 401);
      assert.ok(!printedForms(report).includes(WRONG_SECRET));
    });
    await t.step("no credentials", async () => {
      using client = clientFor(reg);
      await assert.rejects(
        getArtifactTags(client, "x"),
        (e) => assertRefused(e, reg, /requires authentication to list tags/),
      );
      const report = await testOciConnection(client);
      assert.equal(report.auth, "required");
      assert.match(report.error?.hint ?? "", /provisioning ext login 127\.0\.0\.1:\d+/);
    });
    await t.step("right password", async () => {
      using client = clientFor(reg, { credentials: goodCredentials(reg) });
      const report = await testOciConnection(client);
      assert.equal(report.ok, true);
      assert.equal(report.auth, "basic");
      assert.equal(report.apiVersion, "registry/2.0");
    });
  },
  { variant: "basic" },
);

registryTest("Bearer auth: push and pull with tokens, reused from the cache", async (_t, reg) => {
  using client = await roundTrip(reg, goodCredentials(reg), "tok");
  const report = await testOciConnection(client);
  assert.equal(report.auth, "bearer");
  assert.equal(report.ok, true);

  const tokensBefore = reg.tokenRequests!();
  const hitsBefore = client.tokenCache.hits;
  for (let i = 0; i < 5; i++) assert.ok(await artifactExists(client, "tok:1.0.0"));
  assert.deepEqual(await getArtifactTags(client, "tok"), ["1.0.0"]);
  assert.equal(reg.tokenRequests!() - tokensBefore, 0, "no new token for cached scopes");
  assert.equal(client.tokenCache.hits - hitsBefore, 6);
}, { variant: "token" });

registryTest("Bearer auth: an expired token is replaced by a fresh one", async (_t, reg) => {
  let now = Date.now();
  using client = clientFor(reg, { credentials: goodCredentials(reg), now: () => now });
  await pushArtifact(client, "exp:1.0.0", { config: configSource({}), layers: [] });
  assert.ok(await artifactExists(client, "exp:1.0.0"));
  const before = reg.tokenRequests!();
  assert.ok(await artifactExists(client, "exp:1.0.0"));
  assert.equal(reg.tokenRequests!(), before, "still cached");
  now += 301_000; // the harness issues 300 s tokens
  assert.ok(await artifactExists(client, "exp:1.0.0"));
  assert.equal(reg.tokenRequests!(), before + 1, "one new token after expiry");
}, { variant: "token" });

registryTest(
  "Bearer auth: wrong or missing credentials are AUTH_REFUSED without secrets",
  async (t, reg) => {
    await t.step("wrong password (refused by the token service)", async () => {
      using client = clientFor(reg, { credentials: wrongCredentials(reg) });
      await assert.rejects(
        pullArtifact(client, "x:1.0.0"),
        (e) =>
          assertRefused(
            e,
            reg,
            /^Token service "http:\/\/127\.0\.0\.1:\d+\/token" refused user "alice" \(from memory\) for registry "127\.0\.0\.1:\d+"$/,
          ),
      );
      const report = await testOciConnection(client);
      assert.equal(report.auth, "refused");
      assert.equal(report.ok, false);
      assert.ok(!printedForms(report).includes(WRONG_SECRET));
    });
    await t.step("no credentials (token without access)", async () => {
      using client = clientFor(reg);
      await assert.rejects(
        pullArtifact(client, "x:1.0.0"),
        (e) => assertRefused(e, reg, /requires authentication to pull/),
      );
    });
  },
  { variant: "token" },
);
