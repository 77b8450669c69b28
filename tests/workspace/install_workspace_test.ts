/**
 * `installWorkspace` over the real registry: it writes `extensions.lock`, leaves an
 * unchanged lock alone, refuses drift under `locked` (exit 2) and rewrites the lock without
 * it, and catches a version republished under the same tag on a fresh machine (exit 5,
 * naming both digests).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { clearLoadMemo } from "../../src/loader/mod.ts";
import { installWorkspace, readLock } from "../../src/workspace/mod.ts";
import { registryTest } from "../harness/registry.ts";
import { configFor, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";

const manifest = (name: string, version: string, dependencies = "") =>
  `extension:\n  name: ${name}\n  version: "${version}"\n  type: taskserv\n` +
  `  description: ${name}\n${dependencies}`;

registryTest("installWorkspace() writes, keeps, guards and verifies the lock", async (t, reg) => {
  const namespace = uniqueNamespace("install");
  using client = clientFor(reg, { settings: { namespace } });
  const ext = (name: string, version: string, deps = "", extra: Record<string, string> = {}) =>
    publish(client, {
      name,
      type: "taskserv",
      version,
      files: { "extension.yaml": manifest(name, version, deps), ...extra },
    });
  await ext("app", "1.0.0", "dependencies:\n  db: ^2.0.0\n");
  const db = await ext("db", "2.1.0");
  await ext("extra", "0.3.0");
  const home = await makeHome();
  try {
    const ws = join(home.home, "ws");
    await Deno.mkdir(ws);
    const file = join(ws, "extensions.toml");
    await Deno.writeTextFile(file, '[extensions]\napp = "^1.0.0"\n');
    const config = await configFor(home, reg.host, namespace);
    const install = (extra: { locked?: boolean; cacheDir?: string } = {}) => {
      clearLoadMemo();
      const settings = extra.cacheDir === undefined ? config.settings : {
        ...config.settings,
        cache: { ...config.settings.cache, dir: extra.cacheDir },
      };
      return installWorkspace({
        config: { ...config, settings },
        file,
        ...(extra.locked ? { locked: true } : {}),
      });
    };

    await t.step("the first install writes the lock; the second leaves it", async () => {
      const first = await install();
      assert.equal(first.written, true);
      assert.equal(first.lockPath, join(ws, "extensions.lock"));
      assert.deepEqual(first.lock.extensions.map((e) => `${e.name}@${e.version}`), [
        "app@1.0.0",
        "db@2.1.0",
      ]);
      assert.equal(first.lock.extensions[1]!.digest, db.digest);
      const text = await Deno.readTextFile(first.lockPath);
      const second = await install({ locked: true });
      assert.equal(second.written, false);
      assert.equal(await Deno.readTextFile(first.lockPath), text);
    });

    await t.step(
      "a new requirement is drift under --locked (exit 2), else a new lock",
      async () => {
        await Deno.writeTextFile(file, '[extensions]\napp = "^1.0.0"\nextra = "*"\n');
        await assert.rejects(install({ locked: true }), (error: Error & { exitCode?: number }) => {
          assert.equal(error.exitCode, 2);
          assert.match(
            error.message,
            /would have to change: the requirements changed \(--locked\)/,
          );
          return true;
        });
        const rewritten = await install();
        assert.equal(rewritten.written, true);
        assert.ok((await readLock(rewritten.lockPath))!.extensions.some((e) => e.name === "extra"));
      },
    );

    await t.step(
      "a dependency republished under its version is exit 5 on a fresh cache",
      async () => {
        const republished = await ext("db", "2.1.0", "", { "NOTES.md": "changed\n" });
        await assert.rejects(
          install({ cacheDir: join(home.home, "fresh-cache") }),
          (error: Error & { code?: string; exitCode?: number }) => {
            assert.equal(error.code, "DIGEST_MISMATCH");
            assert.equal(error.exitCode, 5);
            assert.ok(
              error.message.includes(db.digest) && error.message.includes(republished.digest),
            );
            assert.match(error.message, /^taskserv "db" 2\.1\.0 is not what the lock says/);
            return true;
          },
        );
      },
    );
  } finally {
    clearLoadMemo();
    await home.cleanup();
  }
});
