/**
 * Discovery against the real registry (harness, plain variant): 56 repositories under two
 * namespaces with every type plus ORAS-style artifacts, and local folders beside them.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { saveOciToCache } from "../../src/cache/mod.ts";
import { loadConfig } from "../../src/config/mod.ts";
import type { ResolvedConfig } from "../../src/config/types.ts";
import {
  discoverAllExtensions,
  discoverOciExtensions,
  getExtensionInfo,
  getExtensionVersions,
  getOciExtensionMetadata,
  listExtensions,
  rankExtensions,
  searchExtensions,
} from "../../src/discovery/mod.ts";
import {
  ANNOTATION_EXTENSION_TYPE,
  createRegistryClient,
  type FetchLike,
  MEDIA_TYPE_LAYER_TAR_GZIP,
} from "../../src/oci/mod.ts";
import { registryTest, type TestRegistry } from "../harness/registry.ts";
import { clientFor, FAST_RETRY } from "../oci/_helpers.ts";
import {
  ANNOTATION_DESCRIPTION,
  ANNOTATION_TITLE,
  bytesSource,
  catalog,
  inParallel,
  pushExtension,
  pushOrasArtifact,
  tinyLayer,
  writeLocalExtension,
} from "./_fixtures.ts";

const noCredentials = { get: () => Promise.resolve(undefined) };

/** A fetch that counts requests, remembers paths and tracks the most in flight at once. */
function countingFetch() {
  const paths: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchFn: FetchLike = async (input, init) => {
    paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  return { fetch: fetchFn, paths, maxInFlight: () => maxInFlight };
}

interface World {
  reg: TestRegistry;
  home: string;
  localRoot: string;
  cacheDir: string;
  team: string;
  other: string;
  digests: Map<string, string>;
  config(namespace?: string): Promise<ResolvedConfig>;
}

async function withWorld(reg: TestRegistry, fn: (world: World) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "discovery-home-" });
  const suffix = crypto.randomUUID().slice(0, 8);
  const team = `team-${suffix}`;
  const other = `other-${suffix}`;
  const localRoot = join(home, "exts");
  const cacheDir = join(home, "cache");
  try {
    const { team: teamExts, other: otherExts } = catalog();
    using client = clientFor(reg, { settings: { namespace: team } });
    const digests = new Map<string, string>();
    await inParallel(
      [
        ...teamExts.map((e) => [team, e] as const),
        ...otherExts.map((e) => [other, e] as const),
      ],
      12,
      async ([namespace, ext]) => {
        const pushed = await pushExtension(client, namespace, ext);
        for (const [version, digest] of pushed) {
          digests.set(`${namespace}/${ext.name}:${version}`, digest);
        }
      },
    );
    await pushOrasArtifact(client, `${team}/oras-typed`, "1.0.0", {
      [ANNOTATION_TITLE]: "oras-typed",
      [ANNOTATION_DESCRIPTION]: "Pushed with oras, typed by annotation",
      [ANNOTATION_EXTENSION_TYPE]: "provider",
    });
    await pushOrasArtifact(client, `${team}/oras-plain`, "0.3.0", {
      [ANNOTATION_DESCRIPTION]: "Pushed with oras push, nothing else",
    });
    await writeLocalExtension(localRoot, {
      name: "kubernetes",
      type: "taskserv",
      description: "Local kubernetes build",
    }, "1.31.0");
    await writeLocalExtension(localRoot, { name: "localonly", type: "cluster" }, "0.0.1");
    const config = async (namespace = team) => {
      const resolved = await loadConfig({
        cwd: home,
        home,
        env: {
          PROVISIONING_OCI_REGISTRY: reg.host,
          PROVISIONING_OCI_NAMESPACE: namespace,
          PROVISIONING_EXTENSIONS_PATH: localRoot,
          PROVISIONING_CACHE_DIR: cacheDir,
        },
      });
      resolved.settings.oci.retry_count = 0;
      return resolved;
    };
    await fn({ reg, home, localRoot, cacheDir, team, other, digests, config });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

registryTest(
  "discovery reads 56 repositories in two namespaces, ORAS artifacts and local folders",
  async (t, reg) => {
    await withWorld(reg, async (w) => {
      const registryOptions = (fetchFn?: FetchLike) => ({
        registry: {
          retry: FAST_RETRY,
          credentials: noCredentials,
          ...(fetchFn === undefined ? {} : { fetch: fetchFn }),
        },
      });

      await t.step(
        "discoverOciExtensions() lists a namespace from config blobs, no layer fetched",
        async () => {
          const config = await w.config();
          const counter = countingFetch();
          using client = createRegistryClient(config.settings.oci, {
            fetch: counter.fetch,
            retry: FAST_RETRY,
            credentials: noCredentials,
          });
          const warnings: string[] = [];
          const result = await discoverOciExtensions(client, {
            concurrency: 4,
            onWarning: (m) => warnings.push(m),
          });
          assert.deepEqual(warnings, []);
          assert.equal(result.extensions.length, 42);
          assert.equal(result.failed.length, 0);
          const byName = new Map(result.extensions.map((e) => [e.name, e]));
          const k8s = byName.get("kubernetes")!;
          assert.equal(k8s.type, "taskserv");
          assert.equal(k8s.version, "1.29.1", "the highest release, not the pre-release");
          assert.deepEqual(k8s.versions, ["1.30.0-rc.1", "1.29.1", "1.28.0"]);
          assert.equal(k8s.digest, w.digests.get(`${w.team}/kubernetes:1.29.1`));
          assert.equal(k8s.reference, `${reg.host}/${w.team}/kubernetes:1.29.1`);
          assert.ok(k8s.size !== null && k8s.size > 0);
          assert.equal(k8s.metadataFrom, "manifest");
          assert.equal(k8s.license, "Apache-2.0");
          const aws = byName.get("aws")!;
          assert.equal(aws.version, "2.5.0+build.7", "build metadata mapped back from the _ tag");
          assert.equal(aws.type, "provider");
          assert.equal(byName.get("buildkit")?.type, "cluster");
          // Per repository: tags, manifest, config blob — never a layer.
          const blobGets = counter.paths.filter((p) => p.includes("/blobs/"));
          assert.equal(blobGets.length, 40, "one config blob per repository with our config");
          assert.ok(
            counter.maxInFlight() <= 4,
            `at most 4 requests at once (${counter.maxInFlight()})`,
          );
          assert.ok(counter.maxInFlight() >= 2, "requests did overlap");
        },
      );

      await t.step("ORAS-style artifacts are listed from their manifest annotations", async () => {
        const config = await w.config();
        using client = createRegistryClient(config.settings.oci, {
          retry: FAST_RETRY,
          credentials: noCredentials,
        });
        const { extensions } = await discoverOciExtensions(client);
        const typed = extensions.find((e) => e.name === "oras-typed")!;
        assert.equal(typed.type, "provider");
        assert.equal(typed.description, "Pushed with oras, typed by annotation");
        assert.equal(typed.metadataFrom, "annotations");
        const plain = extensions.find((e) => e.name === "oras-plain")!;
        assert.equal(plain.type, "unknown");
        assert.equal(plain.version, "0.3.0");
        const meta = await getOciExtensionMetadata(client, "oras-plain");
        assert.equal(meta.manifest, undefined);
        assert.equal(meta.configMediaType, "application/vnd.oci.empty.v1+json");
        assert.equal(meta.artifactType, "application/vnd.unknown.artifact.v1");
      });

      await t.step("catalog paging: small pages give the same listing", async () => {
        const config = await w.config(w.other);
        const counter = countingFetch();
        using client = createRegistryClient(config.settings.oci, {
          fetch: counter.fetch,
          retry: FAST_RETRY,
          credentials: noCredentials,
        });
        const { extensions } = await discoverOciExtensions(client, { pageSize: 5 });
        assert.equal(extensions.length, 16);
        assert.ok(extensions.every((e) => e.name.startsWith("other-")));
        const pages = counter.paths.filter((p) => p === "/v2/_catalog").length;
        assert.ok(pages >= 4, `followed the catalog's Link header (${pages} pages)`);
      });

      await t.step("[oci] repositories replace the catalog", async () => {
        const config = await w.config();
        config.settings.oci.repositories = ["kubernetes", `${w.other}/other-03`, "nope"];
        const counter = countingFetch();
        using client = createRegistryClient(config.settings.oci, {
          fetch: counter.fetch,
          retry: FAST_RETRY,
          credentials: noCredentials,
        });
        const warnings: string[] = [];
        const result = await discoverOciExtensions(client, { onWarning: (m) => warnings.push(m) });
        assert.deepEqual(result.extensions.map((e) => e.name), ["kubernetes", "other-03"]);
        assert.equal(counter.paths.filter((p) => p === "/v2/_catalog").length, 0);
        assert.deepEqual(result.failed, [`${w.team}/nope`]);
        assert.match(warnings[0]!, /skipping ".*\/nope": Repository .* not found/);
      });

      await t.step("discoverAllExtensions() merges local and OCI, filters by type", async () => {
        const config = await w.config();
        const all = await discoverAllExtensions({ config, source: "auto", ...registryOptions() });
        assert.deepEqual(all.sources.map((s) => [s.source, s.status]), [
          ["local", "fresh"],
          ["oci", "fresh"],
          ["examples", "fresh"],
        ]);
        // The bundled examples are read but not listed: other sources have extensions.
        assert.ok(!all.extensions.some((e) => e.source === "examples"));
        const k8s = all.extensions.filter((e) => e.name === "kubernetes");
        assert.deepEqual(k8s.map((e) => [e.source, e.version]), [
          ["local", "1.31.0"],
          ["oci", "1.29.1"],
        ]);
        assert.equal(all.extensions.length, 44);
        const clusters = await discoverAllExtensions({
          config,
          source: "auto",
          type: "cluster",
          ...registryOptions(),
        });
        assert.ok(clusters.extensions.every((e) => e.type === "cluster"));
        assert.ok(clusters.extensions.some((e) => e.name === "localonly" && e.source === "local"));
        assert.ok(clusters.extensions.some((e) => e.name === "buildkit" && e.source === "oci"));
        assert.ok(!clusters.extensions.some((e) => e.type === "unknown"));
        const sorted = [...all.extensions].sort((a, b) =>
          a.type.localeCompare(b.type) || a.name.localeCompare(b.name)
        );
        assert.deepEqual(
          all.extensions.map((e) => `${e.type}/${e.name}`),
          sorted.map((e) => `${e.type}/${e.name}`),
        );
      });

      await t.step("search ranks exact, prefix, fuzzy, type and description matches", async () => {
        const config = await w.config();
        const { hits } = await searchExtensions("kube", {
          config,
          source: "oci",
          ...registryOptions(),
        });
        assert.deepEqual(hits.map((h) => h.name), ["kube-proxy", "kubernetes", "cilium"]);
        const { extensions } = await discoverAllExtensions({
          config,
          source: "auto",
          ...registryOptions(),
        });
        const cases: [query: string, type: "provider" | undefined, first: string[]][] = [
          ["kubernetes", undefined, ["kubernetes", "kubernetes", "cilium"]],
          ["kubernets", undefined, ["kubernetes", "kubernetes"]],
          ["ebpf", undefined, ["cilium"]],
          ["amazon", undefined, ["aws"]],
          ["upclod", undefined, ["upcloud"]],
          ["oras", "provider", ["oras-typed"]],
          ["fixture 7", undefined, ["ext-07"]],
        ];
        for (const [query, type, first] of cases) {
          const ranked = rankExtensions(extensions, query, type === undefined ? {} : { type });
          assert.deepEqual(ranked.slice(0, first.length).map((h) => h.name), first, query);
        }
        const providers = rankExtensions(extensions, "providers");
        assert.ok(providers.length >= 13 && providers.every((h) => h.type === "provider"));
      });

      await t.step("versions and info across sources, cached versions marked", async () => {
        const config = await w.config();
        // Pull kubernetes 1.28.0 into the cache the way the loader records it.
        const layer = await tinyLayer("kubernetes", "extension:\n  name: kubernetes\n");
        await saveOciToCache(w.cacheDir, {
          type: "taskserv",
          name: "kubernetes",
          version: "1.28.0",
        }, {
          layer: bytesSource(layer.bytes, MEDIA_TYPE_LAYER_TAR_GZIP),
          registry: reg.host,
          repository: `${w.team}/kubernetes`,
          digest: w.digests.get(`${w.team}/kubernetes:1.28.0`)!,
        });
        const versions = await getExtensionVersions("kubernetes", { config, ...registryOptions() });
        assert.equal(versions.source, "local");
        assert.deepEqual(versions.versions, ["1.31.0", "1.30.0-rc.1", "1.29.1", "1.28.0"]);
        assert.deepEqual(versions.bySource, {
          local: ["1.31.0"],
          oci: ["1.30.0-rc.1", "1.29.1", "1.28.0"],
        });
        assert.deepEqual(versions.cached, ["1.28.0"]);

        const info = await getExtensionInfo("kubernetes", {
          config,
          version: "^1.28.0 <1.31.0",
          ...registryOptions(),
        });
        assert.equal(info.source, "oci", "local has no version below 1.31.0");
        assert.equal(info.version, "1.29.1");
        assert.deepEqual(info.dependencies, { containerd: "^1.7.0" });
        assert.equal(info.license, "Apache-2.0");
        assert.equal(info.digest, w.digests.get(`${w.team}/kubernetes:1.29.1`));
        assert.equal(info.cached, false);
        assert.deepEqual(info.cachedVersions, ["1.28.0"]);
        const cachedInfo = await getExtensionInfo("kubernetes", {
          config,
          source: "oci",
          version: "1.28.0",
          ...registryOptions(),
        });
        assert.equal(cachedInfo.cached, true);
        assert.match(cachedInfo.path ?? "", /taskserv[\\/]kubernetes[\\/]1\.28\.0$/);
        const latest = await getExtensionInfo("kubernetes", { config, ...registryOptions() });
        assert.equal(latest.source, "local");
        assert.equal(latest.version, "1.31.0");

        const list = await listExtensions({
          config,
          source: "oci",
          format: "table",
          ...registryOptions(),
        });
        assert.match(list.text, /^kubernetes +taskserv +1\.29\.1 \(cached: 1\.28\.0\) +oci /m);
      });

      await t.step("info and versions say what is missing", async () => {
        const config = await w.config();
        const options = { config, ...registryOptions() };
        await assert.rejects(getExtensionInfo("kubernetes", { ...options, version: "^9.0.0" }), {
          code: "VERSION_NOT_FOUND",
          message: /No version of taskserv "kubernetes" satisfies "\^9\.0\.0"/,
        });
        await assert.rejects(getExtensionVersions("no-such-thing", options), { code: "NOT_FOUND" });
        await assert.rejects(getExtensionVersions("aws", { ...options, type: "cluster" }), {
          code: "NOT_FOUND",
          hint: /exists as provider/,
        });
        const oras = await getExtensionInfo("oras-plain", options);
        assert.equal(oras.type, "unknown");
        assert.equal(oras.metadataFrom, "annotations");
        assert.equal(oras.description, "Pushed with oras push, nothing else");
      });
    });
  },
);
