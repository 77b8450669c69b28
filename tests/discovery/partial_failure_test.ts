/**
 * Discovery when sources fail, stall or refuse: a registry stopped mid-way, a registry that
 * forbids its catalog, a source that never answers; and the discovery cache (TTL, refresh,
 * stale fallback) against the real registry.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { discoveredEntry } from "../../src/discovery/_testing.ts";
import { loadConfig } from "../../src/config/mod.ts";
import type { ResolvedConfig } from "../../src/config/types.ts";
import {
  discoverAllExtensions,
  type DiscoveredExtension,
  discoverOciExtensions,
  type ExtensionDiscoverer,
} from "../../src/discovery/mod.ts";
import { createRegistryClient, type FetchLike } from "../../src/oci/mod.ts";
import { startFaultServer, status } from "../harness/fault_server.ts";
import { registryTest, type TestRegistry } from "../harness/registry.ts";
import { clientFor, FAST_RETRY } from "../oci/_helpers.ts";
import {
  type FixtureExtension,
  inParallel,
  pushExtension,
  writeLocalExtension,
} from "./_fixtures.ts";

const noCredentials = { get: () => Promise.resolve(undefined) };

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "discovery-fail-" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

async function configFor(
  home: string,
  registry: string,
  namespace: string,
  ttl = 300,
): Promise<ResolvedConfig> {
  const config = await loadConfig({
    cwd: home,
    home,
    env: {
      PROVISIONING_OCI_REGISTRY: registry,
      PROVISIONING_OCI_NAMESPACE: namespace,
      PROVISIONING_EXTENSIONS_PATH: join(home, "exts"),
      PROVISIONING_CACHE_DIR: join(home, "cache"),
    },
  });
  config.settings.oci.retry_count = 0;
  config.settings.extensions.discovery_ttl = ttl;
  return config;
}

function fixtures(count: number): FixtureExtension[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `svc-${String(i).padStart(2, "0")}`,
    type: "taskserv" as const,
    versions: ["1.0.0"],
    description: `Service ${i}`,
  }));
}

async function pushAll(reg: TestRegistry, namespace: string, exts: FixtureExtension[]) {
  using client = clientFor(reg, { settings: { namespace } });
  await inParallel(exts, 8, (ext) => pushExtension(client, namespace, ext));
}

registryTest("a registry stopped mid-way gives a warning and the local results", async (t, reg) => {
  await withHome(async (home) => {
    const namespace = `mid-${crypto.randomUUID().slice(0, 8)}`;
    await pushAll(reg, namespace, fixtures(24));
    await writeLocalExtension(join(home, "exts"), { name: "mine", type: "provider" }, "1.0.0");
    const config = await configFor(home, reg.host, namespace);
    let clock = Date.parse("2025-01-01T00:00:00Z");
    const now = () => clock;

    await t.step("a first discovery fills the discovery cache", async () => {
      const result = await discoverAllExtensions({
        config,
        source: "auto",
        now,
        registry: { retry: FAST_RETRY, credentials: noCredentials },
      });
      assert.equal(result.extensions.length, 25);
    });

    await t.step("stopped after 10 requests: warning, local results, source failed", async () => {
      let requests = 0;
      const stopping: FetchLike = async (input, init) => {
        if (++requests === 10) await reg.stop();
        return await fetch(input, init);
      };
      const warnings: string[] = [];
      const result = await discoverAllExtensions({
        config,
        source: "auto",
        refresh: true,
        now,
        onWarning: (m) => warnings.push(m),
        oci: { concurrency: 2 },
        registry: { fetch: stopping, retry: FAST_RETRY, credentials: noCredentials },
      });
      assert.ok(requests >= 10, `the registry was stopped mid-way (${requests} requests)`);
      assert.deepEqual(result.extensions.map((e) => `${e.source}/${e.name}`), ["local/mine"]);
      const oci = result.sources.find((s) => s.source === "oci")!;
      assert.equal(oci.status, "failed");
      assert.equal(oci.error?.code, "UNREACHABLE");
      assert.equal(warnings.length, 1, warnings.join("\n"));
      assert.match(
        warnings[0]!,
        /^source "oci" \(127\.0\.0\.1:\d+\/mid-\w+\) failed: cannot reach/,
      );
    });

    await t.step("only the OCI source asked: its error is thrown", async () => {
      await assert.rejects(
        discoverAllExtensions({
          config,
          source: "oci",
          refresh: true,
          registry: { retry: FAST_RETRY, credentials: noCredentials },
        }),
        { code: "UNREACHABLE" },
      );
    });

    await t.step("after the TTL, a failing registry falls back to the stale listing", async () => {
      clock += 3_600_000;
      const warnings: string[] = [];
      const result = await discoverAllExtensions({
        config,
        source: "auto",
        now,
        onWarning: (m) => warnings.push(m),
        registry: { retry: FAST_RETRY, credentials: noCredentials },
      });
      const oci = result.sources.find((s) => s.source === "oci")!;
      assert.equal(oci.status, "stale");
      assert.equal(oci.ageMs, 3_600_000);
      assert.equal(result.extensions.length, 25);
      assert.match(warnings[0]!, /failed: cannot reach .*; using its listing from 60 min ago$/);
    });
  });
}, { localOnly: true });

registryTest(
  "the discovery cache serves listings within discovery_ttl; refresh bypasses it",
  async (t, reg) => {
    await withHome(async (home) => {
      const namespace = `ttl-${crypto.randomUUID().slice(0, 8)}`;
      await pushAll(reg, namespace, fixtures(3));
      let clock = Date.parse("2025-01-01T00:00:00Z");
      let requests = 0;
      const counting: FetchLike = (input, init) => {
        requests++;
        return fetch(input, init);
      };
      const discover = async (config: ResolvedConfig, refresh = false) => {
        const before = requests;
        const result = await discoverAllExtensions({
          config,
          source: "oci",
          refresh,
          now: () => clock,
          registry: { fetch: counting, retry: FAST_RETRY, credentials: noCredentials },
        });
        return {
          names: result.extensions.map((e) => e.name),
          status: result.sources[0]!.status,
          requests: requests - before,
        };
      };
      const config = await configFor(home, reg.host, namespace, 300);

      await t.step("first run reads the registry, second run within the TTL does not", async () => {
        const first = await discover(config);
        assert.equal(first.status, "fresh");
        assert.ok(first.requests >= 1 + 3 * 3, `catalog + 3 × (tags, manifest, config)`);
        clock += 299_000;
        const second = await discover(config);
        assert.deepEqual(second, { names: first.names, status: "cached", requests: 0 });
      });

      await t.step("a new repository shows only after refresh or the TTL", async () => {
        await pushAll(reg, namespace, [{ name: "newcomer", type: "cluster", versions: ["0.1.0"] }]);
        assert.equal((await discover(config)).names.length, 3);
        const refreshed = await discover(config, true);
        assert.equal(refreshed.status, "fresh");
        assert.ok(refreshed.names.includes("newcomer"));
        await pushAll(reg, namespace, [{
          name: "latecomer",
          type: "cluster",
          versions: ["0.1.0"],
        }]);
        assert.equal((await discover(config)).status, "cached", "refresh rewrote the cache");
        clock += 300_000;
        const expired = await discover(config);
        assert.equal(expired.status, "fresh");
        assert.ok(expired.names.includes("latecomer"));
      });

      await t.step("the cache is one file per listing, written without leftovers", async () => {
        const dir = join(home, "cache", "discovery");
        const files = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
        assert.equal(files.length, 1, files.join(", "));
        assert.match(files[0]!, /^oci-[0-9a-f]{16}\.json$/);
        const file = JSON.parse(await Deno.readTextFile(join(dir, files[0]!)));
        assert.equal(file.format, 1);
        assert.equal(file.extensions.length, 5);
        await Deno.writeTextFile(join(dir, files[0]!), "{ torn");
        assert.equal((await discover(config)).status, "fresh", "a corrupt file is a miss");
      });

      await t.step("discovery_ttl = 0 turns the cache off", async () => {
        const off = await configFor(join(home), reg.host, namespace, 0);
        off.settings.cache.dir = join(home, "cache-off");
        assert.equal((await discover(off)).status, "fresh");
        assert.equal((await discover(off)).status, "fresh");
        await assert.rejects(Deno.stat(join(home, "cache-off", "discovery")), Deno.errors.NotFound);
      });
    });
  },
);

registryTest(
  "a registry that forbids the catalog works from [oci] repositories",
  async (t, reg) => {
    await withHome(async (home) => {
      const namespace = `ghcr-${crypto.randomUUID().slice(0, 8)}`;
      await pushAll(reg, namespace, fixtures(3));
      await writeLocalExtension(join(home, "exts"), { name: "mine", type: "provider" }, "1.0.0");
      // A real registry cannot be told to refuse its catalog: this proxy answers the catalog
      // with 403 the way GHCR and ECR do, and forwards everything else to the real registry.
      const proxy = await startFaultServer([
        { path: /^\/v2\/_catalog/, respond: status(403, '{"errors":[{"code":"DENIED"}]}') },
        {
          path: /^/,
          respond: (request, { url }) =>
            fetch(`${reg.url}${url.pathname}${url.search}`, {
              method: request.method,
              headers: request.headers,
            }),
        },
      ]);
      try {
        const config = await configFor(home, proxy.host, namespace);
        const options = { registry: { retry: FAST_RETRY, credentials: noCredentials } };

        await t.step("without repositories the error says what to configure", async () => {
          using client = createRegistryClient(config.settings.oci, options.registry);
          await assert.rejects(discoverOciExtensions(client), {
            code: "AUTH_REFUSED",
            message: /does not allow listing its catalog \(HTTP 403\)/,
            hint: /\[oci\] repositories/,
          });
        });

        await t.step("in auto mode that is a warning; local results stand", async () => {
          const warnings: string[] = [];
          const result = await discoverAllExtensions({
            config,
            source: "auto",
            onWarning: (m) => warnings.push(m),
            ...options,
          });
          assert.deepEqual(result.extensions.map((e) => e.name), ["mine"]);
          assert.match(warnings.join("\n"), /does not allow listing its catalog/);
        });

        await t.step("with [oci] repositories the listed ones are discovered", async () => {
          config.settings.oci.repositories = ["svc-00", "svc-02"];
          const result = await discoverAllExtensions({ config, source: "oci", ...options });
          assert.deepEqual(result.extensions.map((e) => e.name), ["svc-00", "svc-02"]);
        });
      } finally {
        await proxy.close();
      }
    });
  },
);

/** A discoverer for the tests below; `discover` does what `run` says. */
function fakeDiscoverer(
  source: "local" | "oci",
  run: (signal: AbortSignal) => Promise<DiscoveredExtension[]>,
): ExtensionDiscoverer {
  return {
    source,
    label: `fake ${source}`,
    cacheKey: undefined,
    discover: async ({ signal }) => ({ extensions: await run(signal), complete: true }),
    lookup: () => Promise.resolve([]),
    describe: () => Promise.reject(new Error("not used")),
  };
}

function entry(name: string, source: "local" | "oci"): DiscoveredExtension {
  return discoveredEntry(name, { source });
}

Deno.test("a source that does not answer in time is a warning, not a failure", async () => {
  await withHome(async (home) => {
    const config = await configFor(home, "127.0.0.1:9", "ns");
    const hanging = fakeDiscoverer("oci", (signal) =>
      new Promise((_, reject) => {
        // Stalls until the time limit aborts it, like a registry that stops answering.
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      }));
    const warnings: string[] = [];
    const result = await discoverAllExtensions({
      config,
      source: "auto",
      sourceTimeoutMs: 200,
      onWarning: (m) => warnings.push(m),
      discoverers: [
        fakeDiscoverer("local", () => Promise.resolve([entry("quick", "local")])),
        hanging,
      ],
    });
    assert.deepEqual(result.extensions.map((e) => e.name), ["quick"]);
    assert.deepEqual(result.sources.map((s) => [s.source, s.status, s.error?.code]), [
      ["local", "fresh", undefined],
      ["oci", "failed", "TIMEOUT"],
    ]);
    assert.deepEqual(warnings, [
      'source "oci" (fake oci) did not answer within 0.2 s',
    ]);
  });
});

Deno.test("when every source fails, the first failure is thrown", async () => {
  await withHome(async (home) => {
    const config = await configFor(home, "127.0.0.1:9", "ns");
    const boom = new TypeError("boom");
    await assert.rejects(
      discoverAllExtensions({
        config,
        source: "auto",
        onWarning: () => {},
        discoverers: [
          fakeDiscoverer("local", () => Promise.reject(boom)),
          fakeDiscoverer("oci", () => Promise.reject(new Error("other"))),
        ],
      }),
      (error) => error === boom,
    );
  });
});
