/**
 * The `oci-layout` source over layouts written by skopeo from the real registry: resolving
 * by spec with the registry stopped (air-gapped), both layout shapes (one layout holding
 * several tags, a folder of per-extension layouts), `auto` picking the layout before the
 * registry, and corrupt blobs refused with nothing cached.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { getFromCache, listCached } from "../../src/cache/mod.ts";
import { clearLoadMemo, loadExtension } from "../../src/loader/mod.ts";
import { createOciLayoutSource } from "../../src/sources/mod.ts";
import { registryTest } from "../harness/registry.ts";
import { skopeo, skopeoMissing } from "../harness/skopeo.ts";
import { configFor, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";

/** `skopeo copy --all` from the (plain HTTP) registry. */
async function skopeoCopy(from: string, to: string): Promise<void> {
  await skopeo("copy", "--all", "--src-tls-verify=false", from, to);
}

/** Overwrites a blob of a layout with other bytes of the same length. */
async function corruptBlob(layout: string, digest: string): Promise<void> {
  const path = join(layout, "blobs", "sha256", digest.slice("sha256:".length));
  const bytes = await Deno.readFile(path);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  await Deno.chmod(path, 0o644);
  await Deno.writeFile(path, bytes);
}

const ignore = skopeoMissing({
  tests: "the OCI layout tests",
  skip: "OCI layout source tests are ignored",
});

if (!ignore) {
  registryTest(
    "the oci-layout source loads from skopeo-written layouts, air-gapped",
    async (t, reg) => {
      const namespace = uniqueNamespace("layout");
      using client = clientFor(reg, { settings: { namespace } });
      const pushed = new Map<string, { digest: string; layerDigest: string }>();
      for (const [name, version] of [["lay", "1.0.0"], ["lay", "1.1.0"], ["other", "2.0.0"]]) {
        pushed.set(
          `${name}:${version}`,
          await publish(client, { name: name!, type: "provider", version: version! }),
        );
      }
      const home = await makeHome();
      try {
        const shared = join(home.home, "layouts", "mirror");
        const perName = join(home.home, "layouts", "by-name");
        const source = (name: string, tag: string) =>
          `docker://${reg.host}/${namespace}/${name}:${tag}`;
        await Deno.mkdir(perName, { recursive: true });
        // One layout holding both versions of "lay" as bare tags, and a folder of layouts.
        await skopeoCopy(source("lay", "1.0.0"), `oci:${shared}:1.0.0`);
        await skopeoCopy(source("lay", "1.1.0"), `oci:${shared}:1.1.0`);
        await skopeoCopy(source("other", "2.0.0"), `oci:${join(perName, "other")}:2.0.0`);
        await Deno.writeTextFile(
          join(home.home, ".provisioning", "config.toml"),
          `[oci]\nretry_count = 0\n[extensions]\nlayout_paths = ["${shared}", "${perName}"]\n`,
        );
        await reg.stop();
        const config = await configFor(home, reg.host, namespace);

        await t.step("listVersions reads both layout shapes", async () => {
          const layouts = createOciLayoutSource([shared, perName]);
          assert.deepEqual((await layouts.listVersions("lay")).map((v) => v.version), [
            "1.0.0",
            "1.1.0",
          ]);
          const other = await layouts.listVersions("other");
          assert.deepEqual(other.map((v) => [v.version, v.type]), [["2.0.0", "provider"]]);
        });

        await t.step("a caret spec resolves among the layout's tags", async () => {
          clearLoadMemo();
          const result = await loadExtension(undefined, "lay", "^1.0.0", {
            config,
            sourceType: "oci-layout",
          });
          assert.equal(result.error, undefined);
          assert.equal(result.version, "1.1.0");
          assert.equal(result.source, "oci-layout");
          assert.equal(result.digest, pushed.get("lay:1.1.0")!.digest);
          const entry = await getFromCache(home.cacheDir, "provider", "lay", "1.1.0");
          assert.equal(entry?.source, "oci-layout");
          assert.equal(entry?.repository, shared);
          assert.equal(entry?.registry, undefined);
        });

        await t.step("a digest loads that version from the layout, air-gapped", async () => {
          clearLoadMemo();
          const digest = pushed.get("lay:1.0.0")!.digest;
          const result = await loadExtension(undefined, `lay@${digest}`, "latest", { config });
          assert.equal(result.error, undefined);
          assert.equal(result.source, "oci-layout");
          assert.equal(result.version, "1.0.0");
          assert.equal(result.reference, `${shared}@${digest}`);
          const unknown = await loadExtension(undefined, "lay", `sha256:${"1".repeat(64)}`, {
            config,
            sourceType: "oci-layout",
          });
          assert.equal(unknown.error?.code, "NOT_FOUND");
        });

        await t.step("auto takes the layout before the (stopped) registry", async () => {
          const result = await loadExtension(undefined, "other", "latest", { config });
          assert.equal(result.error, undefined);
          assert.equal(result.source, "oci-layout");
          assert.equal(result.version, "2.0.0");
        });

        await t.step(
          "a corrupt layer or manifest is DIGEST_MISMATCH and caches nothing",
          async () => {
            const copy = join(home.home, "layouts", "corrupt");
            await new Deno.Command("cp", { args: ["-r", shared, copy] }).output();
            await corruptBlob(copy, pushed.get("lay:1.0.0")!.layerDigest);
            await corruptBlob(copy, pushed.get("lay:1.1.0")!.digest);
            const corrupt = structuredClone(config);
            corrupt.settings.extensions.layout_paths = [copy];
            corrupt.settings.cache.dir = join(home.home, "cache-2");
            for (const version of ["1.0.0", "1.1.0"]) {
              const result = await loadExtension(undefined, "lay", version, {
                config: corrupt,
                sourceType: "oci-layout",
              });
              assert.equal(result.error?.code, "DIGEST_MISMATCH", `${version}: ${result.error}`);
            }
            assert.deepEqual(await listCached(corrupt.settings.cache.dir), []);
          },
        );

        await t.step("no layout paths: explicit use is a config error, auto skips it", async () => {
          const none = structuredClone(config);
          none.settings.extensions.layout_paths = [];
          const explicit = await loadExtension(undefined, "nothing", "latest", {
            config: none,
            sourceType: "oci-layout",
          });
          assert.equal(explicit.error?.code, "INVALID_CONFIG");
        });
      } finally {
        clearLoadMemo();
        await home.cleanup();
      }
    },
  );
}
