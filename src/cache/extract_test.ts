import assert from "node:assert/strict";
import { join } from "node:path";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { extractArchive } from "./extract.ts";
import { gzip, listTree, type Member, tarOf, withTempDir } from "./_testing.ts";

function streamOf(bytes: Uint8Array, chunkSize = 700): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

Deno.test("extractArchive() unpacks tar and tar+gzip trees", async (t) => {
  const members: Member[] = [
    { name: "./", type: "directory" },
    { name: "./extension.yaml", body: "x: 1\n" },
    { name: "kcl/", type: "directory" },
    { name: "kcl/", type: "directory" },
    { name: "kcl/main.k", body: "a = 1\n" },
    { name: "deep/er/file.txt", body: "deep" },
    { name: "bin/run", body: "#!/bin/sh\n", mode: 0o4755 },
    { name: "docs/readme", body: "r", mode: 0o2600 },
    { name: "link-to-kcl", type: "symlink", linkname: "kcl/main.k" },
    { name: "deep/er/up", type: "symlink", linkname: "../../kcl" },
    { name: "hard", type: "link", linkname: "./kcl/main.k" },
  ];
  for (const compressed of [false, true]) {
    await t.step(compressed ? "tar+gzip" : "tar", async () => {
      await withTempDir(async (dir) => {
        const tar = await tarOf(members);
        const bytes = compressed ? await gzip(tar) : tar;
        const dest = join(dir, "out");
        const stats = await extractArchive(streamOf(bytes), dest);
        assert.equal(stats.gzip, compressed);
        assert.deepEqual(await listTree(dest), [
          "bin/",
          "bin/run",
          "deep/",
          "deep/er/",
          "deep/er/file.txt",
          "deep/er/up",
          "docs/",
          "docs/readme",
          "extension.yaml",
          "hard",
          "kcl/",
          "kcl/main.k",
          "link-to-kcl",
        ]);
        assert.equal(stats.files, 6);
        assert.equal(stats.symlinks, 2);
        assert.equal(stats.materializedLinks, 0); // this test may create symlinks
        assert.ok((await Deno.lstat(join(dest, "deep/er/up"))).isSymlink);
        assert.equal(stats.directories, 5);
        assert.equal(await Deno.readTextFile(join(dest, "hard")), "a = 1\n");
        assert.equal(await Deno.readTextFile(join(dest, "deep/er/up/main.k")), "a = 1\n");
        assert.equal((await Deno.stat(join(dest, "bin/run"))).mode! & 0o7777, 0o755);
        assert.equal((await Deno.stat(join(dest, "docs/readme"))).mode! & 0o7777, 0o644);
      });
    });
  }
});

Deno.test("extractArchive() reads PAX and GNU long names", async (t) => {
  const long = `${"d".repeat(120)}/${"e".repeat(150)}/${"f".repeat(200)}.txt`;
  await t.step("PAX path records (modern-tar)", async () => {
    await withTempDir(async (dir) => {
      const tar = await tarOf([{ name: long, body: "long" }]);
      await extractArchive(streamOf(tar), join(dir, "out"));
      assert.equal(await Deno.readTextFile(join(dir, "out", long)), "long");
    });
  });
  for (const format of ["gnu", "pax", "ustar"]) {
    await t.step(`system tar --format=${format}`, async () => {
      await withTempDir(async (dir) => {
        const name = format === "ustar" ? `${"u".repeat(90)}/${"v".repeat(40)}/file.txt` : long;
        await Deno.mkdir(join(dir, "src", name, ".."), { recursive: true });
        await Deno.writeTextFile(join(dir, "src", name), format);
        const archive = join(dir, "a.tar.gz");
        const tar = await new Deno.Command("tar", {
          args: [`--format=${format}`, "-czf", archive, "-C", join(dir, "src"), "."],
        }).output();
        assert.ok(tar.success, new TextDecoder().decode(tar.stderr));
        const file = await Deno.open(archive);
        await extractArchive(file.readable, join(dir, "out"));
        assert.equal(await Deno.readTextFile(join(dir, "out", name)), format);
      });
    });
  }
});

Deno.test("extractArchive() refuses hostile archives and writes nothing", async (t) => {
  const cases: [string, Member[], RegExp, object?][] = [
    ["traversal", [{ name: "ok.txt", body: "x" }, { name: "../x", body: "x" }], /"\.\." path/],
    ["nested traversal", [{ name: "a/../../x", body: "x" }], /"\.\." path/],
    ["absolute path", [{ name: "/tmp/x", body: "x" }], /absolute paths/],
    ["symlink escape", [{ name: "l", type: "symlink", linkname: "../../etc" }], /escapes/],
    ["absolute symlink", [{ name: "l", type: "symlink", linkname: "/etc" }], /absolute/],
    ["file through a symlink", [
      { name: "l", type: "symlink", linkname: "." },
      { name: "l/x", body: "x" },
    ], /parent "l" is a symlink/],
    ["symlink then same-name file", [
      { name: "l", type: "symlink", linkname: "x" },
      { name: "l", body: "x" },
    ], /duplicates/],
    ["hard link outside", [{ name: "h", type: "link", linkname: "../etc/passwd" }], /hard link/],
    [
      "hard link to a missing file",
      [{ name: "h", type: "link", linkname: "nope" }],
      /not a regular file/,
    ],
    ["hard link to a symlink", [
      { name: "s", type: "symlink", linkname: "." },
      { name: "h", type: "link", linkname: "s" },
    ], /not a regular file/],
    ["character device", [{ name: "null", type: "character-device" }], /character-device entries/],
    ["block device", [{ name: "sda", type: "block-device" }], /block-device entries/],
    ["fifo", [{ name: "pipe", type: "fifo" }], /fifo entries/],
    [
      "oversize",
      [{ name: "a", body: "x".repeat(600) }, { name: "b", body: "y".repeat(600) }],
      /more than 1000 bytes/,
    ],
    [
      "too many entries",
      Array.from({ length: 12 }, (_, i) => ({ name: `f${i}`, body: "" })),
      /more than 10 entries/,
    ],
    [
      "too many implicit directories",
      [{ name: "a/b/c/d/e/f/g/h/i/j/k/l", body: "" }],
      /more than 10 entries/,
    ],
  ];
  for (const [label, members, reason] of cases) {
    await t.step(label, async () => {
      await withTempDir(async (dir) => {
        const tar = await tarOf(members);
        const dest = join(dir, "sub", "out");
        await Deno.mkdir(join(dir, "sub"));
        const error = await extractArchive(streamOf(await gzip(tar)), dest, {
          maxBytes: 1000,
          maxFiles: 10,
        }).then(() => undefined, (e) => e);
        assert.ok(isProvisioningError(error, "UNSAFE_ARCHIVE"), String(error));
        assert.match(error.message, reason);
        assert.equal(error.exitCode, 5);
        assert.deepEqual(await listTree(dir), ["sub/"]);
      });
    });
  }
});

Deno.test("extractArchive() reports corrupt input and keeps source errors", async (t) => {
  const tar = await tarOf([{ name: "a", body: "x".repeat(2000) }]);
  const gz = await gzip(tar);
  const cases: [string, () => ReadableStream<Uint8Array>, string, RegExp][] = [
    ["truncated tar", () => streamOf(tar.slice(0, 1024)), "INTEGRITY", /truncated/],
    [
      "truncated gzip",
      () => streamOf(gz.slice(0, gz.length - 10)),
      "INTEGRITY",
      /Cannot read archive/,
    ],
    [
      "gzip with junk after it",
      () => streamOf(new Uint8Array([...gz, 1, 2, 3])),
      "INTEGRITY",
      /Cannot read archive/,
    ],
    [
      "bad header checksum",
      () => {
        const bad = tar.slice();
        bad[0] = 0x7a;
        return streamOf(bad);
      },
      "INTEGRITY",
      /checksum/,
    ],
    ["empty stream", () => streamOf(new Uint8Array()), "INTEGRITY", /empty/],
    ["zstd", () => streamOf(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0, 0])), "UNSUPPORTED", /zstd/],
    [
      "source error",
      () => {
        let sent = false;
        return new ReadableStream({
          pull(controller) {
            if (sent) controller.error(new ProvisioningError("UNREACHABLE", "Connection reset"));
            else controller.enqueue(gz.slice(0, 50));
            sent = true;
          },
        });
      },
      "UNREACHABLE",
      /Connection reset/,
    ],
  ];
  for (const [label, stream, code, message] of cases) {
    await t.step(label, async () => {
      await withTempDir(async (dir) => {
        const error = await extractArchive(stream(), join(dir, "out")).then(
          () => undefined,
          (e) => e,
        );
        assert.ok(error instanceof ProvisioningError, String(error));
        assert.equal(error.code, code);
        assert.match(error.message, message);
        assert.deepEqual(await listTree(dir), []);
      });
    });
  }
  await t.step("existing destination", async () => {
    await withTempDir(async (dir) => {
      await assert.rejects(extractArchive(streamOf(tar), dir), { code: "ALREADY_EXISTS" });
    });
  });
});

Deno.test("extractArchive() names what is wrong with a mangled gzip or tar stream", async (t) => {
  const tar = await tarOf([{ name: "extension.yaml", body: "x" }]);
  const gz = await gzip(tar);
  const cases: [string, Uint8Array, RegExp][] = [
    ["two gzip members", new Uint8Array([...gz, ...gz]), /bytes follow the end of its gzip/],
    ["bytes after the gzip trailer", new Uint8Array([...gz, 1, 2, 3]), /bytes follow the end/],
    ["a tar cut short", tar.slice(0, 600), /truncated/],
    [
      "garbage after the tar's end",
      new Uint8Array([...tar, ...new Uint8Array(700).fill(7)]),
      /ends in the middle of an entry \(truncated or corrupt\)/,
    ],
  ];
  for (const [label, bytes, message] of cases) {
    await t.step(label, async () => {
      await withTempDir(async (dir) => {
        await assert.rejects(
          extractArchive(streamOf(bytes), `${dir}/out`),
          (error: Error & { code?: string }) => {
            assert.equal(error.code, "INTEGRITY");
            assert.match(error.message, message);
            return true;
          },
        );
        assert.deepEqual([...Deno.readDirSync(dir)], [], "nothing left behind");
      });
    });
  }
});
