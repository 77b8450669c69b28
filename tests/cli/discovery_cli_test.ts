/**
 * `ext list|search|discover|info|versions` spawned as a user runs them, against the real
 * registry and local folders: JSON shapes, filters, ranking, the discovery cache and
 * `--refresh`, and a registry that goes away (warning and local results, or exit 4).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest } from "../harness/registry.ts";
import { clientFor } from "../oci/_helpers.ts";
import {
  type FixtureExtension,
  inParallel,
  pushExtension,
  pushOrasArtifact,
  writeLocalExtension,
} from "../discovery/_fixtures.ts";
import { runCli } from "./run_cli.ts";

const STACK_LINE = /^\s+at /m;
const PERMISSIONS = ["--allow-read", "--allow-env", "--allow-write", "--allow-net"];

const EXTENSIONS: FixtureExtension[] = [
  {
    name: "kubernetes",
    type: "taskserv",
    versions: ["1.28.0", "1.29.1"],
    description: "Kubernetes control plane",
    dependencies: { containerd: "^1.7.0" },
    license: "Apache-2.0",
  },
  { name: "kube-proxy", type: "taskserv", versions: ["1.29.0"], description: "Service proxy" },
  { name: "containerd", type: "taskserv", versions: ["1.7.13"], description: "Runtime" },
  { name: "aws", type: "provider", versions: ["2.4.1"], description: "Amazon Web Services" },
  { name: "hetzner", type: "provider", versions: ["0.9.0"], description: "Hetzner Cloud" },
  { name: "buildkit", type: "cluster", versions: ["0.12.0"], description: "BuildKit" },
];

interface Row {
  name: string;
  type: string;
  version: string;
  versions: string[];
  source: string;
  description: string;
  score?: number;
}

registryTest(
  "ext list, search, discover, info and versions across local and OCI",
  async (t, reg) => {
    const home = await Deno.makeTempDir({ prefix: "cli-discovery-" });
    try {
      const namespace = `cli-${crypto.randomUUID().slice(0, 8)}`;
      {
        using client = clientFor(reg, { settings: { namespace } });
        await inParallel(EXTENSIONS, 6, (ext) => pushExtension(client, namespace, ext));
        await pushOrasArtifact(client, `${namespace}/oras-thing`, "0.1.0", {
          "org.opencontainers.image.description": "Pushed by oras",
        });
      }
      const exts = join(home, "exts");
      await writeLocalExtension(exts, {
        name: "kubernetes",
        type: "taskserv",
        description: "Local build",
      }, "1.30.0");
      await writeLocalExtension(exts, { name: "mine", type: "cluster" }, "0.0.1");
      await Deno.mkdir(join(home, ".provisioning"));
      await Deno.writeTextFile(
        join(home, ".provisioning", "config.toml"),
        "[oci]\nretry_count = 0\n",
      );
      const env = {
        PROVISIONING_OCI_REGISTRY: reg.host,
        PROVISIONING_OCI_NAMESPACE: namespace,
        PROVISIONING_EXTENSIONS_PATH: exts,
        PROVISIONING_CACHE_DIR: join(home, "cache"),
      };
      const run = (...args: string[]) => runCli(args, { home, env, permissions: PERMISSIONS });
      const json = async (...args: string[]) => {
        const result = await run(...args, "--format", "json");
        assert.equal(result.code, 0, result.stderr);
        assert.doesNotMatch(result.stderr, /warning/, result.stderr);
        return JSON.parse(result.stdout);
      };

      await t.step("list: every source, sorted by type, name and source order", async () => {
        const rows: Row[] = await json("ext", "list");
        assert.deepEqual(rows.map((r) => `${r.type}/${r.name}@${r.version} ${r.source}`), [
          "cluster/buildkit@0.12.0 oci",
          "cluster/mine@0.0.1 local",
          "provider/aws@2.4.1 oci",
          "provider/hetzner@0.9.0 oci",
          "taskserv/containerd@1.7.13 oci",
          "taskserv/kube-proxy@1.29.0 oci",
          "taskserv/kubernetes@1.30.0 local",
          "taskserv/kubernetes@1.29.1 oci",
          "unknown/oras-thing@0.1.0 oci",
        ]);
        for (const row of rows) {
          for (const key of ["name", "type", "version", "versions", "source", "description"]) {
            assert.ok(key in row, `missing ${key}`);
          }
        }
      });

      await t.step("list --source oci --type provider filters", async () => {
        const rows: Row[] = await json("ext", "list", "--source", "oci", "--type", "provider");
        assert.deepEqual(rows.map((r) => r.name), ["aws", "hetzner"]);
      });

      await t.step("list as a table has the documented header", async () => {
        const result = await run("ext", "list", "--source", "oci");
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /^NAME\s+TYPE\s+VERSION\s+SOURCE\s+DESCRIPTION$/m);
        assert.match(result.stdout, /^kubernetes\s+taskserv\s+1\.29\.1\s+oci\s+Kubernetes/m);
      });

      await t.step("search ranks and returns the list shape plus score", async () => {
        const hits: Row[] = await json("ext", "search", "kube");
        assert.deepEqual(hits.map((h) => `${h.name} ${h.source}`), [
          "kube-proxy oci",
          "kubernetes local",
          "kubernetes oci",
        ]);
        assert.ok(hits.every((h) => typeof h.score === "number"));
        const fuzzy: Row[] = await json("ext", "search", "hetzenr");
        assert.deepEqual(fuzzy.map((h) => h.name), ["hetzner"]);
        const byDescription: Row[] = await json("ext", "search", "amazon", "--type", "provider");
        assert.deepEqual(byDescription.map((h) => h.name), ["aws"]);
      });

      await t.step("search without a match says so on stderr", async () => {
        const result = await run("ext", "search", "zzzzqqq");
        assert.equal(result.code, 0);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /No extensions match "zzzzqqq"/);
      });

      await t.step("discover: rows by source, a summary line per source on stderr", async () => {
        const result = await run("ext", "discover", "--refresh", "--format", "json");
        assert.equal(result.code, 0, result.stderr);
        const rows: Row[] = JSON.parse(result.stdout);
        assert.deepEqual([...new Set(rows.map((r) => r.source))], ["local", "oci"]);
        assert.match(result.stderr, /^local .*: 2 extensions/m);
        assert.match(result.stderr, new RegExp(`^oci ${reg.host}/${namespace}: 7 extensions`, "m"));
        const cached = await run("ext", "discover", "--source", "oci");
        assert.match(cached.stderr, /7 extensions from the discovery cache/);
      });

      await t.step("info: manifest metadata, digest, size and where it loads from", async () => {
        const info = await json("ext", "info", "kubernetes", "--source", "oci");
        assert.equal(info.version, "1.29.1");
        assert.equal(info.source, "oci");
        assert.deepEqual(info.dependencies, { containerd: "^1.7.0" });
        assert.equal(info.license, "Apache-2.0");
        assert.match(info.digest, /^sha256:[0-9a-f]{64}$/);
        assert.ok(info.size > 0);
        assert.equal(info.reference, `${reg.host}/${namespace}/kubernetes:1.29.1`);
        assert.equal(info.cached, false);
        const auto = await json("ext", "info", "kubernetes");
        assert.equal(auto.source, "local", "local comes first in auto order");
        assert.deepEqual(auto.versions, { local: ["1.30.0"], oci: ["1.29.1", "1.28.0"] });
        const pinned = await json("ext", "info", "kubernetes", "--version", "~1.28.0");
        assert.equal(pinned.source, "oci");
        assert.equal(pinned.version, "1.28.0");
        const table = await run("ext", "info", "kubernetes", "--source", "oci");
        assert.match(table.stdout, /^Digest\s+sha256:/m);
        assert.match(table.stdout, /^Versions \(oci\)\s+1\.29\.1, 1\.28\.0$/m);
      });

      await t.step("versions: highest first, per source", async () => {
        const result = await json("ext", "versions", "kubernetes");
        assert.deepEqual(result.versions, ["1.30.0", "1.29.1", "1.28.0"]);
        assert.deepEqual(result.bySource, { local: ["1.30.0"], oci: ["1.29.1", "1.28.0"] });
        assert.equal(result.source, "local");
        const table = await run("ext", "versions", "kubernetes");
        assert.match(table.stdout, /^VERSION\s+SOURCES\s+CACHED$/m);
        assert.match(table.stdout, /^1\.29\.1\s+oci$/m);
      });

      await t.step("the discovery cache hides a new repository until --refresh", async () => {
        await json("ext", "list", "--source", "oci");
        {
          using client = clientFor(reg, { settings: { namespace } });
          await pushExtension(client, namespace, {
            name: "newcomer",
            type: "provider",
            versions: ["1.0.0"],
          });
        }
        const cached: Row[] = await json("ext", "list", "--source", "oci");
        assert.ok(!cached.some((r) => r.name === "newcomer"));
        const refreshed: Row[] = await json("ext", "list", "--source", "oci", "--refresh");
        assert.ok(refreshed.some((r) => r.name === "newcomer"));
        const after: Row[] = await json("ext", "search", "newcomer");
        assert.equal(after[0]?.name, "newcomer", "--refresh updated the cache");
      });

      await t.step("bad input exits 2 with one line", async () => {
        const cases: [string[], RegExp][] = [
          [["ext", "search", " "], /Search query is empty/],
          [["ext", "list", "--source", "gitea"], /gitea/],
          [["ext", "info", "kubernetes", "--version", "1.2.3.4"], /"1\.2\.3\.4"/],
          [["ext", "search"], /query/],
        ];
        for (const [args, pattern] of cases) {
          const result = await run(...args);
          assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
          assert.match(result.stderr, pattern);
          assert.doesNotMatch(result.stderr, STACK_LINE);
        }
        const missing = await run("ext", "info", "nothing-like-it");
        assert.equal(missing.code, 3);
        assert.match(
          missing.stderr,
          /^error: Extension "nothing-like-it" not found in any source$/m,
        );
      });

      await t.step("registry gone: auto warns and lists local; --source oci exits 4", async () => {
        await reg.stop();
        const auto = await run("ext", "list", "--refresh", "--format", "json");
        assert.equal(auto.code, 0, auto.stderr);
        assert.deepEqual(JSON.parse(auto.stdout).map((r: Row) => `${r.source}/${r.name}`), [
          "local/mine",
          "local/kubernetes",
        ]);
        assert.match(auto.stderr, /^warning: source "oci" \(.*\) failed: cannot reach/m);
        const oci = await run("ext", "list", "--source", "oci", "--refresh");
        assert.equal(oci.code, 4, oci.stderr);
        assert.match(oci.stderr, /^error: Cannot reach "127\.0\.0\.1:\d+"/m);
        assert.doesNotMatch(oci.stderr, STACK_LINE);
        const info = await run("ext", "info", "aws", "--source", "oci");
        assert.equal(info.code, 4, info.stderr);
        const stale = await run("ext", "list", "--source", "oci", "--format", "json");
        assert.equal(stale.code, 0, "a fresh discovery cache still answers");
        assert.ok(JSON.parse(stale.stdout).some((r: Row) => r.name === "newcomer"));
      });
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
  { localOnly: true },
);
