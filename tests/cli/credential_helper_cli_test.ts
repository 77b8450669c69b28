/**
 * Docker credential helpers and identity tokens through the real CLI (broad launch, scoped
 * worker — so the plan must allow running the helper) against the real registry: a helper
 * script `docker-credential-test` on PATH holds the only credentials of a Basic-auth
 * registry; `ext login` stores through it and `ext logout` erases from it; an `identitytoken`
 * in Docker's config is traded at the token service.
 *
 * The helper script speaks the protocol of github.com/docker/docker-credential-helpers:
 * `get`/`erase` read the server on stdin, `store` reads `{"ServerURL","Username","Secret"}`,
 * and a server it does not know is "credentials not found in native keychain", exit 1.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { IDENTITY_TOKEN } from "../harness/_token_server.ts";
import { registryTest } from "../harness/registry.ts";
import { runCli } from "./run_cli.ts";

/** Writes `docker-credential-test` into `bin`, keeping what it stores in `storeDir`. */
async function writeHelper(bin: string, storeDir: string): Promise<void> {
  await Deno.mkdir(bin, { recursive: true });
  await Deno.mkdir(storeDir, { recursive: true });
  const script = `#!/bin/bash
set -u
store=${JSON.stringify(storeDir)}
read -r -d '' input
case "$1" in
  get)
    f="$store/$(printf %s "$input" | tr -c 'A-Za-z0-9.-' _)"
    if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  store)
    server=$(printf %s "$input" | sed -E 's/.*"ServerURL":"([^"]*)".*/\\1/')
    printf %s "$input" > "$store/$(printf %s "$server" | tr -c 'A-Za-z0-9.-' _)" ;;
  erase)
    f="$store/$(printf %s "$input" | tr -c 'A-Za-z0-9.-' _)"
    if [ -f "$f" ]; then rm "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  *) echo "unknown action $1" >&2; exit 2 ;;
esac
`;
  const path = join(bin, "docker-credential-test");
  await Deno.writeTextFile(path, script, { mode: 0o755 });
}

registryTest(
  "a Docker credential helper holds the only credentials; login and logout go through it",
  async (t, reg) => {
    const home = await Deno.makeTempDir({ prefix: "cred-helper-" });
    try {
      const bin = join(home, "bin");
      const store = join(home, "helper-store");
      await writeHelper(bin, store);
      const dockerDir = join(home, "docker-conf");
      await Deno.mkdir(dockerDir);
      await Deno.writeTextFile(
        join(dockerDir, "config.json"),
        JSON.stringify({ auths: {}, credHelpers: { [reg.host]: "test" } }),
      );
      const env = {
        PATH: `${bin}:${Deno.env.get("PATH") ?? ""}`,
        DOCKER_CONFIG: dockerDir,
        PROVISIONING_OCI_REGISTRY: reg.host,
        PROVISIONING_CACHE_DIR: join(home, "cache"),
      };
      const cli = (args: string[], stdin?: string) =>
        runCli(args, { home, env, ...(stdin === undefined ? {} : { stdin }) });
      const testOci = async () => {
        const run = await cli(["ext", "test-oci", "--format", "json"]);
        return { code: run.code, auth: JSON.parse(run.stdout).auth, stderr: run.stderr };
      };

      await t.step("the plan allows running the helper, and nothing else", async () => {
        const run = await cli(["ext", "permissions", "test-oci", "--format", "json"]);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout).permissions.run, ["docker-credential-test"]);
      });

      await t.step("no credentials yet: the helper has none, exit 4", async () => {
        const result = await testOci();
        assert.equal(result.code, 4, result.stderr);
        assert.equal(result.auth, "required");
      });

      await t.step("login stores through the helper, not in our file", async () => {
        const run = await cli(
          ["ext", "login", reg.host, "-u", reg.username!, "--password-stdin"],
          `${reg.password}\n`,
        );
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /\(stored by docker-credential-test\)\n$/);
        assert.equal([...Deno.readDirSync(store)].length, 1);
        await assert.rejects(Deno.stat(join(home, ".provisioning", "credentials.json")));
        assert.ok(!run.stdout.includes(reg.password!) && !run.stderr.includes(reg.password!));
      });

      await t.step("the helper's credentials authenticate", async () => {
        const result = await testOci();
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.auth, "basic");
      });

      await t.step("logout erases from the helper", async () => {
        const run = await cli(["ext", "logout", reg.host]);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /from docker-credential-test/);
        assert.equal([...Deno.readDirSync(store)].length, 0);
        assert.equal((await testOci()).code, 4);
      });

      await t.step("a helper that is not installed is one line, exit 4", async () => {
        await Deno.writeTextFile(
          join(dockerDir, "config.json"),
          JSON.stringify({ credsStore: "missing-x9" }),
        );
        const run = await cli(["ext", "test-oci"]);
        assert.equal(run.code, 4, run.stderr);
        assert.match(
          run.stderr,
          /^error: Credential helper "docker-credential-missing-x9" is not installed$/m,
        );
      });
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
  { variant: "basic" },
);

registryTest("an identitytoken in Docker's config is traded for a token", async (_t, reg) => {
  const home = await Deno.makeTempDir({ prefix: "identity-token-" });
  try {
    await Deno.mkdir(join(home, ".docker"));
    await Deno.writeTextFile(
      join(home, ".docker", "config.json"),
      JSON.stringify({ auths: { [reg.host]: { identitytoken: IDENTITY_TOKEN } } }),
    );
    const run = await runCli(["ext", "test-oci", "--format", "json"], {
      home,
      env: { PROVISIONING_OCI_REGISTRY: reg.host },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).auth, "bearer");
    assert.ok(!run.stderr.includes(IDENTITY_TOKEN));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}, { variant: "token" });
