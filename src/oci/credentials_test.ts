import assert from "node:assert/strict";
import {
  chainCredentials,
  credentialsFilePath,
  defaultCredentialStore,
  dockerConfigCredentials,
  memoryCredentials,
  provisioningCredentials,
  removeCredentials,
  saveCredentials,
  tokenFileCredentials,
} from "./credentials.ts";

const SECRET = "pa55-W0rd-never-printed";

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "oci-cred-test-" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

function assertNoSecret(value: unknown): void {
  const seen = new Set<unknown>();
  const texts: string[] = [];
  const walk = (v: unknown) => {
    if (v === null || v === undefined || seen.has(v)) return;
    seen.add(v);
    texts.push(String(v), Deno.inspect(v, { depth: 10 }));
    try {
      texts.push(JSON.stringify(v));
    } catch {
      // circular: inspect covers it
    }
    if (v instanceof Error) {
      walk(v.cause);
      walk((v as { hint?: unknown }).hint);
      walk((v as { details?: unknown }).details);
    }
  };
  walk(value);
  for (const text of texts) assert.ok(!text.includes(SECRET), `secret leaked in: ${text}`);
}

Deno.test("tokenFileCredentials() reads a bearer token or user:password for one registry", async (t) => {
  await withHome(async (home) => {
    const cases: [string, string, string][] = [
      [`${SECRET}\n`, "bearer", ""],
      [`alice:${SECRET}\n`, "basic", "alice"],
      [`  bob:${SECRET}:with:colons  `, "basic", "bob"],
    ];
    for (const [content, kind, username] of cases) {
      await t.step(`${kind} ${username}`, async () => {
        const path = `${home}/token`;
        await Deno.writeTextFile(path, content, { mode: 0o600 });
        const store = tokenFileCredentials(path, "https://Reg.Example.com");
        const cred = await store.get("reg.example.com");
        assert.equal(cred?.kind, kind);
        if (cred?.kind === "basic") {
          assert.equal(cred.username, username);
          assert.ok(cred.password.reveal().startsWith(SECRET));
        }
        if (cred?.kind === "bearer") assert.equal(cred.token.reveal(), SECRET);
        assert.match(cred!.source, /token file/);
        assert.equal(await store.get("other.example.com"), undefined);
        assertNoSecret(cred);
      });
    }
  });
});

Deno.test("tokenFileCredentials() reports an unreadable or empty file with INVALID_CONFIG", async () => {
  await withHome(async (home) => {
    await assert.rejects(
      tokenFileCredentials(`${home}/missing`, "r:1").get("r:1"),
      { code: "INVALID_CONFIG", message: /Cannot read token file/ },
    );
    await Deno.writeTextFile(`${home}/empty`, "\n");
    await assert.rejects(
      tokenFileCredentials(`${home}/empty`, "r:1").get("r:1"),
      { code: "INVALID_CONFIG", message: /is empty/ },
    );
  });
});

Deno.test("tokenFileCredentials() notes a token file readable by others", async () => {
  await withHome(async (home) => {
    const notes: string[] = [];
    await Deno.writeTextFile(`${home}/token`, SECRET);
    await Deno.chmod(`${home}/token`, 0o644);
    await tokenFileCredentials(`${home}/token`, "r:1", (n) => notes.push(n)).get("r:1");
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /readable by other users/);
    assertNoSecret(notes);
  });
});

Deno.test("saveCredentials() writes 0600 atomically and removeCredentials() deletes", async () => {
  await withHome(async (home) => {
    const path = await saveCredentials(home, "http://LocalHost:5000/", "alice", SECRET);
    assert.equal(path, credentialsFilePath(home));
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${home}/.provisioning`)).mode! & 0o777, 0o700);
    await saveCredentials(home, "ghcr.io", "bob", "other");
    await saveCredentials(home, "localhost:5000", "alice2", SECRET);
    const entries = [...Deno.readDirSync(`${home}/.provisioning`)].map((e) => e.name);
    assert.deepEqual(entries, ["credentials.json"], "no temp files left behind");
    const doc = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual(Object.keys(doc.auths).sort(), ["ghcr.io", "localhost:5000"]);
    assert.equal(atob(doc.auths["localhost:5000"].auth), `alice2:${SECRET}`);

    const cred = await provisioningCredentials(home).get("localhost:5000");
    assert.equal(cred?.kind === "basic" && cred.username, "alice2");
    assertNoSecret(cred);

    assert.equal(await removeCredentials(home, "localhost:5000"), true);
    assert.equal(await removeCredentials(home, "localhost:5000"), false);
    assert.equal(await provisioningCredentials(home).get("localhost:5000"), undefined);
    assert.equal((await provisioningCredentials(home).get("ghcr.io"))?.kind, "basic");
  });
});

Deno.test("saveCredentials() refuses a user name with a colon", async () => {
  await withHome(async (home) => {
    await assert.rejects(saveCredentials(home, "r:1", "a:b", SECRET), { code: "USAGE" });
    await assert.rejects(saveCredentials(home, "r:1", "", SECRET), { code: "USAGE" });
  });
});

Deno.test("a corrupt credentials file is an error that quotes no content", async () => {
  await withHome(async (home) => {
    await Deno.mkdir(`${home}/.provisioning`);
    await Deno.writeTextFile(credentialsFilePath(home), `{"auths": ${SECRET}`);
    const error = await provisioningCredentials(home).get("r:1").catch((e) => e);
    assert.equal(error.code, "INVALID_CONFIG");
    assertNoSecret(error);
    await assert.rejects(saveCredentials(home, "r:1", "u", "p"), { code: "INVALID_CONFIG" });
  });
});

Deno.test("dockerConfigCredentials() reads auths, identity tokens and runs helpers", async () => {
  await withHome(async (home) => {
    await Deno.mkdir(`${home}/.docker`);
    await Deno.writeTextFile(
      `${home}/.docker/config.json`,
      JSON.stringify({
        auths: {
          "https://index.docker.io/v1/": { auth: btoa(`hub:${SECRET}`) },
          "localhost:5000": { username: "alice", password: SECRET },
          "broken.example.com": { auth: "!!!" },
          "helper.example.com": {},
          "id.example.com": { identitytoken: SECRET },
        },
        credHelpers: { "gcr.io": "gcloud" },
      }),
    );
    const notes: string[] = [];
    const asked: string[] = [];
    const store = dockerConfigCredentials(`${home}/.docker`, {
      onNote: (n) => notes.push(n),
      runHelper: (program, action, input) => {
        asked.push(`${program} ${action} ${input}`);
        return Promise.resolve({
          code: 1,
          stdout: "credentials not found in native keychain\n",
          stderr: "",
        });
      },
    });
    const hub = await store.get("index.docker.io");
    assert.equal(hub?.kind === "basic" && hub.username, "hub");
    const local = await store.get("localhost:5000");
    assert.equal(local?.kind === "basic" && local.password.reveal(), SECRET);
    assert.equal(await store.get("broken.example.com"), undefined);
    assert.equal(await store.get("gcr.io"), undefined);
    assert.deepEqual(asked, ["docker-credential-gcloud get gcr.io"]);
    const id = await store.get("id.example.com");
    assert.equal(id?.kind === "identity" && id.token.reveal(), SECRET);
    assert.ok(notes.some((n) => /broken\.example\.com/.test(n)), notes.join("\n"));
    assert.ok(!notes.some((n) => /helper\.example\.com/.test(n)), notes.join("\n"));
    assertNoSecret(notes);
  });
});

Deno.test("dockerConfigCredentials() ignores an invalid file with a note", async () => {
  await withHome(async (home) => {
    await Deno.mkdir(`${home}/.docker`);
    await Deno.writeTextFile(`${home}/.docker/config.json`, `{${SECRET}`);
    const notes: string[] = [];
    const store = dockerConfigCredentials(`${home}/.docker`, { onNote: (n) => notes.push(n) });
    assert.equal(await store.get("r:1"), undefined);
    assert.equal(notes.length, 1);
    assertNoSecret(notes);
  });
});

Deno.test("defaultCredentialStore() prefers token file, then our file, then Docker's", async () => {
  await withHome(async (home) => {
    await Deno.writeTextFile(`${home}/token`, `tok-user:${SECRET}`, { mode: 0o600 });
    await saveCredentials(home, "localhost:5000", "ours", SECRET);
    await saveCredentials(home, "ghcr.io", "ours", SECRET);
    await Deno.mkdir(`${home}/.docker`);
    await Deno.writeTextFile(
      `${home}/.docker/config.json`,
      JSON.stringify({
        auths: { "ghcr.io": { auth: btoa("docker:x") }, "quay.io": { auth: btoa("docker:x") } },
      }),
    );
    const store = defaultCredentialStore(
      { registry: "localhost:5000", auth_token_path: `${home}/token` },
      { home },
    );
    const user = async (r: string) => {
      const c = await store.get(r);
      return c?.kind === "basic" ? c.username : c?.kind;
    };
    assert.equal(await user("localhost:5000"), "tok-user");
    assert.equal(await user("ghcr.io"), "ours");
    assert.equal(await user("quay.io"), "docker");
    assert.equal(await user("example.com"), undefined);
    const noHome = defaultCredentialStore({ registry: "r:1", auth_token_path: undefined });
    assert.equal(await noHome.get("localhost:5000"), undefined);
  });
});

Deno.test("memoryCredentials() and chainCredentials() hold secrets that never print", async () => {
  const store = chainCredentials([
    memoryCredentials({ "r:1": { username: "u", password: SECRET } }),
  ]);
  const cred = await store.get("r:1");
  assert.equal(cred?.kind, "basic");
  assertNoSecret(cred);
});
