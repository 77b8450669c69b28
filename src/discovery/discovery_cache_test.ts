import assert from "node:assert/strict";
import { join } from "node:path";
import { discoveredEntry } from "./_testing.ts";
import {
  type DiscoveryCacheFile,
  discoveryCachePath,
  readDiscoveryCache,
  writeDiscoveryCache,
} from "./discovery_cache.ts";

function listing(label: string, count = 1): DiscoveryCacheFile {
  return {
    format: 1,
    source: "oci",
    label,
    key: "key",
    createdAt: "2025-01-01T00:00:00.000Z",
    extensions: Array.from({ length: count }, (_, i) => discoveredEntry(`e${i}`)),
  };
}

Deno.test("discoveryCachePath() differs per source and key", () => {
  const a = discoveryCachePath("/c", "oci", "one");
  assert.notEqual(a, discoveryCachePath("/c", "oci", "two"));
  assert.notEqual(a, discoveryCachePath("/c", "gitea", "one"));
  assert.equal(a, discoveryCachePath("/c", "oci", "one"));
});

Deno.test("readDiscoveryCache() treats anything unexpected as no listing", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "oci-1.json");
    const cases: [label: string, text: string][] = [
      ["not JSON", "{ torn"],
      ["JSON null", "null"],
      ["another format", JSON.stringify({ ...listing("x"), format: 2 })],
      ["another key", JSON.stringify({ ...listing("x"), key: "other" })],
      ["a bad date", JSON.stringify({ ...listing("x"), createdAt: "yesterday" })],
      ["entries without names", JSON.stringify({ ...listing("x"), extensions: [{}] })],
    ];
    for (const [label, text] of cases) {
      await t.step(label, async () => {
        await Deno.writeTextFile(path, text);
        assert.equal(await readDiscoveryCache(path, "key"), undefined);
      });
    }
    await t.step("a valid file", async () => {
      await Deno.writeTextFile(path, JSON.stringify(listing("ok", 3)));
      assert.equal((await readDiscoveryCache(path, "key"))?.extensions.length, 3);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeDiscoveryCache() replaces atomically: concurrent writers leave one whole file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "discovery", "oci-1.json");
    await Promise.all(
      Array.from({ length: 16 }, (_, i) => writeDiscoveryCache(path, listing(`w${i}`, 200))),
    );
    const read = await readDiscoveryCache(path, "key");
    assert.match(read?.label ?? "", /^w\d+$/);
    assert.equal(read?.extensions.length, 200);
    const names = (await Array.fromAsync(Deno.readDir(join(dir, "discovery")))).map((e) => e.name);
    assert.deepEqual(names, ["oci-1.json"], "no temporary files left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
