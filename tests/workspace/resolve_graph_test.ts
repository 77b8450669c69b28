/**
 * Dependency resolution over the real sources: a three-level graph whose nodes live in the
 * real registry and in a local folder, with a diamond that agrees, the seed's list form
 * (`dependencies: [db]`, any version) and a conflict; the lock records each node's origin,
 * digest and tree hash, and the tree hash of a registry-delivered extension equals that of
 * the same folder on disk.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { clearLoadMemo } from "../../src/loader/mod.ts";
import {
  formatLock,
  loaderIndex,
  lockGraph,
  readLock,
  resolveDependencies,
  treeHash,
  writeLock,
} from "../../src/workspace/mod.ts";
import { registryTest } from "../harness/registry.ts";
import { configFor, makeHome, writeExtension } from "../loader/_fixture.ts";
import { dependentManifest, publishDependent } from "./_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";

registryTest(
  "resolveDependencies() over the registry and a local folder, and the lock",
  async (t, reg) => {
    const namespace = uniqueNamespace("graph");
    using client = clientFor(reg, { settings: { namespace } });
    const ext = (name: string, version: string, deps = "") =>
      publishDependent(client, name, version, deps);
    // app → web (^1.0.0) and db (list form: any) and tool (local); web@1.1.0 → db ~2.1.0.
    await ext("app", "1.0.0", "dependencies: [web, db, tool]\n");
    await ext("web", "1.0.0");
    await ext("web", "1.1.0", "dependencies:\n  db: ~2.1.0\n");
    for (const v of ["2.0.0", "2.1.4", "2.2.0"]) await ext("db", v);
    await ext("bad", "1.0.0", "dependencies:\n  db: ^3.0.0\n  web: '*'\n");
    const home = await makeHome();
    try {
      await writeExtension(home.localDir, "tool", "tool", "taskserv", "0.1.0");
      const config = await configFor(home, reg.host, namespace);
      clearLoadMemo();

      await t.step("three levels, a diamond that agrees, two sources", async () => {
        const index = loaderIndex({ config });
        const graph = await resolveDependencies([{ name: "app", spec: "^1.0.0" }], index);
        assert.deepEqual(graph.nodes.map((n) => `${n.name}@${n.version}`), [
          "app@1.0.0",
          "db@2.1.4",
          "tool@0.1.0",
          "web@1.1.0",
        ]);
        const lock = await lockGraph(graph, index);
        const db = lock.extensions.find((e) => e.name === "db")!;
        assert.equal(db.source, "oci");
        assert.equal(db.origin, `${reg.host}/${namespace}/db`);
        assert.match(db.digest ?? "", /^sha256:/);
        assert.deepEqual(db.constraints, [
          { spec: "*", by: "app@1.0.0" },
          { spec: "~2.1.0", by: "web@1.1.0" },
        ]);
        const tool = lock.extensions.find((e) => e.name === "tool")!;
        assert.deepEqual([tool.source, tool.origin, tool.digest], ["local", null, null]);

        // The same folder, on disk and delivered by the registry, has the same tree hash.
        const folder = await writeExtension(home.home, "db-2.1.4", "db", "taskserv", "2.1.4", {
          "extension.yaml": dependentManifest("db", "2.1.4"),
        });
        assert.equal(db.tree, await treeHash(folder));

        const path = join(home.home, "extensions.lock");
        await writeLock(path, lock);
        const text = await Deno.readTextFile(path);
        assert.equal(text, formatLock(lock));
        assert.deepEqual(await readLock(path), lock);
        assert.equal(formatLock(structuredClone(lock)), text, "the text is stable");
      });

      await t.step("a conflict names every constraint and who imposed it (exit 3)", async () => {
        await assert.rejects(
          resolveDependencies([{ name: "bad", spec: "*" }], loaderIndex({ config })),
          (error: Error & { code?: string; exitCode?: number; details?: string[] }) => {
            assert.equal(error.code, "DEPENDENCY_CONFLICT");
            assert.equal(error.exitCode, 3);
            assert.deepEqual(error.details, [
              '"^3.0.0" from bad@1.0.0',
              '"~2.1.0" from web@1.1.0',
              "available: 2.2.0, 2.1.4, 2.0.0",
            ]);
            return true;
          },
        );
      });
    } finally {
      clearLoadMemo();
      await home.cleanup();
    }
  },
);
