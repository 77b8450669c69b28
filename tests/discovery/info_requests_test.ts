/**
 * `ext info` against the real registry asks for each thing once: the lookup's tag list,
 * manifest and config serve the description too (it used to read all three twice).
 */

import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/mod.ts";
import { getExtensionInfo } from "../../src/discovery/mod.ts";
import { registryTest } from "../harness/registry.ts";
import { countingFetch, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";

registryTest("getExtensionInfo() reads tags, manifest and config once each", async (t, reg) => {
  const namespace = uniqueNamespace("info-once");
  using client = clientFor(reg, { settings: { namespace } });
  await publish(client, { name: "once", type: "provider", version: "1.0.0" });
  const latest = await publish(client, { name: "once", type: "provider", version: "1.1.0" });
  const home = await makeHome();
  try {
    const config = await loadConfig({
      cwd: home.home,
      home: home.home,
      env: {
        PROVISIONING_OCI_REGISTRY: reg.host,
        PROVISIONING_OCI_NAMESPACE: namespace,
        PROVISIONING_CACHE_DIR: home.cacheDir,
      },
    });
    const repo = `/v2/${namespace}/once`;
    await t.step("the highest version: probe, tags, manifest, config", async () => {
      const counter = countingFetch();
      const info = await getExtensionInfo("once", {
        config,
        source: "oci",
        registry: { fetch: counter.fetch },
      });
      assert.equal(info.digest, latest.digest);
      assert.deepEqual(counter.requests.map((r) => r.replace(/sha256:\w+/, "D")), [
        "GET /v2/",
        `GET ${repo}/tags/list`,
        `GET ${repo}/manifests/1.1.0`,
        `GET ${repo}/blobs/D`,
      ]);
    });
    await t.step("another version reuses the tag list", async () => {
      const counter = countingFetch();
      const info = await getExtensionInfo("once", {
        config,
        source: "oci",
        version: "1.0.0",
        registry: { fetch: counter.fetch },
      });
      assert.equal(info.version, "1.0.0");
      assert.equal(counter.requests.filter((r) => r.endsWith("/tags/list")).length, 1);
    });
  } finally {
    await home.cleanup();
  }
});
