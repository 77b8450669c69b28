import assert from "node:assert/strict";
import { join } from "node:path";
import { getFromCache, readIndex, saveOciToCache } from "../../src/cache/mod.ts";
import type { SaveStep } from "../../src/cache/mod.ts";
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

/** Reads the child's stdout until its `paused …` line; undefined when it ends first. */
async function pausedLine(child: Deno.ChildProcess): Promise<string | undefined> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return undefined;
      text += value;
      const line = text.split("\n").find((l) => l.startsWith("paused "));
      if (line !== undefined) return line;
    }
  } finally {
    reader.releaseLock();
  }
}

const STEPS: readonly SaveStep[] = ["extracted", "validated", "recorded", "indexed", "committed"];

Deno.test("a save killed with SIGKILL at each point of its work leaves no visible half entry", async () => {
  const seed = Number(Deno.env.get("CACHE_KILL_SEED") ?? Date.now() % 1_000_000);
  const random = prng(seed);
  await withTempDir(async (dir) => {
    const root = join(dir, "cache");
    const key = { type: "provider" as const, name: "aws", version: "1.0.0" };
    // 300 small files of random text: kills after N bytes land with part of them unpacked.
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
    const blob = join(root, "blobs", "sha256", sha256(bytes).slice("sha256:".length));
    // The child stops at a known point and waits there, so every kill lands whatever the
    // machine's speed: after N bytes of the download (seeded, spread over the archive), and
    // at each step of the commit (twice). Nothing is timed.
    const points: ({ bytes: number } | { step: SaveStep })[] = [
      ...Array.from(
        { length: 10 },
        () => ({ bytes: 1 + Math.floor(random() * (bytes.length - 1)) }),
      ),
      ...STEPS.flatMap((step) => [{ step }, { step }]),
    ];
    for (let i = points.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [points[i], points[j]] = [points[j]!, points[i]!];
    }
    const outcomes = { killed: 0, entryVisible: 0, leftovers: 0 };
    let visible = false;
    for (const [round, pauseAt] of points.entries()) {
      // Without the stored blob every save streams (a stored one is unpacked in place).
      await Deno.remove(blob).catch(() => {});
      const child = spawnSave({
        root,
        archive,
        key,
        digest: sha256(bytes),
        size: bytes.length,
        chunkSize: 4096,
        delayMs: 0,
        force: true,
        opensLog: join(dir, "opens.log"),
        pauseAt,
      });
      const line = await pausedLine(child);
      const context = `seed ${seed}, round ${round}, ${JSON.stringify(pauseAt)}: ${line}`;
      if (line !== undefined) child.kill("SIGKILL");
      const status = await child.status;
      await child.stderr.cancel();
      assert.equal(status.signal, "SIGKILL", `${context}: the child was not paused`);
      outcomes.killed++;

      // The index, when there is one, is always whole; the entry is complete or absent.
      const hasIndex = await Deno.lstat(join(root, "index.json")).then(() => true, () => false);
      if (hasIndex) assert.notEqual(await readIndex(root), undefined, context);
      const siblings = await listTree(join(root, "extensions/provider/aws")).catch(() => []);
      const tops = siblings.filter((p) => !p.slice(0, -1).includes("/"));
      for (const name of tops) {
        assert.ok(["1.0.0/", ".1.0.0.entry.json"].includes(name), `${context}: ${name}`);
      }
      // Until the commit the previous entry (if any) stays as it was; the commit moves it
      // away first (then `recorded`, `indexed`) and puts the new one in place last.
      const dirExists = tops.includes("1.0.0/");
      if ("step" in pauseAt && pauseAt.step === "committed") visible = true;
      if ("step" in pauseAt && (pauseAt.step === "recorded" || pauseAt.step === "indexed")) {
        visible = false;
      }
      assert.equal(dirExists, visible, `${context}: entry visible`);
      const entry = await getFromCache(root, "provider", "aws", "1.0.0");
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
    console.log(`kill test (seed ${seed}):`, outcomes);
    assert.equal(outcomes.killed, 20);

    const layer = blobOf(bytes);
    const entry = await saveOciToCache(root, key, { layer }, { force: true });
    assert.deepEqual(await listTree(entry.path), expected);
    assert.deepEqual(await listTree(join(root, "tmp")), []);
    assert.deepEqual(Object.keys((await readIndex(root)) ?? {}), ["provider/aws/1.0.0"]);
  });
});
