import assert from "node:assert/strict";
import { join } from "node:path";
import { isProvisioningError } from "../../src/errors.ts";
import { readIndex, saveOciToCache } from "../../src/cache/mod.ts";
import { blobOf, gzip, listTree, tarOf, withTempDir } from "../../src/cache/_testing.ts";

/** Runs the system tar in `cwd`; archives are built by the real tool where it can. */
async function systemTar(cwd: string, args: string[]): Promise<Uint8Array> {
  const out = await new Deno.Command("tar", { args: ["-cf", "-", ...args], cwd }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return out.stdout;
}

async function mknodOrRaw(dir: string, kind: "c" | "b"): Promise<Uint8Array> {
  const made = await new Deno.Command("mknod", {
    args: [join(dir, "dev"), kind, "1", "3"],
    stderr: "null",
  }).output().catch(() => undefined);
  if (made?.success) return await systemTar(dir, ["dev"]);
  // No CAP_MKNOD here: write the same header by hand.
  return await tarOf([{ name: "dev", type: kind === "c" ? "character-device" : "block-device" }]);
}

type Build = (work: string, outside: string) => Promise<Uint8Array>;

const CASES: [string, Build, RegExp][] = [
  ["traversal ../x (tar -P)", async (work) => {
    await Deno.mkdir(join(work, "a"));
    await Deno.writeTextFile(join(work, "a", "x"), "x");
    return await systemTar(join(work, "a"), ["-P", "../a/x"]);
  }, /"\.\." path components/],
  ["absolute /…/x (tar -P)", async (work) => {
    await Deno.writeTextFile(join(work, "x"), "x");
    return await systemTar(work, ["-P", join(work, "x")]);
  }, /absolute paths/],
  ["symlink escaping, then a file written through it", async (work) => {
    await Deno.mkdir(join(work, "one"));
    await Deno.symlink("../../outside", join(work, "one", "evil"));
    await Deno.mkdir(join(work, "two", "evil"), { recursive: true });
    await Deno.writeTextFile(join(work, "two", "evil", "pwned"), "pwned");
    return await systemTar(work, ["-C", "one", "evil", "-C", "../two", "evil/pwned"]);
  }, /symlink target "\.\.\/\.\.\/outside" escapes/],
  ["symlink inside, then a file written through it", async (work) => {
    await Deno.mkdir(join(work, "one"));
    await Deno.symlink(".", join(work, "one", "loop"));
    await Deno.mkdir(join(work, "two", "loop"), { recursive: true });
    await Deno.writeTextFile(join(work, "two", "loop", "x"), "x");
    return await systemTar(work, ["-C", "one", "loop", "-C", "../two", "loop/x"]);
  }, /parent "loop" is a symlink/],
  ["absolute symlink", async (work, outside) => {
    await Deno.symlink(outside, join(work, "abs"));
    return await systemTar(work, ["abs"]);
  }, /is absolute/],
  ["hard link to outside", async () =>
    await tarOf([
      { name: "extension.yaml", body: "" },
      { name: "h", type: "link", linkname: "../outside/secret" },
    ]), /hard link target/],
  [
    "hard link to a name not in the archive",
    async () => await tarOf([{ name: "h", type: "link", linkname: "etc/passwd" }]),
    /not a regular file/,
  ],
  [
    "backslash name ..\\..\\x (an escape on Windows)",
    async () => await tarOf([{ name: "..\\..\\x", body: "x" }]),
    /backslashes are not allowed/,
  ],
  [
    "symlink with a backslash target",
    async () => await tarOf([{ name: "l", type: "symlink", linkname: "..\\..\\etc" }]),
    /contains a backslash/,
  ],
  ["character device", (work) => mknodOrRaw(work, "c"), /character-device entries/],
  ["block device", (work) => mknodOrRaw(work, "b"), /block-device entries/],
  ["fifo", async (work) => {
    const made = await new Deno.Command("mkfifo", { args: [join(work, "pipe")] }).output();
    assert.ok(made.success);
    return await systemTar(work, ["pipe"]);
  }, /fifo entries/],
  ["oversize total", async (work) => {
    await Deno.writeTextFile(join(work, "extension.yaml"), "");
    await Deno.writeFile(join(work, "big"), new Uint8Array(300 * 1024));
    return await systemTar(work, ["extension.yaml", "big"]);
  }, /more than 262144 bytes/],
  ["too many files", async (work) => {
    for (let i = 0; i < 80; i++) await Deno.writeTextFile(join(work, `f${i}`), "");
    return await systemTar(work, ["."]);
  }, /more than 64 entries/],
];

Deno.test("hostile archives are refused with nothing written anywhere", async (t) => {
  for (const [label, build, reason] of CASES) {
    for (const compress of [false, true]) {
      await t.step(`${label}${compress ? " (gzip)" : ""}`, async () => {
        await withTempDir(async (dir) => {
          const work = join(dir, "work");
          const outside = join(dir, "outside");
          await Deno.mkdir(work);
          await Deno.mkdir(outside);
          const tar = await build(work, outside);
          const bytes = compress ? await gzip(tar) : tar;
          await Deno.remove(work, { recursive: true });
          const root = join(dir, "cache");
          const key = { type: "provider" as const, name: "evil", version: "1.0.0" };
          const error = await saveOciToCache(root, key, { layer: blobOf(bytes) }, {
            limits: { maxBytes: 256 * 1024, maxFiles: 64 },
          }).then(() => undefined, (e) => e);
          assert.ok(isProvisioningError(error, "UNSAFE_ARCHIVE"), String(error));
          assert.match(error.message, reason);
          assert.equal(error.exitCode, 5);
          // Nothing outside the cache, nothing visible inside it, no temporary leftovers.
          assert.deepEqual(await listTree(outside), []);
          assert.deepEqual(
            (await listTree(dir)).filter((p) => !p.startsWith("cache/") || p === "cache/"),
            [
              "cache/",
              "outside/",
            ],
          );
          assert.deepEqual(
            (await listTree(root)).filter((p) => !p.startsWith("locks/")),
            [".provisioning-cache", "blobs/", "blobs/sha256/", "extensions/", "index.json", "tmp/"],
          );
          assert.deepEqual(await readIndex(root), {});
        });
      });
    }
  }
});
