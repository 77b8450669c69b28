import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { unpackTar } from "modern-tar";
import { isProvisioningError } from "../errors.ts";
import { packLayer, type PackLayerOptions } from "./pack.ts";
import type { CollectedEntry } from "./types.ts";

const LONG_DIR = `${"d".repeat(60)}/${"e".repeat(60)}`;
const LONGER_NAME = "f".repeat(120); // no ustar split fits: needs a PAX path
const LONG_TARGET = `../${"t".repeat(110)}`;

/** Packs `entries` of a fresh tree, runs `fn` on the result, removes everything. */
async function withLayer(
  tree: Record<string, string>,
  entries: CollectedEntry[],
  options: Partial<PackLayerOptions>,
  fn: (layer: Awaited<ReturnType<typeof packLayer>>) => Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "pack-test-" });
  try {
    for (const [path, content] of Object.entries(tree)) {
      await Deno.mkdir(`${root}/${path}`.replace(/\/[^/]*$/, ""), { recursive: true });
      await Deno.writeTextFile(`${root}/${path}`, content);
    }
    const layer = await packLayer(root, entries, {
      prefix: "demo",
      mtime: 0,
      outputPath: `${root}.tar.gz`,
      ...options,
    });
    await fn(layer);
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(`${root}.tar.gz`).catch(() => {});
  }
}

const TREE = {
  "extension.yaml": "extension: {}\n",
  "scripts/run.sh": "#!/bin/sh\necho hi\n",
  [`${LONG_DIR}/${LONGER_NAME}`]: "deep\n",
};
const ENTRIES: CollectedEntry[] = [
  { path: LONG_DIR.split("/")[0] ?? "", type: "directory", size: 0, mode: 0o755 },
  { path: LONG_DIR, type: "directory", size: 0, mode: 0o755 },
  { path: `${LONG_DIR}/${LONGER_NAME}`, type: "file", size: 5, mode: 0o644 },
  { path: "extension.yaml", type: "file", size: 14, mode: 0o644 },
  { path: "link", type: "symlink", size: 0, mode: 0o777, linkTarget: LONG_TARGET },
  { path: "scripts", type: "directory", size: 0, mode: 0o755 },
  { path: "scripts/run.sh", type: "file", size: 18, mode: 0o755 },
];

Deno.test("packLayer() writes normalised headers under the top-level folder", async (t) => {
  await withLayer(TREE, ENTRIES, { mtime: 1700000000 }, async (layer) => {
    const gzip = await Deno.readFile(layer.path);
    const tar = new Uint8Array(
      await new Response(
        ReadableStream.from([gzip]).pipeThrough(new DecompressionStream("gzip")),
      ).arrayBuffer(),
    );
    await t.step("digests and sizes describe the bytes on disk", () => {
      assert.equal(layer.size, gzip.length);
      assert.equal(layer.digest, `sha256:${createHash("sha256").update(gzip).digest("hex")}`);
      assert.equal(layer.uncompressedSize, tar.length);
      assert.equal(
        layer.uncompressedDigest,
        `sha256:${createHash("sha256").update(tar).digest("hex")}`,
      );
    });
    await t.step("gzip header has mtime 0 and OS 255", () => {
      assert.deepEqual([...gzip.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    });
    const parsed = await unpackTar(tar, { strict: true });
    await t.step("entries keep the given order, prefixed, directories with a slash", () => {
      assert.deepEqual(parsed.map((e) => e.header.name), [
        "demo/",
        `demo/${LONG_DIR.split("/")[0]}/`,
        `demo/${LONG_DIR}/`,
        `demo/${LONG_DIR}/${LONGER_NAME}`,
        "demo/extension.yaml",
        "demo/link",
        "demo/scripts/",
        "demo/scripts/run.sh",
      ]);
    });
    await t.step("owners, mtimes and modes are normalised", () => {
      for (const { header } of parsed) {
        assert.equal(header.uid, 0);
        assert.equal(header.gid, 0);
        assert.equal(header.uname, "");
        assert.equal(header.gname, "");
        assert.equal(header.mtime?.getTime(), 1700000000 * 1000);
      }
      assert.deepEqual(
        parsed.map((e) => [e.header.type, e.header.mode?.toString(8)]),
        [
          ["directory", "755"],
          ["directory", "755"],
          ["directory", "755"],
          ["file", "644"],
          ["file", "644"],
          ["symlink", "777"],
          ["directory", "755"],
          ["file", "755"],
        ],
      );
    });
    await t.step("long names and link targets round-trip", () => {
      const link = parsed.find((e) => e.header.name === "demo/link");
      assert.equal(link?.header.linkname, LONG_TARGET);
      const deep = parsed.find((e) => e.header.name.endsWith(LONGER_NAME));
      assert.equal(new TextDecoder().decode(deep?.data), "deep\n");
    });
  });
});

Deno.test("packLayer() packages replaced contents instead of the file", async () => {
  const replacement = new TextEncoder().encode("extension: {version: 2}\n");
  await withLayer(
    TREE,
    [{ path: "extension.yaml", type: "file", size: 14, mode: 0o644 }],
    { replacements: new Map([["extension.yaml", replacement]]) },
    async (layer) => {
      const entries = await unpackTar(
        (await Deno.open(layer.path)).readable.pipeThrough(new DecompressionStream("gzip")),
      );
      assert.deepEqual(entries[1]?.data, replacement);
      assert.equal(entries[1]?.header.size, replacement.length);
    },
  );
});

Deno.test("packLayer() gives identical bytes for identical input", async () => {
  const digests: string[] = [];
  for (let i = 0; i < 2; i++) {
    await withLayer(TREE, ENTRIES, {}, (layer) => {
      digests.push(layer.digest);
      return Promise.resolve();
    });
  }
  assert.equal(digests[0], digests[1]);
});

Deno.test("packLayer() refuses a file that changed since it was collected", async (t) => {
  for (const size of [3, 40]) {
    await t.step(`collected size ${size}, 18 bytes on disk`, async () => {
      await assert.rejects(
        withLayer(
          TREE,
          [{ path: "scripts/run.sh", type: "file", size, mode: 0o644 }],
          {},
          () => Promise.resolve(),
        ),
        (error) =>
          isProvisioningError(error, "INVALID_EXTENSION") &&
          error.message === 'File "scripts/run.sh" changed while packaging',
      );
    });
  }
});

Deno.test("packLayer() refuses a file removed since it was collected", async () => {
  await assert.rejects(
    withLayer(
      TREE,
      [{ path: "gone.txt", type: "file", size: 3, mode: 0o644 }],
      {},
      () => Promise.resolve(),
    ),
    (error) =>
      isProvisioningError(error, "INVALID_EXTENSION") &&
      error.message === 'File "gone.txt" changed while packaging',
  );
});

Deno.test("packLayer() refuses an mtime a tar header cannot hold", async (t) => {
  for (const mtime of [-1, 1.5, 2 ** 33]) {
    await t.step(String(mtime), async () => {
      await assert.rejects(
        withLayer(TREE, [], { mtime }, () => Promise.resolve()),
        (error) => isProvisioningError(error, "USAGE"),
      );
    });
  }
});
