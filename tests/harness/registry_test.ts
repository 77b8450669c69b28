import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { isProvisioningError } from "../../src/errors.ts";
import { spawnRegistry } from "./_registry_process.ts";
import {
  BASIC_REALM,
  registryTest,
  startRegistry,
  type TestRegistry,
  TOKEN_SERVICE,
} from "./registry.ts";

/** Fetches `url` and returns status, headers and the consumed body text. */
async function get(url: string, init: RequestInit & { client?: Deno.HttpClient } = {}) {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** `Authorization: Basic …` for a user and password. */
function basic(username = "", password = ""): HeadersInit {
  return { authorization: `Basic ${btoa(`${username}:${password}`)}` };
}

/** Whether a process with this PID still exists (reaped children leave no /proc entry). */
function processExists(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/** The `key="value"` parameters of a `WWW-Authenticate` challenge. */
function challengeParams(header: string | null): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [, key, value] of (header ?? "").matchAll(/(\w+)="([^"]*)"/g)) {
    if (key !== undefined && value !== undefined) params[key] = value;
  }
  return params;
}

/** Asks the token variant's realm for a token with `scopes`, as the Bearer flow does. */
async function fetchToken(reg: TestRegistry, scopes: string[], auth: HeadersInit = {}) {
  const challenge = (await get(`${reg.url}/v2/`)).headers.get("www-authenticate");
  const { realm, service } = challengeParams(challenge);
  assert.ok(realm, `no realm in challenge ${challenge}`);
  const url = new URL(realm);
  url.searchParams.set("service", service ?? "");
  for (const scope of scopes) url.searchParams.append("scope", scope);
  const res = await get(url.href, { headers: auth });
  const token = res.status === 200 ? (JSON.parse(res.body) as { token: string }).token : "";
  return { status: res.status, body: res.body, token };
}

registryTest("plain registry answers /v2/ with 200 anonymously", async (_t, reg) => {
  assert.match(reg.host, /^[^/]+:\d+$/);
  assert.equal(reg.url, `http://${reg.host}`);
  const res = await get(`${reg.url}/v2/`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("docker-distribution-api-version"), "registry/2.0");
});

registryTest("requestLog() holds the registry's own log of each request", async (_t, reg) => {
  assert.match(reg.host, /^127\.0\.0\.1:\d+$/);
  assert.doesNotMatch(reg.requestLog(), /\/v2\/ns\/probe\/tags\/list/);
  const res = await get(`${reg.url}/v2/ns/probe/tags/list`);
  assert.equal(res.status, 404);
  assert.match(reg.requestLog(), /\/v2\/ns\/probe\/tags\/list/);
}, { localOnly: true });

registryTest(
  "basic registry challenges with its realm and accepts the right user",
  async (t, reg) => {
    assert.ok(reg.username && reg.password);
    const cases: Array<{ name: string; headers: HeadersInit; status: number }> = [
      { name: "no credentials", headers: {}, status: 401 },
      { name: "wrong password", headers: basic(reg.username, "wrong"), status: 401 },
      { name: "right credentials", headers: basic(reg.username, reg.password), status: 200 },
    ];
    for (const c of cases) {
      await t.step(`${c.name} → ${c.status}`, async () => {
        const res = await get(`${reg.url}/v2/`, { headers: c.headers });
        assert.equal(res.status, c.status);
        if (c.status === 401) {
          assert.equal(res.headers.get("www-authenticate"), `Basic realm="${BASIC_REALM}"`);
        }
      });
    }
  },
  { variant: "basic" },
);

registryTest(
  "token registry runs the Bearer flow against the harness token endpoint",
  async (t, reg) => {
    assert.ok(reg.username && reg.password && reg.tokenRequests);
    const user = basic(reg.username, reg.password);

    await t.step("/v2/ without a token → 401 Bearer challenge", async () => {
      const res = await get(`${reg.url}/v2/`);
      assert.equal(res.status, 401);
      const challenge = res.headers.get("www-authenticate") ?? "";
      assert.match(challenge, /^Bearer /);
      const params = challengeParams(challenge);
      assert.match(params.realm ?? "", /^http:\/\/127\.0\.0\.1:\d+\/token$/);
      assert.equal(params.service, TOKEN_SERVICE);
    });

    await t.step("wrong credentials → 401 from the token endpoint", async () => {
      const res = await fetchToken(reg, ["repository:ns/x:pull"], basic(reg.username, "wrong"));
      assert.equal(res.status, 401);
    });

    await t.step("/v2/ with a user's token → 200", async () => {
      const { status, token } = await fetchToken(reg, [], user);
      assert.equal(status, 200);
      const res = await get(`${reg.url}/v2/`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
    });

    await t.step("a blob pushes through the real upload flow with push scope", async () => {
      const { token } = await fetchToken(reg, ["repository:ns/x:pull,push"], user);
      const auth = { authorization: `Bearer ${token}` };
      const blob = new TextEncoder().encode("hello registry\n");
      const digest = `sha256:${createHash("sha256").update(blob).digest("hex")}`;
      const start = await get(`${reg.url}/v2/ns/x/blobs/uploads/`, {
        method: "POST",
        headers: auth,
      });
      assert.equal(start.status, 202, start.body);
      const location = start.headers.get("location");
      assert.ok(location);
      const put = await get(`${location}&digest=${encodeURIComponent(digest)}`, {
        method: "PUT",
        headers: { ...auth, "content-type": "application/octet-stream" },
        body: blob,
      });
      assert.equal(put.status, 201, put.body);
      const back = await get(`${reg.url}/v2/ns/x/blobs/${digest}`, { headers: auth });
      assert.equal(back.status, 200);
      assert.equal(back.body, "hello registry\n");
    });

    await t.step("pull-only token cannot push", async () => {
      const { token } = await fetchToken(reg, ["repository:ns/x:pull"], user);
      const res = await get(`${reg.url}/v2/ns/x/blobs/uploads/`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 401);
    });

    await t.step("catalog needs registry:catalog:*", async () => {
      const { token } = await fetchToken(reg, ["registry:catalog:*"], user);
      const res = await get(`${reg.url}/v2/_catalog`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), { repositories: ["ns/x"] });
    });

    await t.step("anonymous token carries no access", async () => {
      const { status, token } = await fetchToken(reg, ["repository:ns/x:pull"]);
      assert.equal(status, 200);
      const res = await get(`${reg.url}/v2/ns/x/tags/list`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 401);
    });

    await t.step("tokenRequests() counts every request to the endpoint", () => {
      assert.equal(reg.tokenRequests?.(), 6);
    });
  },
  { variant: "token" },
);

registryTest("tls registry is trusted with its CA and refused without it", async (t, reg) => {
  assert.equal(reg.url, `https://${reg.host}`);
  assert.ok(reg.caCertPem && reg.caFile);
  assert.equal(await Deno.readTextFile(reg.caFile), reg.caCertPem);

  await t.step("with the CA → 200", async () => {
    using client = Deno.createHttpClient({ caCerts: [reg.caCertPem ?? ""] });
    const res = await get(`${reg.url}/v2/`, { client });
    assert.equal(res.status, 200);
  });

  await t.step("without the CA → TLS error", async () => {
    await assert.rejects(fetch(`${reg.url}/v2/`), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.match(String(error.cause ?? error.message), /certificate|UnknownIssuer/i);
      return true;
    });
  });
}, { variant: "tls" });

registryTest("delete can be disabled", async (_t, reg) => {
  const res = await get(`${reg.url}/v2/ns/x/manifests/sha256:${"0".repeat(64)}`, {
    method: "DELETE",
  });
  assert.equal(res.status, 405);
  assert.match(res.body, /UNSUPPORTED/);
}, { deleteEnabled: false, localOnly: true });

registryTest("two registries at once listen on different ports", async (_t, first) => {
  const second = await startRegistry();
  try {
    assert.notEqual(first.host, second.host);
    assert.notEqual(first.dataDir, second.dataDir);
    assert.equal((await get(`${second.url}/v2/`)).status, 200);
  } finally {
    await second.stop();
  }
}, { localOnly: true });

registryTest("stop() is idempotent, ends the process and removes its dirs", async (t) => {
  for (const variant of ["plain", "basic", "token", "tls"] as const) {
    await t.step(variant, async () => {
      const reg = await startRegistry({ variant });
      const pid = reg.pid ?? -1;
      assert.ok(processExists(pid), "registry process should run before stop()");
      await Promise.all([reg.stop(), reg.stop()]);
      await reg.stop();
      assert.ok(!processExists(pid), `registry process ${pid} still exists after stop()`);
      await assert.rejects(Deno.stat(reg.dataDir), Deno.errors.NotFound);
    });
  }
}, { localOnly: true });

registryTest("a registry that cannot start fails with its log as the cause", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = `${dir}/config.json`;
    await Deno.writeTextFile(config, JSON.stringify({ version: 0.1, storage: { nosuch: {} } }));
    await assert.rejects(spawnRegistry(config), (error: unknown) => {
      assert.ok(isProvisioningError(error, "INTERNAL"));
      assert.match(error.message, /^Test registry exited with code \d+ before listening$/);
      assert.match(String((error.cause as Error).message), /^registry log:\n.*nosuch/s);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}, { localOnly: true });
