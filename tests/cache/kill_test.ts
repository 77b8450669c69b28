import assert from "node:assert/strict";
import { join } from "node:path";
import { getFromCache, readIndex, saveOciToCache } from "../../src/cache/mod.ts";
import {
  blobOf,
  extensionArchive,
  listTree,
  type Member,
  sha256,
  withTempDir,
} from "../../src/cache/_testing.ts";
import { spawnSave } from "./_child.ts";

/** A small seeded PRNG (mulberry32) so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("a save killed with SIGKILL at random points leaves no visible half entry", async () => {
  const seed = Number(Deno.env.get("CACHE_KILL_SEED") ?? Date.now() % 1_000_000);
  const random = prng(seed);
  await withTempDir(async (dir) => {
    const root = join(dir, "cache");
    const key = { type: "provider" as const, name: "aws", version: "1.0.0" };
    // 300 small files: extraction takes a while, so kills land mid-extract too.
    // Random bodies do not compress, so the slow download lasts ~0.5 s.
    const extra: Member[] = Array.from({ length: 300 }, (_, i) => ({
      name: `files/f${String(i).padStart(3, "0")}.txt`,
      body: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(768)))),
    }));
    const bytes = await extensionArchive("aws", "1.0.0", { extra });
    const archive = join(dir, "layer.tar.gz");
    await Deno.writeFile(archive, bytes);
    const expected = [
      "extension.yaml",
      "files/",
      ...extra.map((m) => m.name),
      "kcl/",
      "kcl/main.k",
      "scripts/",
      "scripts/install.sh",
    ].sort();
    const entryPath = join(root, "extensions/provider/aws/1.0.0");
    const options = {
      root,
      archive,
      key,
      digest: sha256(bytes),
      size: bytes.length,
      chunkSize: 4096,
      delayMs: 8,
      force: true,
      opensLog: join(dir, "opens.log"),
    };
    // One undisturbed run first: kill times are spread over its duration, so kills land
    // before, during and after the download, extraction and commit on any machine. Rounds
    // go on until 20 kills have landed (a run that finishes first counts as a round only).
    const started = performance.now();
    assert.ok((await spawnSave(options).output()).success);
    const window = performance.now() - started;
    const outcomes = { killed: 0, finished: 0, entryVisible: 0, leftovers: 0 };
    for (let round = 0; outcomes.killed < 20 && round < 60; round++) {
      const child = spawnSave(options);
      const delay = Math.floor(random() * window);
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
      const status = await child.output();
      if (status.signal === "SIGKILL") outcomes.killed++;
      else outcomes.finished++;
      const context = `seed ${seed}, round ${round}, kill after ${delay} ms`;

      // The index, when there is one, is always whole; the entry is complete or absent.
      const hasIndex = await Deno.lstat(join(root, "index.json")).then(() => true, () => false);
      if (hasIndex) assert.notEqual(await readIndex(root), undefined, context);
      const siblings = await listTree(join(root, "extensions/provider/aws")).catch(() => []);
      const tops = siblings.filter((p) => !p.slice(0, -1).includes("/"));
      for (const name of tops) {
        assert.ok(["1.0.0/", ".1.0.0.entry.json"].includes(name), `${context}: ${name}`);
      }
      const entry = await getFromCache(root, "provider", "aws", "1.0.0");
      const dirExists = tops.includes("1.0.0/");
      if (dirExists) {
        assert.deepEqual(await listTree(entryPath), expected, context);
        assert.equal(
          await Deno.readTextFile(join(entryPath, "files/f299.txt")),
          extra[299]!.body,
          context,
        );
        assert.ok(entry, `${context}: a complete directory is indexed`);
        outcomes.entryVisible++;
      } else {
        assert.equal(entry, undefined, context);
      }
      if ((await listTree(join(root, "tmp")).catch(() => [])).length > 0) outcomes.leftovers++;
    }
    console.log(`kill test (seed ${seed}, window ${Math.round(window)} ms):`, outcomes);
    assert.equal(outcomes.killed, 20, `too few kills landed: ${JSON.stringify(outcomes)}`);

    const layer = blobOf(bytes);
    const entry = await saveOciToCache(root, key, { layer }, { force: true });
    assert.deepEqual(await listTree(entry.path), expected);
    assert.deepEqual(await listTree(join(root, "tmp")), []);
    assert.deepEqual(Object.keys((await readIndex(root)) ?? {}), ["provider/aws/1.0.0"]);
  });
});
