/**
 * `loadExtension` / `pullExtension` against the real registry: version specs over the
 * registry's tags, the cache reused before the network, force, type and name checks before
 * anything becomes visible, ORAS-style artifacts, offline use, a stopped registry, the auto
 * order and automatic pruning.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { getFromCache, listCached, readIndex } from "../../src/cache/mod.ts";
import { clearLoadMemo, loadExtension, pullExtension } from "../../src/loader/mod.ts";
import { registryTest } from "../harness/registry.ts";
import { MEDIA_TYPE_LAYER_TAR_GZIP, pushArtifact } from "../../src/oci/mod.ts";
import { clientFor, configSource, generatedSource, uniqueNamespace } from "../oci/_helpers.ts";
import {
  blobGets,
  configFor,
  countingFetch,
  makeHome,
  publish,
  type TestHome,
  writeExtension,
} from "./_fixture.ts";

async function withHome(fn: (home: TestHome) => Promise<void>, toml?: string): Promise<void> {
  const home = await makeHome(toml);
  try {
    clearLoadMemo();
    await fn(home);
  } finally {
    clearLoadMemo();
    await home.cleanup();
  }
}

registryTest(
  "loadExtension() resolves specs over the registry's tags and reuses the cache",
  async (t, reg) => {
    const namespace = uniqueNamespace("loader");
    using client = clientFor(reg, { settings: { namespace } });
    const digests = new Map<string, string>();
    for (
      const [version, tag] of [
        ["1.0.0"],
        ["1.2.0"],
        ["1.2.5"],
        ["1.3.0", "v1.3.0"],
        ["2.0.0"],
        ["2.1.0-rc.1"],
      ] as [string, string?][]
    ) {
      const pushed = await publish(client, {
        name: "demo",
        type: "taskserv",
        version,
        ...(tag ? { tag } : {}),
      });
      digests.set(version, pushed.digest);
    }
    await withHome(async (home) => {
      const config = await configFor(home, reg.host, namespace);
      const cases: [spec: string, version: string][] = [
        ["1.2.0", "1.2.0"],
        ["^1.0.0", "1.3.0"],
        ["~1.2.0", "1.2.5"],
        ["1.0.0-1.2.9", "1.2.5"],
        [">=1.0.0 <1.2.1", "1.2.0"],
        ["latest", "2.0.0"],
        ["^2.1.0-rc.1", "2.1.0-rc.1"],
      ];
      const firstSpec = new Map<string, string>();
      for (const [spec, version] of cases) {
        await t.step(`spec "${spec}" loads ${version} from oci`, async () => {
          const result = await loadExtension(undefined, "demo", spec, {
            config,
            sourceType: "oci",
          });
          assert.equal(result.error, undefined);
          assert.equal(result.success, true);
          assert.equal(result.type, "taskserv");
          assert.equal(result.version, version);
          assert.equal(result.source, "oci");
          assert.equal(result.digest, digests.get(version));
          assert.equal(result.manifest?.extension.version, version);
          assert.equal(result.path, join(home.cacheDir, "extensions", "taskserv", "demo", version));
          const text = await Deno.readTextFile(join(result.path!, "extension.yaml"));
          assert.match(text, new RegExp(`version: "${version.replaceAll(".", "\\.")}"`));
          const entry = await getFromCache(home.cacheDir, "taskserv", "demo", version);
          assert.equal(entry?.registry, reg.host);
          assert.equal(entry?.repository, `${namespace}/demo`);
          if (!firstSpec.has(version)) firstSpec.set(version, spec);
          assert.equal(entry?.reference, firstSpec.get(version));
          assert.equal(entry?.tag, version === "1.3.0" ? "v1.3.0" : version);
        });
      }

      await t.step("an exact version already cached sends no request", async () => {
        clearLoadMemo();
        const counted = countingFetch();
        const result = await loadExtension("taskserv", "demo", "1.2.5", {
          config,
          sourceType: "oci",
          fetch: counted.fetch,
        });
        assert.equal(result.version, "1.2.5");
        assert.equal(result.digest, digests.get("1.2.5"));
        assert.deepEqual(counted.requests, []);
      });

      await t.step(
        "a range of a cached version asks for the tags and the tag's digest",
        async () => {
          clearLoadMemo();
          const counted = countingFetch();
          const result = await loadExtension(undefined, "demo", "~1.2.0", {
            config,
            sourceType: "oci",
            fetch: counted.fetch,
          });
          assert.equal(result.version, "1.2.5");
          // The HEAD tells whether the tag still names the cached digest (no manifest, no blob).
          assert.deepEqual(counted.requests, [
            `GET /v2/${namespace}/demo/tags/list`,
            `HEAD /v2/${namespace}/demo/manifests/1.2.5`,
          ]);
        },
      );

      await t.step("a digest not cached: its manifest, config and layer, once each", async () => {
        clearLoadMemo();
        const counted = countingFetch();
        const digest = digests.get("1.0.0")!;
        const result = await loadExtension(undefined, `demo@${digest}`, "latest", {
          config,
          sourceType: "oci",
          fetch: counted.fetch,
        });
        assert.equal(result.error, undefined);
        assert.equal(result.version, "1.0.0");
        assert.equal(result.digest, digest);
        assert.deepEqual(counted.requests.map((r) => r.replace(/blobs\/sha256:\w+/, "blobs/D")), [
          `GET /v2/${namespace}/demo/manifests/${digest}`,
          `GET /v2/${namespace}/demo/blobs/D`,
          `GET /v2/${namespace}/demo/blobs/D`,
        ]);
      });

      await t.step("a repeated load in the process is answered from memory", async () => {
        const first = await loadExtension(undefined, "demo", "~1.2.0", {
          config,
          sourceType: "oci",
        });
        const second = await loadExtension(undefined, "demo", "~1.2.0", {
          config,
          sourceType: "oci",
        });
        assert.equal(first, second);
      });

      await t.step("force downloads the layer again", async () => {
        const layer = JSON.parse(
          await Deno.readTextFile(join(home.cacheDir, "index.json")),
        ).entries["taskserv/demo/1.2.5"].blobDigest as string;
        const before = blobGets(reg.requestLog(), layer);
        const result = await loadExtension(undefined, "demo", "1.2.5", {
          config,
          sourceType: "oci",
          force: true,
        });
        assert.equal(result.success, true);
        assert.equal(blobGets(reg.requestLog(), layer), before + 1);
      });

      await t.step("pull uses the same cache and result shape", async () => {
        const result = await pullExtension(undefined, "demo", "1.0.0", { config });
        assert.equal(result.source, "oci");
        assert.equal(result.digest, digests.get("1.0.0"));
        const local = await pullExtension(undefined, "demo", "1.0.0", {
          config,
          sourceType: "local",
        });
        assert.equal(local.error?.code, "USAGE");
      });

      await t.step("no such version names what exists", async () => {
        const result = await loadExtension(undefined, "demo", "^3.0.0", {
          config,
          sourceType: "oci",
        });
        assert.equal(result.error?.code, "VERSION_NOT_FOUND");
        assert.match(result.error?.hint ?? "", /2\.1\.0-rc\.1, 2\.0\.0, 1\.3\.0/);
        const missing = await loadExtension(undefined, "nope", "latest", {
          config,
          sourceType: "oci",
        });
        assert.equal(missing.error?.code, "NOT_FOUND");
      });
    });
  },
);

registryTest("type and name are checked before a pulled entry becomes visible", async (t, reg) => {
  const namespace = uniqueNamespace("loader-check");
  using client = clientFor(reg, { settings: { namespace } });
  await publish(client, { name: "demo", type: "taskserv", version: "1.0.0" });
  await publish(client, { name: "liar", manifestName: "demo", type: "taskserv", version: "1.0.0" });
  await publish(client, { name: "oras-ext", type: "cluster", version: "1.0.0", orasStyle: true });
  await publish(client, { name: "oras-two", type: "cluster", version: "1.0.0", orasStyle: true });
  await withHome(async (home) => {
    const config = await configFor(home, reg.host, namespace);
    const load = (type: "provider" | "taskserv" | "cluster" | undefined, name: string) =>
      loadExtension(type, name, "1.0.0", { config, sourceType: "oci" });

    await t.step("asking for another type is TYPE_MISMATCH and caches nothing", async () => {
      const result = await load("provider", "demo");
      assert.equal(result.success, false);
      assert.equal(result.error?.code, "TYPE_MISMATCH");
      assert.match(result.error?.message ?? "", /is a taskserv, not a provider/);
      assert.deepEqual(await listCached(home.cacheDir), []);
    });

    await t.step("an artifact holding another extension is refused", async () => {
      const result = await load(undefined, "liar");
      assert.equal(result.error?.code, "INVALID_EXTENSION");
      assert.match(result.error?.message ?? "", /holds extension "demo", not "liar"/);
      assert.deepEqual(await listCached(home.cacheDir), []);
    });

    await t.step(
      "an ORAS-style artifact (empty config) loads; its type comes from the layer",
      async () => {
        const result = await load(undefined, "oras-ext");
        assert.equal(result.error, undefined);
        assert.equal(result.type, "cluster");
        assert.equal(result.manifest?.extension.name, "oras-ext");
      },
    );

    await t.step("an ORAS-style artifact of another type than asked caches nothing", async () => {
      const result = await load("taskserv", "oras-two");
      assert.equal(result.error?.code, "TYPE_MISMATCH");
      const names = (await listCached(home.cacheDir)).map((e) => e.name);
      assert.deepEqual(names, ["oras-ext"]);
      assert.ok((await readIndex(home.cacheDir)) !== undefined);
    });
  });
});

registryTest("offline and with the registry stopped, the cache answers", async (t, reg) => {
  const namespace = uniqueNamespace("loader-offline");
  using client = clientFor(reg, { settings: { namespace } });
  for (const version of ["1.0.0", "1.1.0", "2.0.0"]) {
    await publish(client, { name: "demo", type: "provider", version });
  }
  await withHome(async (home) => {
    const config = await configFor(home, reg.host, namespace);
    for (const version of ["1.0.0", "1.1.0"]) {
      const pulled = await pullExtension(undefined, "demo", version, { config });
      assert.equal(pulled.success, true);
    }
    const counted = countingFetch();
    const warnings: string[] = [];
    const options = { config, fetch: counted.fetch, onWarning: (w: string) => warnings.push(w) };

    await t.step("--offline takes the best cached match and sends nothing", async () => {
      clearLoadMemo();
      const result = await loadExtension(undefined, "demo", "^1.0.0", {
        ...options,
        offline: true,
      });
      assert.equal(result.version, "1.1.0");
      const newer = await loadExtension(undefined, "demo", "^2.0.0", { ...options, offline: true });
      assert.equal(newer.error?.code, "NOT_FOUND");
      const said = [newer.error?.message, ...newer.error?.details ?? []].join("\n");
      assert.match(said, /No cached version of "demo" satisfies "\^2\.0\.0" and --offline/);
      assert.deepEqual(counted.requests, []);
      assert.deepEqual(warnings, []);
    });

    await reg.stop();
    clearLoadMemo();

    await t.step("an exact cached version loads without a request", async () => {
      const result = await loadExtension(undefined, "demo", "1.0.0", options);
      assert.equal(result.source, "oci");
      assert.deepEqual(counted.requests, []);
      assert.deepEqual(warnings, []);
    });

    await t.step("a range falls back to the best cached match with a warning", async () => {
      for (const spec of ["^1.0.0", "latest"]) {
        const result = await loadExtension(undefined, "demo", spec, {
          ...options,
          sourceType: "oci",
        });
        assert.equal(result.version, "1.1.0");
      }
      assert.equal(warnings.length, 2);
      assert.match(warnings[0]!, /Cannot reach .*; using cached provider "demo" 1\.1\.0/);
    });

    await t.step("nothing cached is UNREACHABLE, explicitly and in auto", async () => {
      const explicit = await loadExtension(undefined, "demo", "^2.0.0", {
        ...options,
        sourceType: "oci",
      });
      assert.equal(explicit.error?.code, "UNREACHABLE");
      const auto = await loadExtension(undefined, "demo", "^2.0.0", {
        ...options,
        sourceType: "auto",
      });
      assert.equal(auto.error?.code, "UNREACHABLE");
      assert.ok(auto.error?.details.some((line) => /^local: /.test(line)));
    });

    await t.step("force refuses to fall back", async () => {
      const result = await loadExtension(undefined, "demo", "^1.0.0", { ...options, force: true });
      assert.equal(result.error?.code, "UNREACHABLE");
    });
  });
});

registryTest("auto tries local first, then oci; auto_order changes that", async (t, reg) => {
  const namespace = uniqueNamespace("loader-auto");
  using client = clientFor(reg, { settings: { namespace } });
  await publish(client, { name: "both", type: "taskserv", version: "1.0.0" });
  await publish(client, { name: "remote-only", type: "taskserv", version: "1.0.0" });
  await withHome(async (home) => {
    await writeExtension(home.localDir, "both", "both", "taskserv", "1.0.0");
    const config = await configFor(home, reg.host, namespace);
    await t.step("the same name in local and oci loads from local, in place", async () => {
      const result = await loadExtension(undefined, "both", "1.0.0", { config });
      assert.equal(result.source, "local");
      assert.equal(result.path, join(home.localDir, "both"));
      assert.equal(result.digest, undefined);
    });
    await t.step("a name only in the registry loads from oci", async () => {
      const result = await loadExtension(undefined, "remote-only", "latest", { config });
      assert.equal(result.source, "oci");
      assert.equal(result.path?.startsWith(home.cacheDir), true);
    });
    await t.step("auto_order = [oci, local] prefers the registry", async () => {
      const reordered = structuredClone(config);
      reordered.settings.extensions.auto_order = ["oci", "local"];
      const result = await loadExtension(undefined, "both", "1.0.0", { config: reordered });
      assert.equal(result.source, "oci");
    });
  });
});

registryTest(
  "pulls prune the cache down to [cache] max_size, never the new entry",
  async (_t, reg) => {
    const namespace = uniqueNamespace("loader-prune");
    using client = clientFor(reg, { settings: { namespace } });
    for (const name of ["first", "second"]) {
      await publish(client, { name, type: "cluster", version: "1.0.0" });
    }
    await withHome(async (home) => {
      const config = await configFor(home, reg.host, namespace);
      assert.equal((await pullExtension(undefined, "first", "1.0.0", { config })).success, true);
      assert.equal((await pullExtension(undefined, "second", "1.0.0", { config })).success, true);
      const names = (await listCached(home.cacheDir)).map((e) => e.name);
      assert.deepEqual(names, ["second"]);
    }, "[oci]\nretry_count = 0\n[cache]\nmax_size = 1\n");
  },
);

registryTest(
  "a layer larger than its contents may unpack to is refused before it is downloaded",
  async (_t, reg) => {
    const namespace = uniqueNamespace("loader-big");
    using client = clientFor(reg, { settings: { namespace } });
    // Random text does not compress: the layer is about as large as the file.
    const noise = Array.from(
      { length: 4 },
      () => Array.from(crypto.getRandomValues(new Uint8Array(40_000)), (b) => b.toString(36)),
    ).flat().join("");
    await publish(client, {
      name: "big",
      type: "provider",
      version: "1.0.0",
      files: { "noise.txt": noise },
    });
    await withHome(async (home) => {
      const config = await configFor(home, reg.host, namespace);
      config.settings.cache.max_extract_bytes = 64 * 1024;
      config.settings.cache.max_extract_files = 16;
      const counted = countingFetch();
      const result = await loadExtension(undefined, "big", "1.0.0", {
        config,
        sourceType: "oci",
        fetch: counted.fetch,
      });
      assert.equal(result.error?.code, "UNSAFE_ARCHIVE", String(result.error));
      assert.match(result.error!.message, /its layer is \d+ bytes, more than its contents may/);
      // The manifest and the config only: not one byte of the layer.
      assert.equal(counted.requests.filter((r) => r.includes("/blobs/")).length, 1);
      assert.deepEqual(await listCached(home.cacheDir), []);
    });
  },
);

registryTest(
  "a layer that is not an archive stops at its first block, not after the whole download",
  async (_t, reg) => {
    const namespace = uniqueNamespace("loader-junk");
    using client = clientFor(reg, { settings: { namespace } });
    const junk = await generatedSource(8 * 1024 * 1024); // random bytes: neither gzip nor tar
    await pushArtifact(client, "junk:1.0.0", {
      config: configSource({ extension: { name: "junk", type: "provider", version: "1.0.0" } }),
      layers: [{ ...junk, mediaType: MEDIA_TYPE_LAYER_TAR_GZIP }],
    });
    await withHome(async (home) => {
      const config = await configFor(home, reg.host, namespace);
      let received = 0;
      const counting: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (response.body === null) return response;
        const counted = response.body.pipeThrough(
          new TransformStream({
            transform(chunk, controller) {
              received += chunk.length;
              controller.enqueue(chunk);
            },
          }),
        );
        return new Response(counted, response);
      };
      const result = await loadExtension(undefined, "junk", "1.0.0", {
        config,
        sourceType: "oci",
        fetch: counting,
      });
      assert.equal(result.error?.code, "INTEGRITY", String(result.error));
      assert.match(result.error!.message, /neither gzip nor tar/);
      assert.ok(received < 2 * 1024 * 1024, `read ${received} bytes of an 8 MiB layer`);
      assert.deepEqual(await listCached(home.cacheDir), []);
      const tmp = await Array.fromAsync(Deno.readDir(join(home.cacheDir, "tmp"))).catch(() => []);
      assert.deepEqual(tmp.filter((e) => !e.name.endsWith(".lock")), [], "nothing left in tmp");
    });
  },
);
