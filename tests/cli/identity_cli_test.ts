/**
 * Content identity through the real CLI and the real registry: a cache entry answers only for
 * the origin (registry + repository) it came from and the digest its tag still names.
 * Two namespaces hold different bytes under the same name and version and are loaded
 * alternately; a version republished in place is noticed by the HEAD a range load sends
 * anyway, replaced, and warned about with both digests; an exact hit of the same origin
 * sends no request at all, in a scoped launch and in the broad launch users get (which asks
 * the registry for its token realm once a day, remembered in the cache).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome, publish } from "../loader/_fixture.ts";
import { getArtifactManifest } from "../../src/oci/mod.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { requestsDuring } from "../publish/_publish_helpers.ts";
import { printedFlags, runCli } from "./run_cli.ts";

const PERMISSIONS = ["--allow-read", "--allow-env", "--allow-write", "--allow-net"];

registryTest(
  "ext load: a cache entry answers only for its own origin and digest",
  async (t, reg) => {
    const nsA = uniqueNamespace("ident-a");
    const nsB = uniqueNamespace("ident-b");
    using clientA = clientFor(reg, { settings: { namespace: nsA } });
    using clientB = clientFor(reg, { settings: { namespace: nsB } });
    const spec = { name: "ident", type: "taskserv", version: "2.0.0" } as const;
    const a = await publish(clientA, { ...spec, files: { "data.txt": "from A\n" } });
    const b = await publish(clientB, { ...spec, files: { "data.txt": "poisoned B\n" } });
    assert.notEqual(a.digest, b.digest);
    const home = await makeHome();
    try {
      const env = cliEnv(home, reg.host, nsA);
      const cli = (...args: string[]) =>
        runCli(args, { home: home.home, env, permissions: PERMISSIONS });
      const entry = join(home.cacheDir, "extensions", "taskserv", "ident", "2.0.0");
      const load = async (namespace: string, version: string) => {
        const run = await cli(
          "--namespace",
          namespace,
          "ext",
          "load",
          "ident",
          "--version",
          version,
          "--format",
          "json",
        );
        assert.equal(run.code, 0, run.stderr);
        return { result: JSON.parse(run.stdout), stderr: run.stderr };
      };

      await t.step("two namespaces, loaded alternately, each give their own bytes", async () => {
        for (
          const [namespace, published, text] of [
            [nsA, a, "from A\n"],
            [nsB, b, "poisoned B\n"],
            [nsA, a, "from A\n"],
            [nsB, b, "poisoned B\n"],
          ] as const
        ) {
          const { result } = await load(namespace, "2.0.0");
          assert.equal(result.digest, published.digest, `namespace ${namespace}`);
          assert.equal(await Deno.readTextFile(join(result.path, "data.txt")), text);
        }
      });

      await t.step("cache list shows the origin and digest of the entry", async () => {
        const run = await cli("ext", "cache", "list", "--format", "json");
        assert.equal(run.code, 0, run.stderr);
        const [row] = JSON.parse(run.stdout);
        assert.equal(row.registry, reg.host);
        assert.equal(row.repository, `${nsB}/ident`);
        assert.equal(row.digest, b.digest);
      });

      await t.step("ext info says cached only for the namespace the entry came from", async () => {
        for (const [namespace, cached] of [[nsA, false], [nsB, true]] as const) {
          const run = await cli(
            "--namespace",
            namespace,
            "ext",
            "info",
            "ident",
            "--source",
            "oci",
            "--format",
            "json",
          );
          assert.equal(run.code, 0, run.stderr);
          const info = JSON.parse(run.stdout);
          assert.equal(info.cached, cached, namespace);
          assert.deepEqual(info.cachedVersions, cached ? ["2.0.0"] : []);
        }
      });

      await t.step("an exact hit of the same origin sends no request (scoped launch)", async () => {
        const args = ["--namespace", nsB, "ext", "load", "ident", "--version", "2.0.0"];
        const options = { home: home.home, env };
        const permissions = await printedFlags(args, options);
        const requests = await requestsDuring(reg, async () => {
          const run = await runCli(args, { ...options, permissions });
          assert.equal(run.code, 0, run.stderr);
          assert.match(run.stdout, /from oci: /);
        });
        assert.deepEqual(requests, []);
      });

      await t.step("ext info asks for tags, manifest and config once each", async () => {
        const manifest = await getArtifactManifest(clientB, `ident:2.0.0`);
        assert.equal(manifest.kind, "manifest");
        const configDigest = manifest.kind === "manifest" ? manifest.manifest.config.digest : "";
        const requests = await requestsDuring(reg, async () => {
          const run = await cli("--namespace", nsB, "ext", "info", "ident", "--source", "oci");
          assert.equal(run.code, 0, run.stderr);
        });
        // The broad launch's token-realm question is remembered (asked at most once a day).
        const paths = requests.map((r) => `${r.method} ${r.path}`).filter((p) => p !== "GET /v2/");
        assert.deepEqual(paths, [
          `GET /v2/${nsB}/ident/tags/list`,
          `GET /v2/${nsB}/ident/manifests/2.0.0`,
          `GET /v2/${nsB}/ident/blobs/${configDigest}`,
        ]);
      });

      await t.step("an exact hit sends no request in the broad launch either", async () => {
        const args = ["--namespace", nsB, "ext", "load", "ident", "--version", "2.0.0"];
        const options = { home: home.home, env };
        // A first broad launch learns the token realm (one GET /v2/), remembered for a day.
        const first = await requestsDuring(reg, async () => {
          assert.equal((await runCli(args, options)).code, 0);
        });
        assert.ok(first.length <= 1, first.join(", "));
        const requests = await requestsDuring(reg, async () => {
          const run = await runCli(args, options);
          assert.equal(run.code, 0, run.stderr);
          assert.match(run.stdout, /from oci: /);
        });
        assert.deepEqual(requests, []);
      });

      await t.step(
        "a republished version is replaced, with a warning naming both digests",
        async () => {
          await load(nsA, "^2.0.0");
          const republished = await publish(clientA, {
            ...spec,
            files: { "data.txt": "A again\n" },
          });
          const { result, stderr } = await load(nsA, "^2.0.0");
          assert.equal(result.digest, republished.digest);
          assert.equal(await Deno.readTextFile(join(entry, "data.txt")), "A again\n");
          const warnings = stderr.split("\n").filter((line) => line.startsWith("warning:"));
          assert.equal(warnings.length, 1, stderr);
          assert.ok(warnings[0]!.includes(a.digest) && warnings[0]!.includes(republished.digest));
          const again = await load(nsA, "^2.0.0");
          assert.equal(again.stderr, "", "the replaced entry is current: no second warning");
        },
      );

      await reg.stop();
      await t.step("registry stopped: an entry of another namespace never answers", async () => {
        const other = uniqueNamespace("ident-c");
        for (const version of ["2.0.0", "^2.0.0"]) {
          const run = await cli("--namespace", other, "ext", "load", "ident", "--version", version);
          assert.equal(run.code, 4, run.stderr);
          assert.equal(run.stdout, "");
        }
        const { result } = await load(nsA, "2.0.0");
        assert.equal(await Deno.readTextFile(join(result.path, "data.txt")), "A again\n");
      });
    } finally {
      await home.cleanup();
    }
  },
);
