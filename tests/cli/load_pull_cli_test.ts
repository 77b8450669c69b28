/**
 * `ext load` and `ext pull` against the real registry, spawned as a user runs them: the
 * JSON shape (with `digest`), exit codes (3 not found, 2 type mismatch, 5 corrupt blob,
 * 4 registry down with nothing cached), the auto order, `--offline`, a cache hit with the
 * registry stopped, and no progress output when stderr is not a terminal.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome, publish, storedBlobPath, writeExtension } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

const PERMISSIONS = ["--allow-read", "--allow-env", "--allow-write", "--allow-net"];
const STACK_LINE = /^\s+at /m;

registryTest(
  "ext load/pull from the registry: shapes, exit codes, auto, offline",
  async (t, reg) => {
    const namespace = uniqueNamespace("cli-load");
    using client = clientFor(reg, { settings: { namespace } });
    const v100 = await publish(client, { name: "clidemo", type: "taskserv", version: "1.0.0" });
    const v110 = await publish(client, { name: "clidemo", type: "taskserv", version: "1.1.0" });
    await publish(client, { name: "shared", type: "taskserv", version: "1.0.0" });
    const tampered = await publish(client, {
      name: "tampered",
      type: "provider",
      version: "1.0.0",
    });
    const home = await makeHome();
    try {
      await writeExtension(home.localDir, "shared", "shared", "taskserv", "1.0.0");
      const env = cliEnv(home, reg.host, namespace);
      const cli = (...args: string[]) =>
        runCli(args, { home: home.home, env, permissions: PERMISSIONS });

      await t.step("pull prints the load shape with the manifest digest", async () => {
        const run = await cli("ext", "pull", "clidemo", "--version", "~1.0.0", "--format", "json");
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, "", "no progress or notes when stderr is not a terminal");
        const result = JSON.parse(run.stdout);
        assert.deepEqual(Object.keys(result), [
          "success",
          "name",
          "type",
          "version",
          "source",
          "path",
          "digest",
          "reference",
        ]);
        assert.equal(result.version, "1.0.0");
        assert.equal(result.source, "oci");
        assert.equal(result.digest, v100.digest);
        assert.equal(result.reference, `${reg.host}/${namespace}/clidemo@${v100.digest}`);
        assert.equal(
          result.path,
          join(home.cacheDir, "extensions", "taskserv", "clidemo", "1.0.0"),
        );
      });

      await t.step("load of the highest version prints one line", async () => {
        const run = await cli("ext", "load", "clidemo");
        assert.equal(run.code, 0, run.stderr);
        assert.equal(
          run.stdout,
          `Loaded taskserv clidemo 1.1.0 from oci: ${
            join(home.cacheDir, "extensions", "taskserv", "clidemo", "1.1.0")
          }\n`,
        );
      });

      await t.step("auto: the local copy wins over the registry's", async () => {
        const run = await cli("ext", "load", "shared", "--format", "json");
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout);
        assert.equal(result.source, "local");
        assert.equal(result.path, join(home.localDir, "shared"));
        assert.equal(result.digest, null, "a folder used in place has no content digest");
        assert.equal(result.reference, null);
      });

      await t.step("exit codes: 3 not found, 2 type mismatch, 5 corrupt blob", async () => {
        const missing = await cli("ext", "load", "nothere", "--source", "oci");
        assert.equal(missing.code, 3, missing.stderr);
        assert.match(missing.stderr, /^error: Extension "nothere" not found in registry/);

        const wrongType = await cli(
          "ext",
          "pull",
          "clidemo",
          "--type",
          "cluster",
          "--source",
          "oci",
        );
        assert.equal(wrongType.code, 2, wrongType.stderr);
        assert.match(wrongType.stderr, /is a taskserv, not a cluster/);

        // The registry serves whatever its storage holds: flip one byte of the stored layer.
        const data = storedBlobPath(reg, tampered.layerDigest);
        const bytes = await Deno.readFile(data);
        bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
        await Deno.writeFile(data, bytes);
        const corrupt = await cli("ext", "pull", "tampered", "--version", "1.0.0");
        assert.equal(corrupt.code, 5, corrupt.stderr);
        assert.match(corrupt.stderr, /Digest mismatch/);
        for (const run of [missing, wrongType, corrupt]) {
          assert.doesNotMatch(run.stderr, STACK_LINE);
          assert.equal(run.stdout, "");
        }
        const listed = await cli("ext", "cache", "list", "--format", "json");
        const keys = JSON.parse(listed.stdout).map((e: { key: string }) => e.key);
        assert.deepEqual(keys, ["taskserv/clidemo/1.0.0", "taskserv/clidemo/1.1.0"]);
      });

      await t.step("--offline answers from the cache", async () => {
        const run = await cli(
          "ext",
          "load",
          "clidemo",
          "--version",
          "^1.0.0",
          "--offline",
          "--format",
          "json",
        );
        assert.equal(run.code, 0, run.stderr);
        assert.equal(JSON.parse(run.stdout).digest, v110.digest);
      });

      await reg.stop();

      await t.step("registry stopped: an exact cached version loads, silently", async () => {
        const run = await cli("ext", "load", "clidemo", "--version", "1.0.0", "--format", "json");
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, "");
        assert.equal(JSON.parse(run.stdout).digest, v100.digest);
      });

      await t.step("registry stopped: a range warns and uses the best cached match", async () => {
        const run = await cli("ext", "load", "clidemo", "--version", "^1.0.0", "--source", "oci");
        assert.equal(run.code, 0, run.stderr);
        assert.match(
          run.stderr,
          /^warning: Cannot reach .*using cached taskserv "clidemo" 1\.1\.0$/m,
        );
      });

      await t.step("registry stopped, nothing cached: exit 4", async () => {
        for (const args of [["--source", "oci"], []]) {
          const run = await cli("ext", "load", "nothere", ...args);
          assert.equal(run.code, 4, run.stderr);
          assert.match(run.stderr, /^error: Cannot reach /);
          assert.doesNotMatch(run.stderr, STACK_LINE);
        }
      });
    } finally {
      await home.cleanup();
    }
  },
);

registryTest("a token file other users can read is a warning, without --debug", async (t, reg) => {
  const namespace = uniqueNamespace("cli-mode");
  using client = clientFor(reg, { settings: { namespace } });
  await publish(client, { name: "moded", type: "provider", version: "1.0.0" });
  const home = await makeHome();
  try {
    const token = join(home.home, "token");
    await Deno.writeTextFile(token, "user:secret\n", { mode: 0o644 });
    await Deno.chmod(token, 0o644);
    await Deno.writeTextFile(
      join(home.home, ".provisioning", "config.toml"),
      `[oci]\nretry_count = 0\nauth_token_path = "${token}"\n`,
    );
    const env = cliEnv(home, reg.host, namespace);
    for (const args of [["ext", "load", "moded"], ["ext", "list", "--source", "oci"]]) {
      await t.step(args.join(" "), async () => {
        const run = await runCli(args, { home: home.home, env });
        assert.equal(run.code, 0, run.stderr);
        const warnings = run.stderr.split("\n").filter((l) => l.includes("readable by other"));
        assert.equal(warnings.length, 1, run.stderr);
        assert.match(warnings[0]!, /^warning: Token file ".*token" is readable by other users/);
        assert.ok(!run.stderr.includes("secret"));
      });
    }
  } finally {
    await home.cleanup();
  }
});
