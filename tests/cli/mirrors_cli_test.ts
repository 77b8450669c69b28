/**
 * `[[oci.mirrors]]` through the real CLI: a real pull-through cache (distribution in proxy
 * mode) in front of the real registry, behind a mirror that is down; pulls keep working
 * with the registry stopped, and what is cached and printed names the canonical registry. A
 * digest-only mirror is never asked to resolve a tag; a blocked prefix is refused; a mirror
 * serving other bytes for a digest is exit 5 (that mirror is a fault-server stand-in: a real
 * registry never serves bytes that do not match the digest it is asked for).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { startFaultServer } from "../harness/fault_server.ts";
import { freePort } from "../harness/git_server.ts";
import { registryTest, startRegistry } from "../harness/registry.ts";
import { cliEnv, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

registryTest("pulls go through the mirrors in order, then the registry", async (t, upstream) => {
  const namespace = uniqueNamespace("mirror");
  using client = clientFor(upstream, { settings: { namespace } });
  const published = await publish(client, {
    name: "mirrored",
    type: "taskserv",
    version: "1.0.0",
    files: { "README.md": "through the mirror\n" },
  });
  const proxy = await startRegistry({ proxyRemoteUrl: upstream.url });
  const down = `127.0.0.1:${freePort()}`;
  const home = await makeHome();
  try {
    const config = (mirror: string) =>
      Deno.writeTextFile(
        join(home.home, ".provisioning", "config.toml"),
        `[oci]\nretry_count = 0\ntimeout = 10\n${mirror}`,
      );
    const env = cliEnv(home, upstream.host, namespace);
    const load = (cache: string, ...args: string[]) =>
      runCli(["ext", "load", ...args, "--source", "oci", "--format", "json"], {
        home: home.home,
        env: { ...env, PROVISIONING_CACHE_DIR: join(home.home, cache) },
      });

    await t.step("a down mirror is passed over; the pull-through cache answers", async () => {
      await config(
        `[[oci.mirrors]]\nprefix = "${upstream.host}"\nlocations = ["${down}", "${proxy.host}"]\n`,
      );
      const run = await load("cache-1", "mirrored", "--version", "1.0.0");
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, new RegExp(`Mirror "${down}" failed`));
      const result = JSON.parse(run.stdout);
      // Identity is the canonical registry, whichever mirror delivered the bytes.
      assert.equal(
        result.reference,
        `${upstream.host}/${namespace}/mirrored@${published.digest}`,
      );
      assert.match(proxy.requestLog(), new RegExp(`/v2/${namespace}/mirrored/manifests/`));
    });

    await t.step("with the registry stopped, the mirror still serves", async () => {
      await upstream.stop();
      const run = await load("cache-2", "mirrored", "--version", "1.0.0");
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).digest, published.digest);
    });

    await t.step("a digest-only mirror never resolves a tag", async () => {
      await config(
        `[[oci.mirrors]]\nprefix = "${upstream.host}/${namespace}"\n` +
          `locations = ["${proxy.host}"]\ndigest_only = true\n`,
      );
      const byTag = await load("cache-3", "mirrored", "--version", "1.0.0");
      assert.equal(byTag.code, 4, byTag.stderr); // the tag goes to the stopped registry
      const byDigest = await load("cache-3", `mirrored@${published.digest}`);
      assert.equal(byDigest.code, 0, byDigest.stderr);
      assert.equal(JSON.parse(byDigest.stdout).version, "1.0.0");
    });

    await t.step("a blocked prefix is refused, exit 5", async () => {
      await config(`[[oci.mirrors]]\nprefix = "${upstream.host}"\nblocked = true\n`);
      const run = await load("cache-4", "mirrored", "--version", "1.0.0");
      assert.equal(run.code, 5, run.stderr);
      assert.match(
        run.stderr,
        /^error: ".*" is blocked by \[\[oci\.mirrors\]\] \(blocked = true\)$/m,
      );
    });

    await t.step("a mirror serving other bytes for a digest is exit 5", async () => {
      const liar = await startFaultServer([{
        path: /\/manifests\/sha256:/,
        respond: () =>
          new Response(JSON.stringify({ schemaVersion: 2, layers: [] }), {
            headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" },
          }),
      }]);
      try {
        await config(
          `[[oci.mirrors]]\nprefix = "${upstream.host}"\nlocations = ["${liar.host}"]\n` +
            "digest_only = true\n",
        );
        const run = await load("cache-5", `mirrored@${published.digest}`);
        assert.equal(run.code, 5, run.stderr);
        assert.match(run.stderr, /^hint: The mirror "127\.0\.0\.1:\d+" sent different bytes/m);
        // Nothing of it reached the cache.
        const entries = await Array.fromAsync(Deno.readDir(join(home.home, "cache-5")))
          .catch(() => []);
        assert.ok(!entries.some((e) => e.name === "taskservs"), JSON.stringify(entries));
      } finally {
        await liar.close();
      }
    });
  } finally {
    await proxy.stop();
    await home.cleanup();
  }
});
