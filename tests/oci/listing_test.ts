/**
 * Tag listing and catalog paging against the real registry (harness, plain variant).
 */

import assert from "node:assert/strict";
import { registryTest } from "../harness/registry.ts";
import {
  getArtifactManifest,
  getArtifactTags,
  listArtifacts,
  pushArtifact,
  pushManifest,
  type RegistryClient,
} from "../../src/oci/mod.ts";
import { clientFor, configSource, recordingFetch } from "./_helpers.ts";

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function pushEmpty(client: RegistryClient, ref: string) {
  return await pushArtifact(client, ref, { config: configSource({ ref }), layers: [] });
}

registryTest("getArtifactTags() lists 1,000 tags in semver order", async (_t, reg) => {
  using client = clientFor(reg);
  const first = await pushEmpty(client, "many:0.0.0");
  const { bytes } = await getArtifactManifest(client, `many@${first.digest}`);
  const tags = Array.from({ length: 999 }, (_, i) => `1.0.${i}`);
  await inBatches(tags, 32, (tag) => pushManifest(client, `many:${tag}`, bytes, first.mediaType));

  const listed = await getArtifactTags(client, "many");
  assert.equal(listed.length, 1000);
  assert.deepEqual(listed.slice(0, 4), ["0.0.0", "1.0.0", "1.0.1", "1.0.2"]);
  assert.deepEqual(listed.slice(-2), ["1.0.997", "1.0.998"]);
  assert.equal(listed.indexOf("1.0.10"), listed.indexOf("1.0.9") + 1);
  const unsorted = await getArtifactTags(client, "many", { sort: false });
  assert.deepEqual([...unsorted].sort(), [...listed].sort());
});

registryTest("getArtifactTags() of an unknown repository is NOT_FOUND", async (_t, reg) => {
  using client = clientFor(reg);
  await assert.rejects(getArtifactTags(client, "nothing-here"), {
    code: "NOT_FOUND",
    message: /Repository ".*\/nothing-here" not found/,
  });
});

registryTest("listArtifacts() pages through the catalog with Link", async (_t, reg) => {
  const recorder = recordingFetch();
  using client = clientFor(reg, { fetch: recorder.fetch });
  const names = ["a", "b", "c", "d", "e", "f", "g"];
  await inBatches(names, 7, (name) => pushEmpty(client, `${name}:1.0.0`));
  // Another namespace that must be filtered out.
  using other = clientFor(reg);
  await pushEmpty(other, "zz:1.0.0");

  const repos = await listArtifacts(client, { pageSize: 2 });
  assert.deepEqual(repos, names.map((n) => `${client.settings.namespace}/${n}`));
  const pages = recorder.requests.filter((r) => r.url.pathname === "/v2/_catalog");
  assert.ok(pages.length >= 4, `fetched ${pages.length} catalog pages`);
  assert.equal(pages[0]!.url.searchParams.get("n"), "2");
  assert.ok(pages.slice(1).every((p) => p.url.searchParams.has("last")), "followed Link");

  const all = await listArtifacts(client, { namespace: "" });
  assert.ok(all.includes(`${other.settings.namespace}/zz`));
});
