/**
 * `installWorkspace` over the real registry: it writes `extensions.lock`, leaves an
 * unchanged lock alone, refuses drift under `locked` (exit 2) and rewrites the lock without
 * it, and catches a version republished under the same tag on a fresh machine (exit 5,
 * naming both digests).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { clearLoadMemo } from "../../src/loader/mod.ts";
import {
  installWorkspace,
  loaderIndex,
  outdatedExtensions,
  readLock,
} from "../../src/workspace/mod.ts";
import { registryTest } from "../harness/registry.ts";
import { configFor, makeHome } from "../loader/_fixture.ts";
import { publishDependent } from "./_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";

registryTest("installWorkspace() writes, keeps, guards and verifies the lock", async (t, reg) => {
  const namespace = uniqueNamespace("install");
  using client = clientFor(reg, { settings: { namespace } });
  const ext = (name: string, version: string, deps = "", extra: Record<string, string> = {}) =>
    publishDependent(client, name, version, deps, extra);
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
            /would have to change: what resolves now differs from it \(--locked\)/,
          );
          return true;
        });
        const rewritten = await install();
        assert.equal(rewritten.written, true);
        assert.ok((await readLock(rewritten.lockPath))!.extensions.some((e) => e.name === "extra"));
      },
    );

    await t.step("update moves within the constraints and says what changed", async () => {
      await ext("db", "2.4.0");
      await ext("db", "3.0.0");
      const kept = await install();
      assert.deepEqual(kept.changes, [], "a new version alone changes nothing");
      clearLoadMemo();
      const rows = await outdatedExtensions(
        (await readLock(kept.lockPath))!,
        loaderIndex({ config }),
      );
      assert.deepEqual(rows.find((r) => r.name === "db"), {
        name: "db",
        type: "taskserv",
        locked: "2.1.0",
        wanted: "2.4.0",
        latest: "3.0.0",
      });
      clearLoadMemo();
      const updated = await installWorkspace({ config, file, update: ["db"] });
      assert.deepEqual(updated.changes, [{ name: "db", from: "2.1.0", to: "2.4.0" }]);
      assert.equal(updated.written, true);
    });

    await t.step(
      "a dependency republished under its version is exit 5 on a fresh cache",
      async () => {
        const locked = (await readLock(join(ws, "extensions.lock")))!.extensions
          .find((e) => e.name === "db")!;
        const republished = await ext("db", locked.version, "", { "NOTES.md": "changed\n" });
        await assert.rejects(
          install({ cacheDir: join(home.home, "fresh-cache") }),
          (error: Error & { code?: string; exitCode?: number }) => {
            assert.equal(error.code, "DIGEST_MISMATCH");
            assert.equal(error.exitCode, 5);
            assert.ok(error.message.includes(locked.digest!), error.message);
            assert.ok(error.message.includes(republished.digest), error.message);
            assert.match(
              error.message,
              /^taskserv "db" 2\.4\.0 is not what \S*extensions\.lock says/,
            );
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
