/**
 * `ext run` of an extension published to the real registry: the first run fetches it into
 * the cache (the launcher's prefetch) and still gets the hosts it declares; the hook reads
 * inside its cache entry only; the cache is left as it was.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { pushArtifact, type RegistryClient } from "../../src/oci/mod.ts";
import { packageExtension } from "../../src/publish/mod.ts";
import { runCli } from "../cli/run_cli.ts";
import { writeProbeExtension } from "./_fixture.ts";

async function publishDir(client: RegistryClient, dir: string, ref: string): Promise<void> {
  const pkg = await packageExtension(dir);
  try {
    await pushArtifact(client, ref, {
      config: pkg.config,
      layers: [pkg.layer],
      manifest: pkg.manifest.bytes,
    });
  } finally {
    await pkg.cleanup();
  }
}

/** Every path below `dir` with its size and modification time (what a change would move). */
async function snapshot(dir: string, skip: string): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      const full = join(path, entry.name);
      if (full === skip) continue;
      const info = await Deno.lstat(full);
      lines.push(`${full} ${info.size} ${info.mtime?.getTime()}`);
      if (entry.isDirectory) await walk(full);
    }
  };
  await walk(dir);
  return lines.sort();
}

registryTest(
  "ext run of a published extension: fetched, sandboxed in its cache entry",
  async (t, reg) => {
    const namespace = uniqueNamespace("cli-hooks");
    using client = clientFor(reg, { settings: { namespace } });
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () => new Response("pong"),
    );
    const home = await makeHome();
    const work = await Deno.makeTempDir({ prefix: "hooks-publish-" });
    try {
      const root = await writeProbeExtension(work, {
        name: "webreg",
        permissions: `{read: ["templates/"], net: ["127.0.0.1:${server.addr.port}"], timeout: 5}`,
      });
      await publishDir(client, root, "webreg:1.0.0");
      await writeProbeExtension(work, { name: "otherreg" });
      await publishDir(client, join(work, "otherreg"), "otherreg:1.0.0");
      const env = { ...cliEnv(home, reg.host, namespace), PROVISIONING_OCI_INSECURE: "true" };
      const run = async (name: string, input: unknown) => {
        await Deno.writeTextFile(join(home.home, "in.json"), JSON.stringify(input));
        return await runCli(["ext", "run", name, "probe", "--input", "in.json", "--approve"], {
          home: home.home,
          env,
        });
      };
      const entry = join(home.cacheDir, "extensions", "taskserv", "webreg", "1.0.0");

      await t.step("ext info from the registry shows the permissions", async () => {
        const info = await runCli(["ext", "info", "webreg", "-s", "oci", "-o", "json"], {
          home: home.home,
          env,
        });
        assert.equal(info.code, 0, info.stderr);
        assert.deepEqual(JSON.parse(info.stdout).permissions.net, [
          `127.0.0.1:${server.addr.port}`,
        ]);
      });
      await t.step("the first run fetches it and reaches the declared host", async () => {
        const out = await run("webreg", {
          action: "net",
          url: `http://127.0.0.1:${server.addr.port}/`,
        });
        assert.equal(out.code, 0, out.stderr);
        assert.deepEqual(JSON.parse(out.stdout), { ok: 200 });
        await Deno.stat(join(entry, "extension.yaml"));
      });
      await t.step("it renders from its cache entry", async () => {
        const out = await run("webreg", { action: "render", name: "reg" });
        assert.equal(out.code, 0, out.stderr);
        assert.deepEqual(JSON.parse(out.stdout), { text: "Hello reg!" });
      });
      await t.step("another cached extension's files are refused", async () => {
        const other = await run("otherreg", { action: "render", name: "x" });
        assert.equal(other.code, 0, other.stderr);
        const secret = join(
          home.cacheDir,
          "extensions",
          "taskserv",
          "otherreg",
          "1.0.0",
          "templates",
          "page.txt",
        );
        const out = await run("webreg", { action: "other", path: secret });
        assert.equal(out.code, 0, out.stderr);
        assert.equal(JSON.parse(out.stdout).refused, "NotCapable");
      });
      await t.step("hook runs leave the cache as it was", async () => {
        const tmp = join(home.cacheDir, "tmp");
        const before = await snapshot(home.cacheDir, tmp);
        const tries = {
          scratch: { action: "write-scratch" },
          outside: { action: "write-outside" },
        };
        assert.equal((await run("webreg", { action: "each", tries })).code, 0);
        assert.equal((await run("webreg", { action: "throw" })).code, 6);
        assert.deepEqual(await snapshot(home.cacheDir, tmp), before);
        const leftovers = [];
        for await (const e of Deno.readDir(tmp)) leftovers.push(e.name);
        assert.deepEqual(leftovers.filter((name) => name.includes(".hook")), []);
      });
    } finally {
      await server.shutdown();
      await home.cleanup();
      await Deno.remove(work, { recursive: true });
    }
  },
);
