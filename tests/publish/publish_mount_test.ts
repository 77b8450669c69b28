// Cross-repository mounts against the real registry: a publish mounts the blobs another
// repository of the registry already holds (recorded by an earlier publish or pull in the
// cache's `origins/`) instead of uploading them again; bytes uploaded are counted with a
// counting fetch, and the registry's own log shows the mount.

import assert from "node:assert/strict";
import { join } from "node:path";
import { readBlobOrigins, recordBlobOrigins } from "../../src/cache/mod.ts";
import type { FetchLike } from "../../src/oci/mod.ts";
import { publishExtension } from "../../src/publish/mod.ts";
import { runCli } from "../cli/run_cli.ts";
import { registryTest } from "../harness/registry.ts";
import { makeHome } from "../loader/_fixture.ts";
import { uniqueNamespace } from "../oci/_helpers.ts";
import {
  publishOptionsFor,
  requestsDuring,
  smallTree,
  withTempDir,
  withTree,
} from "./_publish_helpers.ts";

/** A fetch that counts the body bytes of blob uploads (PATCH/PUT under `blobs/uploads/`). */
function uploadCounter(): { fetch: FetchLike; bytes: () => number } {
  let bytes = 0;
  const counting: FetchLike = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const upload = /\/blobs\/uploads\//.test(url) && ["PUT", "PATCH"].includes(init?.method ?? "");
    const body = init?.body;
    if (upload && body instanceof ReadableStream) {
      const counted = body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            bytes += chunk.byteLength;
            controller.enqueue(chunk);
          },
        }),
      );
      return fetch(input, { ...init, body: counted } as RequestInit);
    }
    if (upload && body instanceof Uint8Array) bytes += body.byteLength;
    return fetch(input, init);
  };
  return { fetch: counting, bytes: () => bytes };
}

registryTest("publish mounts blobs another repository of the registry holds", async (t, reg) => {
  await withTempDir(async (cacheDir) => {
    await withTree(smallTree("mountable", "1.0.0"), async (dir) => {
      const publishTo = async (namespace: string, cache: string | undefined) => {
        const counter = uploadCounter();
        const base = publishOptionsFor(reg, namespace);
        const result = await publishExtension(dir, {
          ...base,
          config: {
            settings: {
              ...base.config.settings,
              ...(cache === undefined ? {} : { cache: { dir: cache } }),
            },
          },
          clientOptions: { ...base.clientOptions, fetch: counter.fetch },
        });
        return { result, uploaded: counter.bytes() };
      };
      const first = uniqueNamespace("team-a");
      const second = uniqueNamespace("team-b");
      let blobBytes = 0;

      await t.step("the first publish uploads config and layer, and records where", async () => {
        const { result, uploaded } = await publishTo(first, cacheDir);
        blobBytes = result.config.size + result.layer.size;
        assert.equal(result.layer.outcome, "uploaded");
        assert.equal(uploaded, blobBytes);
        assert.deepEqual(
          await readBlobOrigins(cacheDir, reg.host, result.layer.digest),
          [`${first}/mountable`],
        );
      });

      await t.step(
        "the same folder to another namespace is mounted: 0 bytes uploaded",
        async () => {
          let published: Awaited<ReturnType<typeof publishTo>> | undefined;
          const requests = await requestsDuring(reg, async () => {
            published = await publishTo(second, cacheDir);
          });
          assert.equal(published!.result.layer.outcome, "mounted");
          assert.equal(published!.result.config.outcome, "mounted");
          assert.equal(published!.uploaded, 0);
          const mounts = requests.filter((r) =>
            r.method === "POST" &&
            r.path.includes(`mount=${encodeURIComponent(published!.result.layer.digest)}`) &&
            r.path.includes(`from=${encodeURIComponent(`${first}/mountable`)}`)
          );
          assert.deepEqual(mounts.map((r) => r.status), [201]);
          assert.deepEqual(
            requests.filter((r) => r.method === "PATCH" || r.method === "PUT").map((r) =>
              r.path.split("/").slice(-2, -1)[0]
            ),
            ["manifests"],
          );
        },
      );

      await t.step("without the record, the same publish uploads everything again", async () => {
        const { result, uploaded } = await publishTo(uniqueNamespace("team-c"), undefined);
        assert.equal(result.layer.outcome, "uploaded");
        assert.equal(uploaded, blobBytes);
      });

      await t.step(
        "a stale record costs one refused mount, then the next candidate or an upload",
        async () => {
          const stale = await Deno.makeTempDir({ dir: cacheDir });
          const { result: probe } = await publishTo(uniqueNamespace("probe"), undefined);
          for (const digest of [probe.config.digest, probe.layer.digest]) {
            await recordBlobOrigins(stale, reg.host, "nowhere/mountable", [digest]);
          }
          const { result, uploaded } = await publishTo(uniqueNamespace("team-d"), stale);
          assert.equal(result.layer.outcome, "uploaded");
          assert.equal(uploaded, blobBytes);
          await recordBlobOrigins(stale, reg.host, `${first}/mountable`, [probe.layer.digest]);
          await recordBlobOrigins(stale, reg.host, "nowhere/mountable", [probe.layer.digest]);
          const retried = await publishTo(uniqueNamespace("team-e"), stale);
          assert.equal(retried.result.layer.outcome, "mounted", "the second candidate mounted");
        },
      );
    });
  });
});

registryTest(
  "ext publish mounts what ext pull fetched from another namespace (CLI)",
  async (_t, reg) => {
    const home = await makeHome();
    try {
      await withTree(smallTree("promoted", "1.0.0"), async (dir) => {
        const staging = uniqueNamespace("staging");
        const prod = uniqueNamespace("prod");
        const env = { PROVISIONING_CACHE_DIR: home.cacheDir };
        const cli = (...args: string[]) =>
          runCli(["--registry", reg.host, ...args], { home: home.home, env });
        const pushed = await cli("--namespace", staging, "ext", "publish", dir);
        assert.equal(pushed.code, 0, pushed.stderr);
        // Another machine's cache: it knows the blobs only from pulling them.
        await Deno.remove(join(home.cacheDir, "origins"), { recursive: true });
        const pulled = await cli(
          "--namespace",
          staging,
          "ext",
          "pull",
          "promoted",
          "--version",
          "1.0.0",
        );
        assert.equal(pulled.code, 0, pulled.stderr);
        const promoted = await cli("--namespace", prod, "ext", "publish", dir);
        assert.equal(promoted.code, 0, promoted.stderr);
        assert.match(promoted.stdout, /layer [^,]+, mounted\)/);
      });
    } finally {
      await home.cleanup();
    }
  },
);
