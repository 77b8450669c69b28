import assert from "node:assert/strict";
import { isProvisioningError, type ProvisioningError } from "../errors.ts";
import { collectExtensionFiles } from "./collect.ts";

/** A temp directory removed after `fn`, whatever happens. */
async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "collect-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Writes files (content strings) and folders (`null`) under `dir`. */
async function writeTree(dir: string, tree: Record<string, string | null>): Promise<void> {
  for (const [path, content] of Object.entries(tree)) {
    const abs = `${dir}/${path}`;
    if (content === null) {
      await Deno.mkdir(abs, { recursive: true });
    } else {
      await Deno.mkdir(abs.slice(0, abs.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(abs, content);
    }
  }
}

/** Runs `promise`, expecting an INVALID_EXTENSION error, and returns it. */
async function refusal(promise: Promise<unknown>): Promise<ProvisioningError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isProvisioningError(error, "INVALID_EXTENSION"), String(error));
    assert.equal(error.exitCode, 2);
    return error;
  }
  assert.fail("expected the extension to be refused");
}

Deno.test("collectExtensionFiles() walks depth first, children sorted by UTF-8 bytes", async () => {
  await withTempDir(async (dir) => {
    await writeTree(dir, {
      "a.txt": "x",
      "a/z": "x",
      "a/b/c": "x",
      "B": "x",
      "z": "x",
      "é": "x",
      "\uff01": "x", // fullwidth "!", U+FF01: before U+1F600 in UTF-8, after it in UTF-16
      "\u{1f600}": "x",
      "empty": null,
    });
    const entries = await collectExtensionFiles(dir);
    assert.deepEqual(entries.map((e) => e.path), [
      "B",
      "a",
      "a/b",
      "a/b/c",
      "a/z",
      "a.txt",
      "empty",
      "z",
      "é",
      "\uff01",
      "\u{1f600}",
    ]);
  });
});

Deno.test("collectExtensionFiles() normalises modes and keeps inside symlinks", async (t) => {
  await withTempDir(async (dir) => {
    await writeTree(dir, { "scripts/run.sh": "#!/bin/sh\n", "data/private": "s", "README": "r" });
    await Deno.chmod(`${dir}/scripts/run.sh`, 0o700);
    await Deno.chmod(`${dir}/data/private`, 0o600);
    await Deno.chmod(`${dir}/README`, 0o664);
    await Deno.chmod(`${dir}/data`, 0o700);
    await Deno.symlink("../README", `${dir}/scripts/readme-link`);
    await Deno.symlink("scripts", `${dir}/bin`);
    const byPath = new Map((await collectExtensionFiles(dir)).map((e) => [e.path, e]));
    const cases: [string, string, number, string | undefined][] = [
      ["scripts/run.sh", "file", 0o755, undefined],
      ["data/private", "file", 0o644, undefined],
      ["README", "file", 0o644, undefined],
      ["data", "directory", 0o755, undefined],
      ["scripts/readme-link", "symlink", 0o777, "../README"],
      ["bin", "symlink", 0o777, "scripts"],
    ];
    for (const [path, type, mode, linkTarget] of cases) {
      await t.step(`"${path}" is a ${type} with mode ${mode.toString(8)}`, () => {
        const entry = byPath.get(path);
        assert.ok(entry);
        assert.equal(entry.type, type);
        assert.equal(entry.mode, mode);
        assert.equal(entry.linkTarget, linkTarget);
      });
    }
    assert.equal(byPath.get("README")?.size, 1);
  });
});

Deno.test("collectExtensionFiles() skips ignored paths before checking them", async () => {
  await withTempDir(async (dir) => {
    await writeTree(dir, {
      "extension.yaml": "x",
      ".git/config": "x",
      ".extensionignore": "/tmp/\n*.bin\n",
      "tmp/x": "x",
      "big.bin": "0123456789",
    });
    await Deno.symlink("/etc/passwd", `${dir}/tmp/escape`);
    await new Deno.Command("mkfifo", { args: [`${dir}/tmp/fifo`] }).output();
    const entries = await collectExtensionFiles(dir, { maxFileSize: 5 });
    assert.deepEqual(entries.map((e) => e.path), ["extension.yaml"]);
  });
});

Deno.test("collectExtensionFiles() refuses unsafe entries, naming path and rule", async (t) => {
  const cases: [string, (dir: string) => Promise<void>, string, RegExp][] = [
    [
      "a symlink escaping the extension",
      (dir) => Deno.symlink("../../etc/passwd", `${dir}/kcl/evil`),
      "kcl/evil",
      /points outside the extension \("\.\.\/\.\.\/etc\/passwd"\)/,
    ],
    [
      "an absolute symlink",
      (dir) => Deno.symlink(`${dir}/extension.yaml`, `${dir}/abs`),
      "abs",
      /absolute target/,
    ],
    [
      "a symlink escaping through another link",
      async (dir) => {
        await Deno.symlink("..", `${dir}/kcl/up`); // lexically the root itself: allowed
        await Deno.symlink("kcl/up/..", `${dir}/sneaky`); // lexically "kcl", really outside
      },
      "sneaky",
      /outside the extension through another link/,
    ],
    [
      "a dangling symlink",
      (dir) => Deno.symlink("missing.txt", `${dir}/dangling`),
      "dangling",
      /target does not exist/,
    ],
    [
      "a symlink to an excluded path",
      async (dir) => {
        await Deno.mkdir(`${dir}/.git`);
        await Deno.symlink(".git", `${dir}/repo`);
      },
      "repo",
      /points to "\.git", which is not shipped/,
    ],
    [
      "a file over the size limit",
      (dir) => Deno.writeTextFile(`${dir}/kcl/big.k`, "x".repeat(101)),
      "kcl/big.k",
      /file is 101 bytes, over the 100-byte limit/,
    ],
    [
      "a file name with a backslash",
      (dir) => Deno.writeTextFile(`${dir}/kcl/..\\x.k`, "x"),
      "kcl/..\\x.k",
      /contains a backslash/,
    ],
    [
      "a fifo",
      async (dir) => {
        await new Deno.Command("mkfifo", { args: [`${dir}/pipe`] }).output();
      },
      "pipe",
      /fifo cannot be packaged/,
    ],
  ];
  for (const [what, make, path, rule] of cases) {
    await t.step(`refuses ${what}`, async () => {
      await withTempDir(async (dir) => {
        await writeTree(dir, { "extension.yaml": "x", "kcl/main.k": "x" });
        await make(dir);
        const error = await refusal(collectExtensionFiles(dir, { maxFileSize: 100 }));
        assert.ok(error.message.startsWith(`Cannot package "${path}": `), error.message);
        assert.match(error.message, rule);
        assert.ok(error.hint?.includes(".extensionignore"));
      });
    });
  }
});

Deno.test("collectExtensionFiles() refuses a socket", async () => {
  await withTempDir(async (dir) => {
    const listener = Deno.listen({ transport: "unix", path: `${dir}/sock` });
    try {
      const error = await refusal(collectExtensionFiles(dir));
      assert.match(error.message, /"sock": socket cannot be packaged/);
    } finally {
      listener.close();
    }
  });
});

Deno.test("collectExtensionFiles() reports every refusal at once", async () => {
  await withTempDir(async (dir) => {
    await Deno.symlink("/etc", `${dir}/a`);
    await Deno.symlink("../x", `${dir}/b`);
    await Deno.writeTextFile(`${dir}/c`, "too big");
    const error = await refusal(collectExtensionFiles(dir, { maxFileSize: 3 }));
    assert.match(error.message, /^Cannot package "a": .* \(and 2 more\)$/);
    assert.deepEqual(error.details.map((line) => line.split(":")[0]), ["a", "b", "c"]);
  });
});

Deno.test("collectExtensionFiles() refuses a missing directory", async () => {
  const error = await refusal(collectExtensionFiles("/nonexistent/extension"));
  assert.match(error.message, /not a directory/);
});

Deno.test("collectExtensionFiles() leaves secret-looking files out unless listed", async (t) => {
  const tree = {
    "extension.yaml": "x",
    ".env": "TOKEN=1",
    "certs/tls.key": "k",
    "certs/ca.pem": "c",
    "kcl/main.k": "x",
    "docs/keys.md": "about keys",
  };
  await t.step("left out by default, each reported", async () => {
    await withTempDir(async (dir) => {
      await writeTree(dir, tree);
      const left: string[] = [];
      const entries = await collectExtensionFiles(dir, { onSecretLeftOut: (p) => left.push(p) });
      assert.deepEqual(left.sort(), [".env", "certs/ca.pem", "certs/tls.key"]);
      const paths = entries.map((e) => e.path);
      assert.ok(!paths.includes(".env") && !paths.includes("certs/tls.key"));
      assert.ok(paths.includes("docs/keys.md"));
    });
  });
  await t.step(
    "a ! line in .extensionignore ships one; its own exclusions are not reported",
    async () => {
      await withTempDir(async (dir) => {
        await writeTree(dir, { ...tree, ".extensionignore": "!certs/ca.pem\n.env\n" });
        const left: string[] = [];
        const entries = await collectExtensionFiles(dir, { onSecretLeftOut: (p) => left.push(p) });
        assert.deepEqual(left, ["certs/tls.key"]);
        assert.ok(entries.some((e) => e.path === "certs/ca.pem"));
      });
    },
  );
});
