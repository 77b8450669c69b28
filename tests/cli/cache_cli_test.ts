/**
 * `ext cache list|stats|clear|prune` spawned against a cache with known entries and last-use
 * times (written through the cache library with a clock in the past): JSON and table
 * output, dry runs, selections, and usage errors.
 */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { packTar } from "modern-tar";
import { listCached, saveOciToCache } from "../../src/cache/mod.ts";
import type { ExtensionType } from "../../src/manifest/types.ts";
import { manifestText } from "../loader/_fixture.ts";
import { runCli } from "./run_cli.ts";

const DAY = 24 * 60 * 60 * 1000;

/** Saves `{type}/{name}/{version}` as if pulled and last used `daysAgo` days ago. */
async function seed(
  root: string,
  type: ExtensionType,
  name: string,
  version: string,
  daysAgo: number,
): Promise<void> {
  const text = manifestText(name, type, version);
  const tar = await packTar([
    { header: { name: "extension.yaml", size: text.length, type: "file" }, body: text },
  ]);
  const layer = {
    digest: "sha256:" + createHash("sha256").update(tar).digest("hex"),
    size: tar.length,
    open: () => Promise.resolve(new Blob([tar]).stream()),
  };
  const when = new Date(Date.now() - daysAgo * DAY);
  await saveOciToCache(root, { type, name, version }, { layer, registry: "r.example" }, {
    now: () => when,
  });
}

Deno.test("ext cache commands against a known cache", async (t) => {
  const home = await Deno.makeTempDir({ prefix: "cache-cli-" });
  const cacheDir = join(home, "cache");
  try {
    await seed(cacheDir, "provider", "aws", "1.0.0", 100);
    await seed(cacheDir, "provider", "aws", "2.0.0", 10);
    await seed(cacheDir, "provider", "aws", "3.0.0", 0);
    await seed(cacheDir, "taskserv", "k8s", "1.28.0", 0);
    const cli = (...args: string[]) =>
      runCli(args, { home, env: { PROVISIONING_CACHE_DIR: cacheDir } });
    const keys = async () => (await listCached(cacheDir)).map((e) => e.key);

    await t.step("list --format json: every entry, sorted, with its record", async () => {
      const run = await cli("ext", "cache", "list", "--format", "json");
      assert.equal(run.code, 0, run.stderr);
      const entries = JSON.parse(run.stdout);
      assert.deepEqual(entries.map((e: { key: string }) => e.key), [
        "provider/aws/1.0.0",
        "provider/aws/2.0.0",
        "provider/aws/3.0.0",
        "taskserv/k8s/1.28.0",
      ]);
      for (const key of ["type", "name", "version", "source", "size", "lastUsedAt", "path"]) {
        assert.ok(key in entries[0], `missing ${key}`);
      }
      assert.equal(entries[0].registry, "r.example");
    });

    await t.step("list filters by type and name; the table has a header", async () => {
      const run = await cli("ext", "cache", "list", "--type", "taskserv");
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^TYPE\s+NAME\s+VERSION\s+SOURCE\s+SIZE\s+LAST USED$/m);
      assert.match(run.stdout, /^taskserv\s+k8s\s+1\.28\.0\s+oci\s/m);
      assert.doesNotMatch(run.stdout, /aws/);
      const byName = await cli("ext", "cache", "list", "--name", "aws", "--format", "yaml");
      assert.equal(byName.stdout.match(/^- key: /gm)?.length, 3);
    });

    await t.step("stats: entries and bytes per type, oldest and newest use", async () => {
      const run = await cli("ext", "cache", "stats", "--format", "json");
      assert.equal(run.code, 0, run.stderr);
      const stats = JSON.parse(run.stdout);
      assert.equal(stats.root, cacheDir);
      assert.equal(stats.entries, 4);
      assert.equal(stats.byType.provider.entries, 3);
      assert.equal(stats.byType.taskserv.entries, 1);
      assert.equal(stats.blobs.count, 4);
      assert.ok(Date.now() - Date.parse(stats.oldestUse) > 99 * DAY);
      const table = await cli("ext", "cache", "stats");
      assert.match(table.stdout, /^Entries:\s+4 \(/m);
    });

    await t.step("prune --days 30 --dry-run reports without removing", async () => {
      const run = await cli(
        "ext",
        "cache",
        "prune",
        "--days",
        "30",
        "--dry-run",
        "--format",
        "json",
      );
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout);
      assert.equal(report.dryRun, true);
      assert.deepEqual(report.removed.map((e: { key: string }) => e.key), ["provider/aws/1.0.0"]);
      assert.equal((await keys()).length, 4);
    });

    await t.step("prune --days 30 removes what was unused for 30 days", async () => {
      const run = await cli("ext", "cache", "prune", "--days", "30");
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^Removed provider\/aws\/1\.0\.0$/m);
      assert.match(run.stdout, /^Removed 1 entry \(.*\), 1 blob \(/m);
      assert.deepEqual(await keys(), [
        "provider/aws/2.0.0",
        "provider/aws/3.0.0",
        "taskserv/k8s/1.28.0",
      ]);
    });

    await t.step("prune --keep 1 keeps the highest version of each extension", async () => {
      const run = await cli("ext", "cache", "prune", "--keep", "1", "--format", "json");
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout).removed.map((e: { key: string }) => e.key), [
        "provider/aws/2.0.0",
      ]);
    });

    await t.step("clear --name removes one extension; --all the rest", async () => {
      const run = await cli("ext", "cache", "clear", "--name", "k8s", "--format", "json");
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).blobsRemoved, 1);
      assert.deepEqual(await keys(), ["provider/aws/3.0.0"]);
      const all = await cli("ext", "cache", "clear", "--all");
      assert.equal(all.code, 0, all.stderr);
      assert.deepEqual(await keys(), []);
      const stats = JSON.parse((await cli("ext", "cache", "stats", "--format", "json")).stdout);
      assert.equal(stats.entries, 0);
      assert.equal(stats.blobs.count, 0);
    });

    await t.step("usage errors exit 2 with one line", async () => {
      const cases: [string[], RegExp][] = [
        [["ext", "cache", "clear"], /without a selection/],
        [["ext", "cache", "prune"], /without a criterion/],
        [["ext", "cache", "prune", "--keep", "-1"], /--keep/],
        [["ext", "cache", "prune", "--days", "soon"], /--days/],
      ];
      for (const [args, pattern] of cases) {
        const run = await cli(...args);
        assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
        assert.match(run.stderr, pattern);
        assert.equal(run.stdout, "");
      }
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
