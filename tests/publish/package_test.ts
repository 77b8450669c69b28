// Integration tests of packageExtension(): real directories in temp folders, the real manifest
// validation, the system's GNU tar and diff as independent readers of the layer.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { lchown } from "node:fs/promises";
import { parse } from "yaml";
import { isProvisioningError, ProvisioningError } from "../../src/errors.ts";
import {
  type PackagedExtension,
  packageExtension,
  type PackageOptions,
} from "../../src/publish/mod.ts";
import { listAll, makeTree, run, SAMPLE_MANIFEST, SAMPLE_TREE } from "./_fixture.ts";

type Options = PackageOptions;

/** Packages `dir`, runs `fn`, always cleans the package up. */
async function withPackage<T>(
  dir: string,
  options: Options,
  fn: (pkg: PackagedExtension) => Promise<T> | T,
): Promise<T> {
  const pkg = await packageExtension(dir, options);
  try {
    return await fn(pkg);
  } finally {
    await pkg.cleanup();
  }
}

/** A sample extension directory, removed after `fn`. */
async function withSample<T>(fn: (dir: string) => Promise<T>, tree = SAMPLE_TREE): Promise<T> {
  const dir = await makeTree(tree);
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A fresh empty directory, removed after `fn`. */
async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "publish-out-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The manifest digest of packaging `dir`. */
function manifestDigest(dir: string, options: Options = {}): Promise<string> {
  return withPackage(dir, options, (pkg) => pkg.manifest.digest);
}

/** `tar -tvzf` of a layer: one `{mode, owner, size, date, name}` per entry. */
async function listLayer(path: string) {
  const result = await run("tar", ["--numeric-owner", "-tvzf", path]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trimEnd().split("\n").map((line) => {
    const match = /^(\S+) (\S+)\s+(\d+) (\S+ \S+) (.*)$/.exec(line);
    assert.ok(match, `unexpected tar line: ${line}`);
    const [, mode = "", owner = "", size = "", date = "", name = ""] = match;
    return { mode, owner, size: Number(size), date, name };
  });
}

/** The text of one file inside a layer, read with the system tar. */
async function readFromLayer(path: string, name: string): Promise<string> {
  const result = await run("tar", ["-xzOf", path, name]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

/** Reads a whole blob through its `open()`. */
async function readBlob(blob: { open(): Promise<ReadableStream<Uint8Array>> }) {
  return new Uint8Array(await new Response(await blob.open()).arrayBuffer());
}

Deno.test("packageExtension() gives the same manifest digest for the same directory", async () => {
  await withSample(async (dir) => {
    assert.equal(await manifestDigest(dir), await manifestDigest(dir));
  });
});

Deno.test("packageExtension() ignores mtimes, owners and irrelevant mode bits", async (t) => {
  await withSample(async (dir) => {
    const before = await manifestDigest(dir);
    const changes: [string, () => Promise<void>][] = [
      ["touching every entry to another mtime", async () => {
        for (const path of await listAll(dir)) {
          const info = await Deno.lstat(`${dir}/${path}`);
          if (!info.isSymlink) await Deno.utime(`${dir}/${path}`, 1e9, 1e9 + 12345);
        }
      }],
      ["group/other bits and owner-only modes", async () => {
        await Deno.chmod(`${dir}/kcl/main.k`, 0o600);
        await Deno.chmod(`${dir}/templates/config.j2`, 0o666);
        await Deno.chmod(`${dir}/scripts/install.sh`, 0o700);
        await Deno.chmod(`${dir}/kcl/sub`, 0o700);
      }],
      ["another owner", async () => {
        if (Deno.uid() !== 0) return; // only root can give files away
        for (const path of await listAll(dir)) await lchown(`${dir}/${path}`, 1234, 5678);
      }],
    ];
    for (const [change, apply] of changes) {
      await t.step(`same digest after ${change}`, async () => {
        await apply();
        assert.equal(await manifestDigest(dir), before);
      });
    }
    await t.step("another digest after making a file executable", async () => {
      await Deno.chmod(`${dir}/kcl/main.k`, 0o744);
      assert.notEqual(await manifestDigest(dir), before);
    });
  });
});

Deno.test("packageExtension() takes mtimes and created from SOURCE_DATE_EPOCH", async (t) => {
  await withSample(async (dir) => {
    const epochs: [number | undefined, string | undefined, string][] = [
      [undefined, undefined, "1970-01-01 00:00"],
      [0, "1970-01-01T00:00:00Z", "1970-01-01 00:00"],
      [1704067200, "2024-01-01T00:00:00Z", "2024-01-01 00:00"],
    ];
    const digests = new Set<string>();
    for (const [epoch, created, tarDate] of epochs) {
      await t.step(`SOURCE_DATE_EPOCH=${epoch}`, async () => {
        const options = epoch === undefined ? {} : { sourceDateEpoch: epoch };
        await withPackage(dir, options, async (pkg) => {
          const manifest = JSON.parse(new TextDecoder().decode(pkg.manifest.bytes));
          assert.equal(manifest.annotations["org.opencontainers.image.created"], created);
          for (const entry of await listLayer(pkg.layer.path)) assert.equal(entry.date, tarDate);
          digests.add(pkg.manifest.digest);
        });
      });
    }
    assert.equal(digests.size, 3);
  });
});

Deno.test("packageExtension() layer lists sorted under the name, owned by 0/0", async () => {
  await withSample(async (dir) => {
    await withPackage(dir, {}, async (pkg) => {
      const entries = await listLayer(pkg.layer.path);
      const names = entries.map((e) => e.name);
      const longPath = Object.keys(SAMPLE_TREE).find((p) => p.length > 100) ?? "";
      const longFolders = longPath.split("/");
      assert.deepEqual(names, [
        "demo-ext/",
        "demo-ext/docs/",
        "demo-ext/docs/README.md",
        "demo-ext/docs/latest.md -> README.md",
        "demo-ext/empty/",
        "demo-ext/extension.yaml",
        "demo-ext/kcl/",
        "demo-ext/kcl/main.k",
        "demo-ext/kcl/sub/",
        "demo-ext/kcl/sub/util.k",
        `demo-ext/${longFolders[0]}/`,
        `demo-ext/${longFolders[0]}/${longFolders[1]}/`,
        `demo-ext/${longPath}`,
        "demo-ext/scripts/",
        "demo-ext/scripts/install.sh",
        "demo-ext/templates/",
        "demo-ext/templates/config.j2",
      ]);
      for (const entry of entries) {
        assert.equal(entry.owner, "0/0", entry.name);
        assert.equal(entry.date, "1970-01-01 00:00", entry.name);
      }
      const modes = Object.fromEntries(entries.map((e) => [e.name, e.mode]));
      assert.equal(modes["demo-ext/"], "drwxr-xr-x");
      assert.equal(modes["demo-ext/scripts/install.sh"], "-rwxr-xr-x");
      assert.equal(modes["demo-ext/kcl/main.k"], "-rw-r--r--");
      assert.equal(modes["demo-ext/docs/latest.md -> README.md"], "lrwxrwxrwx");
      assert.deepEqual(
        pkg.files.map((f) => f.path),
        names.slice(1).map((n) => n.replace(/\/$/, "").replace(/ -> .*$/, "").slice(9)),
      );
    });
  });
});

Deno.test("packageExtension() layer unpacks with tar -xzf to the original tree", async () => {
  await withSample(async (dir) => {
    await withTemp(async (out) => {
      await withPackage(dir, {}, async (pkg) => {
        const untar = await run("tar", ["-xzf", pkg.layer.path, "-C", out]);
        assert.equal(untar.code, 0, untar.stderr);
      });
      const diff = await run("diff", ["-r", "--no-dereference", dir, `${out}/demo-ext`]);
      assert.equal(diff.code, 0, diff.stdout + diff.stderr);
      const script = await Deno.stat(`${out}/demo-ext/scripts/install.sh`);
      assert.equal((script.mode ?? 0) & 0o111, 0o111);
      assert.equal(await Deno.readLink(`${out}/demo-ext/docs/latest.md`), "README.md");
    });
  });
});

Deno.test("packageExtension() blobs describe themselves and reopen", async () => {
  await withSample(async (dir) => {
    await withPackage(dir, {}, async (pkg) => {
      const sha = (bytes: Uint8Array) =>
        `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
      for (const blob of [pkg.config, pkg.layer]) {
        const first = await readBlob(blob);
        assert.equal(blob.size, first.length);
        assert.equal(blob.digest, sha(first));
        assert.deepEqual(await readBlob(blob), first);
      }
      const gunzip = await run("sh", ["-c", `gzip -dc '${pkg.layer.path}' | sha256sum`]);
      assert.equal(`sha256:${gunzip.stdout.split(" ")[0]}`, pkg.layer.uncompressedDigest);
      const manifest = JSON.parse(new TextDecoder().decode(pkg.manifest.bytes));
      assert.deepEqual(manifest.config, {
        mediaType: pkg.config.mediaType,
        digest: pkg.config.digest,
        size: pkg.config.size,
      });
      assert.deepEqual(manifest.layers, [{
        mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
        digest: pkg.layer.digest,
        size: pkg.layer.size,
        annotations: {
          "io.deis.oras.content.digest": pkg.layer.uncompressedDigest,
          "io.deis.oras.content.unpack": "true",
          "org.opencontainers.image.title": "demo-ext",
        },
      }]);
      assert.equal(pkg.manifest.digest, sha(pkg.manifest.bytes));
      const layerPath = pkg.layer.path;
      await pkg.cleanup();
      await assert.rejects(Deno.stat(layerPath), Deno.errors.NotFound);
    });
  });
});

Deno.test("packageExtension() leaves out .git/ and .extensionignore patterns", async () => {
  const tree = {
    ...SAMPLE_TREE,
    ".git/HEAD": "ref: refs/heads/main\n",
    ".git/objects/ab/cdef": "blob",
    "kcl/.git": "gitdir: ../.git/modules/kcl\n",
    ".hg/store": "x",
    ".extensionignore": "# local junk\n*.log\n/build/\ndocs/**/draft-*.md\n!keep.log\n",
    "debug.log": "x",
    "kcl/trace.log": "x",
    "keep.log": "kept",
    "build/out.bin": "x",
    "docs/drafts/draft-1.md": "x",
    "docs/drafts/final.md": "y",
    ".gitignore": "shipped\n",
  };
  await withSample(async (dir) => {
    await withPackage(dir, {}, async (pkg) => {
      const paths = pkg.files.map((f) => f.path);
      for (const gone of [".git", ".hg", "kcl/.git", ".extensionignore", "debug.log", "build"]) {
        assert.ok(!paths.includes(gone), gone);
      }
      for (const kept of ["keep.log", "docs/drafts/final.md", ".gitignore", "docs/drafts"]) {
        assert.ok(paths.includes(kept), kept);
      }
      assert.ok(!paths.includes("docs/drafts/draft-1.md"));
      assert.ok(!paths.includes("kcl/trace.log"));
      const names = (await listLayer(pkg.layer.path)).map((e) => e.name);
      const leaked = /\/(\.git|\.hg|\.extensionignore|debug\.log|build)(\/|$)/;
      assert.deepEqual(names.filter((n) => leaked.test(n)), []);
    });
  }, tree);
});

Deno.test("packageExtension() refuses unsafe trees before writing anything", async (t) => {
  const cases: [string, (dir: string) => Promise<void>, RegExp, number?][] = [
    [
      "an escaping symlink",
      (dir) => Deno.symlink("../../../etc/passwd", `${dir}/kcl/passwd`),
      /^Cannot package "kcl\/passwd": symlink points outside the extension/,
    ],
    [
      "an absolute symlink",
      (dir) => Deno.symlink("/etc/hostname", `${dir}/hostname`),
      /^Cannot package "hostname": symlink has an absolute target \("\/etc\/hostname"\)/,
    ],
    [
      "an oversized file",
      (dir) => Deno.writeFile(`${dir}/kcl/blob.bin`, new Uint8Array(4097)),
      /^Cannot package "kcl\/blob.bin": file is 4097 bytes, over the 4096-byte limit/,
      4096,
    ],
    [
      "a fifo",
      async (dir) => {
        await run("mkfifo", [`${dir}/scripts/pipe`]);
      },
      /^Cannot package "scripts\/pipe": fifo cannot be packaged/,
    ],
    [
      "an extension.yaml excluded by .extensionignore",
      (dir) => Deno.writeTextFile(`${dir}/.extensionignore`, "*.yaml\n"),
      /^Cannot package ".*": no extension\.yaml/,
    ],
  ];
  for (const [what, make, message, maxFileSize] of cases) {
    await t.step(`refuses ${what}`, async () => {
      await withSample(async (dir) => {
        await make(dir);
        await withTemp(async (tmpDir) => {
          const options = maxFileSize === undefined ? { tmpDir } : { tmpDir, maxFileSize };
          await assert.rejects(
            packageExtension(dir, options),
            (error) => {
              assert.ok(isProvisioningError(error, "INVALID_EXTENSION"), String(error));
              assert.equal(error.exitCode, 2);
              assert.match(error.message, message);
              return true;
            },
          );
          assert.deepEqual(await listAll(tmpDir), []);
        });
      });
    });
  }
});

Deno.test("packageExtension() refuses bad versions and options before writing", async (t) => {
  const cases: [string, Options, string][] = [
    ["a v-prefixed version", { version: "v1.2.3" }, "INVALID_VERSION"],
    ["a partial version", { version: "1.2" }, "INVALID_VERSION"],
    ["an over-long version", { version: `1.0.0-${"a".repeat(130)}` }, "INVALID_VERSION"],
    ["a negative SOURCE_DATE_EPOCH", { sourceDateEpoch: -1 }, "USAGE"],
    ["a fractional SOURCE_DATE_EPOCH", { sourceDateEpoch: 1.5 }, "USAGE"],
    ["a zero size limit", { maxFileSize: 0 }, "USAGE"],
  ];
  for (const [what, options, code] of cases) {
    await t.step(`refuses ${what}`, async () => {
      await withSample(async (dir) => {
        await withTemp(async (tmpDir) => {
          await assert.rejects(
            packageExtension(dir, { ...options, tmpDir }),
            (error) => isProvisioningError(error) && error.code === code,
          );
          assert.deepEqual(await listAll(tmpDir), []);
        });
      });
    });
  }
});

Deno.test("packageExtension() writes a --version override into the layer and config", async () => {
  await withSample(async (dir) => {
    await withPackage(dir, { version: "2.0.0-rc.1" }, async (pkg) => {
      assert.equal(pkg.version, "2.0.0-rc.1");
      assert.equal(pkg.tag, "2.0.0-rc.1");
      assert.equal(pkg.notices.length, 1);
      assert.match(pkg.notices[0] ?? "", /"2\.0\.0-rc\.1".*on disk says "1\.2\.3"/);
      const packaged = await readFromLayer(pkg.layer.path, "demo-ext/extension.yaml");
      assert.equal(
        packaged,
        SAMPLE_MANIFEST.replace('version: "1.2.3"', 'version: "2.0.0-rc.1"'),
      );
      const entry = pkg.files.find((f) => f.path === "extension.yaml");
      assert.equal(entry?.size, new TextEncoder().encode(packaged).length);
      const config = JSON.parse(new TextDecoder().decode(pkg.config.bytes));
      assert.equal(config.extension.version, "2.0.0-rc.1");
      assert.equal(pkg.extension.extension.version, "2.0.0-rc.1");
      const manifest = JSON.parse(new TextDecoder().decode(pkg.manifest.bytes));
      assert.equal(manifest.annotations["org.opencontainers.image.version"], "2.0.0-rc.1");
    });
    assert.equal(await Deno.readTextFile(`${dir}/extension.yaml`), SAMPLE_MANIFEST);
  });
});

Deno.test("packageExtension() gives no notice when --version matches the manifest", async () => {
  await withSample(async (dir) => {
    const plain = await manifestDigest(dir);
    await withPackage(dir, { version: "1.2.3" }, (pkg) => {
      assert.deepEqual(pkg.notices, []);
      assert.equal(pkg.manifest.digest, plain);
    });
  });
});

Deno.test("packageExtension() tags build metadata with _", async () => {
  await withSample(async (dir) => {
    await withPackage(dir, { version: "1.2.3+build.1" }, async (pkg) => {
      assert.equal(pkg.version, "1.2.3+build.1");
      assert.equal(pkg.tag, "1.2.3_build.1");
      const packaged = parse(await readFromLayer(pkg.layer.path, "demo-ext/extension.yaml"));
      assert.equal(packaged.extension.version, "1.2.3+build.1");
    });
  });
});

Deno.test("packageExtension() round-trips paths and link targets over 100 bytes", async () => {
  const deep = `${"a".repeat(90)}/${"b".repeat(90)}/${"c".repeat(90)}`; // 272 bytes: PAX path
  const target = `../../../${"a".repeat(90)}/${"b".repeat(90)}/target.txt`;
  const tree = {
    "extension.yaml": SAMPLE_MANIFEST,
    [`${deep}/file.txt`]: "deep\n",
    [`${"a".repeat(90)}/${"b".repeat(90)}/target.txt`]: "target\n",
    [`${deep}/link`]: { symlink: target },
  };
  await withSample(async (dir) => {
    await withTemp(async (out) => {
      await withPackage(dir, {}, async (pkg) => {
        const names = (await listLayer(pkg.layer.path)).map((e) => e.name);
        assert.ok(names.includes(`demo-ext/${deep}/file.txt`));
        assert.ok(names.includes(`demo-ext/${deep}/link -> ${target}`));
        const untar = await run("tar", ["-xzf", pkg.layer.path, "-C", out]);
        assert.equal(untar.code, 0, untar.stderr);
      });
      assert.equal(await Deno.readTextFile(`${out}/demo-ext/${deep}/file.txt`), "deep\n");
      assert.equal(await Deno.readTextFile(`${out}/demo-ext/${deep}/link`), "target\n");
      const diff = await run("diff", ["-r", "--no-dereference", dir, `${out}/demo-ext`]);
      assert.equal(diff.code, 0, diff.stdout + diff.stderr);
    });
  }, tree);
});

Deno.test("packageExtension() packs through a symlinked extension root", async () => {
  await withSample(async (dir) => {
    const link = `${dir}.link`;
    await Deno.symlink(dir, link);
    try {
      assert.equal(await manifestDigest(link), await manifestDigest(dir));
    } finally {
      await Deno.remove(link);
    }
  });
});

Deno.test("packageExtension() validates with the injected validator first", async () => {
  await withSample(async (dir) => {
    await withTemp(async (tmpDir) => {
      const seen: string[] = [];
      const validate = (d: string) => {
        seen.push(d);
        return Promise.reject(new ProvisioningError("INVALID_MANIFEST", "Rejected by test"));
      };
      await assert.rejects(
        packageExtension(dir, { tmpDir, validate }),
        (error) => isProvisioningError(error, "INVALID_MANIFEST"),
      );
      assert.deepEqual(seen, [dir]);
      assert.deepEqual(await listAll(tmpDir), []);
    });
  });
});

Deno.test("packageExtension() refuses an invalid manifest before writing", async () => {
  const tree = { ...SAMPLE_TREE, "extension.yaml": "extension:\n  name: Bad Name\n" };
  await withSample(async (dir) => {
    await withTemp(async (tmpDir) => {
      await assert.rejects(
        packageExtension(dir, { tmpDir }),
        (error) => isProvisioningError(error, "INVALID_MANIFEST"),
      );
      assert.deepEqual(await listAll(tmpDir), []);
    });
  }, tree);
});

Deno.test("packageExtension() writes its temp files under tmpDir", async () => {
  await withSample(async (dir) => {
    await withTemp(async (tmpDir) => {
      await withPackage(dir, { tmpDir }, async (pkg) => {
        assert.ok(pkg.layer.path.startsWith(`${tmpDir}/`));
        assert.equal((await listAll(tmpDir)).length, 2); // the package's folder and layer
      });
      assert.deepEqual(await listAll(tmpDir), []);
    });
  });
});
