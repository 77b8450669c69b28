import assert from "node:assert/strict";
import { join } from "node:path";
import { getFromCache, readIndex, saveOciToCache } from "../cache/mod.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { packageExtension } from "../publish/mod.ts";
import { fastCacheHit } from "./fast_hit.ts";

async function seed(root: string, type: ExtensionType, name: string, version: string, at: Date) {
  const src = await Deno.makeTempDir();
  await Deno.writeTextFile(
    join(src, "extension.yaml"),
    `extension:\n  name: ${name}\n  version: "${version}"\n  type: ${type}\n`,
  );
  const pkg = await packageExtension(src);
  await saveOciToCache(root, { type, name, version }, {
    layer: pkg.layer,
    digest: pkg.manifest.digest,
  }, { now: () => at });
  await pkg.cleanup();
  await Deno.remove(src, { recursive: true });
  return pkg.manifest.digest;
}

async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "fast-hit-" });
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("fastCacheHit() answers what getFromCache() answers", async () => {
  await withRoot(async (root) => {
    const digest = await seed(root, "provider", "aws", "1.0.0", new Date());
    const hit = await fastCacheHit(root, undefined, "aws", "1.0.0");
    const entry = await getFromCache(root, "provider", "aws", "1.0.0");
    assert.deepEqual(hit, {
      type: "provider",
      name: "aws",
      version: "1.0.0",
      source: "oci",
      path: entry?.path,
      digest,
    });
    assert.deepEqual(await fastCacheHit(root, "provider", "aws", "1.0.0"), hit);
  });
});

Deno.test("fastCacheHit() records a use like the cache does, at most once a minute", async () => {
  await withRoot(async (root) => {
    const old = new Date("2024-01-01T00:00:00Z");
    await seed(root, "taskserv", "k8s", "1.28.0", old);
    const now = Date.parse("2024-06-01T00:00:00Z");
    assert.ok(await fastCacheHit(root, "taskserv", "k8s", "1.28.0", () => now));
    const rows = await readIndex(root);
    assert.equal(rows?.["taskserv/k8s/1.28.0"]?.lastUsedAt, new Date(now).toISOString());
    const record = join(root, "extensions", "taskserv", "k8s", ".1.28.0.entry.json");
    assert.equal((await Deno.stat(record)).mtime?.getTime(), now);
    assert.deepEqual(
      [...Deno.readDirSync(join(root, "tmp"))].filter((e) => e.name.startsWith("index.")),
      [],
    );
    const before = await Deno.readTextFile(join(root, "index.json"));
    assert.ok(await fastCacheHit(root, "taskserv", "k8s", "1.28.0", () => now + 30_000));
    assert.equal(await Deno.readTextFile(join(root, "index.json")), before);
  });
});

Deno.test("fastCacheHit() is undefined whenever it is not sure", async (t) => {
  await withRoot(async (root) => {
    await seed(root, "provider", "dup", "1.0.0", new Date());
    await seed(root, "cluster", "dup", "1.0.0", new Date());
    await seed(root, "provider", "gone", "1.0.0", new Date());
    await Deno.remove(join(root, "extensions", "provider", "gone", "1.0.0"), { recursive: true });
    await t.step("a miss", async () => {
      assert.equal(await fastCacheHit(root, undefined, "nope", "1.0.0"), undefined);
    });
    await t.step("a version cached under two types, no type asked", async () => {
      assert.equal(await fastCacheHit(root, undefined, "dup", "1.0.0"), undefined);
      assert.equal((await fastCacheHit(root, "cluster", "dup", "1.0.0"))?.type, "cluster");
    });
    await t.step("a row whose directory is gone", async () => {
      assert.equal(await fastCacheHit(root, "provider", "gone", "1.0.0"), undefined);
    });
    await t.step("a row of unknown source or with a bad field", async () => {
      const index = join(root, "index.json");
      const data = JSON.parse(await Deno.readTextFile(index));
      data.entries["cluster/dup/1.0.0"].source = "unknown";
      data.entries["provider/dup/1.0.0"].size = -1;
      await Deno.writeTextFile(index, JSON.stringify(data));
      assert.equal(await fastCacheHit(root, "cluster", "dup", "1.0.0"), undefined);
      assert.equal(await fastCacheHit(root, "provider", "dup", "1.0.0"), undefined);
    });
    await t.step("a link at a cache folder, or a root reached through a link", async () => {
      await seed(root, "taskserv", "linked", "1.0.0", new Date());
      assert.ok(await fastCacheHit(root, "taskserv", "linked", "1.0.0"));
      const name = join(root, "extensions", "taskserv", "linked");
      await Deno.rename(name, `${name}-real`);
      await Deno.symlink(`${name}-real`, name);
      assert.equal(await fastCacheHit(root, "taskserv", "linked", "1.0.0"), undefined);
      await Deno.remove(name);
      await Deno.rename(`${name}-real`, name);
      const alias = `${root}-alias`;
      await Deno.symlink(root, alias);
      assert.equal(await fastCacheHit(alias, "taskserv", "linked", "1.0.0"), undefined);
      await Deno.remove(alias);
    });
    await t.step("an index of another schema, or not JSON", async () => {
      const index = join(root, "index.json");
      await Deno.writeTextFile(index, JSON.stringify({ schema: 2, entries: {} }));
      assert.equal(await fastCacheHit(root, "cluster", "dup", "1.0.0"), undefined);
      await Deno.writeTextFile(index, "{");
      assert.equal(await fastCacheHit(root, "cluster", "dup", "1.0.0"), undefined);
    });
  });
});
