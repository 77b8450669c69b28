import assert from "node:assert/strict";
import { join } from "node:path";
import { listCached, readIndex } from "../../src/cache/mod.ts";
import { extensionArchive, listTree, sha256, withTempDir } from "../../src/cache/_testing.ts";
import { spawnSave } from "./_child.ts";

Deno.test("8 processes saving the same key: all succeed, one download, valid index", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, "cache");
    const random = new Uint8Array(256 * 1024);
    for (let i = 0; i < random.length; i += 65536) {
      crypto.getRandomValues(random.subarray(i, i + 65536));
    }
    const bytes = await extensionArchive("aws", "1.0.0", {
      extra: [{ name: "data.bin", body: random }],
    });
    const archive = join(dir, "layer.tar.gz");
    await Deno.writeFile(archive, bytes);
    const opensLog = join(dir, "opens.log");
    const options = {
      root,
      archive,
      key: { type: "provider", name: "aws", version: "1.0.0" },
      digest: sha256(bytes),
      size: bytes.length,
      chunkSize: 16 * 1024,
      delayMs: 25,
      force: false,
      opensLog,
    };
    const children = Array.from({ length: 8 }, () => spawnSave(options));
    const outputs = await Promise.all(children.map((child) => child.output()));
    const entries = outputs.map((out) => {
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      return JSON.parse(new TextDecoder().decode(out.stdout));
    });
    assert.equal((await Deno.readTextFile(opensLog)).trim().split("\n").length, 1);
    for (const entry of entries) {
      assert.equal(entry.path, join(root, "extensions/provider/aws/1.0.0"));
      assert.equal(entry.blobDigest, sha256(bytes));
      assert.equal(entry.pulledAt, entries[0].pulledAt);
    }
    const index = await readIndex(root);
    assert.deepEqual(Object.keys(index ?? {}), ["provider/aws/1.0.0"]);
    assert.equal((await listCached(root)).length, 1);
    assert.deepEqual(await Deno.readFile(join(entries[0].path, "data.bin")), random);
    assert.deepEqual(await listTree(join(root, "tmp")), []);
  });
});
