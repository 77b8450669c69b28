/**
 * `ext cache list|stats|clear|prune` spawned against a cache with known entries and last-use
 * times (written through the cache library with a clock in the past): JSON and table
 * output, dry runs, selections, and usage errors. Then the cache's ownership of its folder
 * through the real CLI (`ext load` from a `file://` git remote writes the cache): a folder
 * of the user's is refused and left as it was, only the cache's own names are ever removed,
 * `/` and the home directory are refused, broken entries, and (where a tmpfs can be
 * mounted) a read-only and a full cache folder.
 */

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { packTar } from "modern-tar";
import { CACHE_MARKER, listCached, saveOciToCache } from "../../src/cache/mod.ts";
import { listTree } from "../../src/cache/_testing.ts";
import type { ExtensionType } from "../../src/manifest/types.ts";
import { harnessGit } from "../harness/git_server.ts";
import { manifestText } from "../loader/_fixture.ts";
import { type CliRun, runCli } from "./run_cli.ts";

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
      const all = await cli("ext", "cache", "clear", "--all", "--force");
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

const STACK_LINE = /^\s+at /m;
const HOUR = 60 * 60 * 1000;

/**
 * A bare repository `{dir}/{name}.git` whose tags hold extension `name` (a provider) at each
 * version, with `files` (path → bytes) beside its `extension.yaml`.
 */
async function gitRepo(
  dir: string,
  name: string,
  versions: readonly string[],
  files: Record<string, Uint8Array> = {},
): Promise<string> {
  const work = join(dir, `${name}-work`);
  await harnessGit(["init", "--quiet", "-b", "main", work]);
  for (const [path, bytes] of Object.entries(files)) await Deno.writeFile(join(work, path), bytes);
  for (const version of versions) {
    await Deno.writeTextFile(join(work, "extension.yaml"), manifestText(name, "provider", version));
    await harnessGit(["add", "-A"], { cwd: work });
    await harnessGit(["commit", "--quiet", "-m", version], { cwd: work });
    await harnessGit(["tag", version], { cwd: work });
  }
  const bare = join(dir, `${name}.git`);
  await harnessGit(["clone", "--quiet", "--bare", work, bare]);
  return bare;
}

/** A home whose config names the given bare repositories as `[git] remotes`. */
async function gitHome(prefix: string, repos: (home: string) => Promise<string[]>) {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix }));
  const remotes = await repos(home);
  await Deno.mkdir(join(home, ".provisioning"));
  await Deno.writeTextFile(
    join(home, ".provisioning", "config.toml"),
    `[git]\nremotes = [${remotes.map((r) => `"file://${r}"`).join(", ")}]\n`,
  );
  const cli = (cacheDir: string, ...args: string[]) =>
    runCli(args, { home, env: { PROVISIONING_CACHE_DIR: cacheDir } });
  return { home, cli };
}

/** Every path below `dir` with its content (files) — what must survive unchanged. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of await listTree(dir)) {
    out[path] = path.endsWith("/") ? "" : await Deno.readTextFile(join(dir, path));
  }
  return out;
}

/** Writes `text` at `path` (making its folder) with an mtime `hoursAgo` in the past. */
async function plant(path: string, text: string, hoursAgo = 3): Promise<void> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, text);
  const then = new Date(Date.now() - hoursAgo * HOUR);
  await Deno.utime(path, then, then);
}

function assertOneLine(run: CliRun, code: number, message: RegExp, label: string): void {
  assert.equal(run.code, code, `${label}: ${run.stderr}`);
  assert.match(run.stderr, message, label);
  assert.doesNotMatch(run.stderr, STACK_LINE, label);
  assert.doesNotMatch(run.stderr, /Unexpected failure/, label);
  assert.equal(run.stdout, "", `${label}: nothing on stdout`);
}

Deno.test("the cache owns its folder: the user's files survive load, sweep, clear and prune", async (t) => {
  const { home, cli } = await gitHome("cache-owner-cli-", async (home) => [
    await gitRepo(home, "solo", ["1.0.0", "1.1.0"]),
  ]);
  try {
    await t.step(
      "a folder of the user's is refused, exit 2, and left exactly as it was",
      async () => {
        const folder = join(home, "projects");
        await plant(join(folder, "notes.txt"), "my notes");
        await plant(join(folder, "src", "main.ts"), "console.log(1);");
        // Old enough for the old sweep, which deleted any name in tmp/ older than an hour.
        await plant(join(folder, "tmp", "report.txt"), "my report");
        const before = await snapshot(folder);
        const commands = [
          ["ext", "load", "solo", "--source", "git", "--format", "json"],
          ["ext", "cache", "clear", "--all", "--force"],
          ["ext", "cache", "prune", "--days", "0"],
          ["ext", "cache", "list"],
          ["ext", "cache", "stats", "--format", "json"],
        ];
        for (const args of commands) {
          const run = await cli(folder, ...args);
          assertOneLine(
            run,
            2,
            new RegExp(
              `^error: Refusing to use "${folder}" as the cache folder: it holds files the ` +
                `cache did not make \\("notes\\.txt", "src"\\)\nhint: .*an empty or new folder`,
            ),
            args.join(" "),
          );
          assert.deepEqual(await snapshot(folder), before, args.join(" "));
        }
      },
    );

    await t.step("inside its own folder, only the cache's names are removed", async () => {
      const cache = join(home, "cache");
      const load = await cli(cache, "ext", "load", "solo", "--source", "git", "--format", "json");
      assert.equal(load.code, 0, load.stderr);
      assert.ok((await Deno.lstat(join(cache, CACHE_MARKER))).isFile, "the marker is written");
      // Files the cache never makes, inside its folders: an old file and a folder in tmp/, a
      // folder of the layout without a record file (the old rebuild made up a record for it
      // and clear --all then deleted it).
      await plant(join(cache, "tmp", "report.txt"), "mine");
      await plant(join(cache, "tmp", "photos", "a.jpg"), "mine");
      await plant(join(cache, "extensions", "provider", "mine", "1.0.0", "extension.yaml"), "x");
      // Leftovers of a killed process: a scratch folder and a staging folder, no holder.
      await plant(join(cache, "tmp", "scratch.00000000000000ab.peek", "layer"), "12345");
      await plant(
        join(cache, "tmp", "entry-000000000000000000000000.00000000000000cd.stage", "f"),
        "123",
      );
      const mine = [
        "tmp/report.txt",
        "tmp/photos/a.jpg",
        "extensions/provider/mine/1.0.0/extension.yaml",
      ];

      const stats = JSON.parse(
        (await cli(cache, "ext", "cache", "stats", "--format", "json")).stdout,
      );
      assert.deepEqual(stats.leftovers, { count: 2, bytes: 8 });
      const table = await cli(cache, "ext", "cache", "stats");
      assert.match(table.stdout, /^Leftovers:\s+2 \(8 B\) in tmp\/$/m);

      await Deno.remove(join(cache, "index.json")); // the next command rebuilds it
      const list = await cli(cache, "ext", "cache", "list", "--format", "json");
      assert.deepEqual(JSON.parse(list.stdout).map((e: { key: string }) => e.key), [
        "provider/solo/1.1.0",
      ]);
      const forced = await cli(cache, "ext", "load", "solo", "--source", "git", "--force");
      assert.equal(forced.code, 0, forced.stderr);
      const prune = await cli(cache, "ext", "cache", "prune", "--days", "0", "--format", "json");
      assert.equal(prune.code, 0, prune.stderr);
      assert.deepEqual(JSON.parse(prune.stdout).removed.map((e: { key: string }) => e.key), [
        "provider/solo/1.1.0",
      ]);
      await cli(cache, "ext", "load", "solo", "--source", "git", "--version", "1.0.0");
      const clear = await cli(
        cache,
        "ext",
        "cache",
        "clear",
        "--all",
        "--force",
        "--format",
        "json",
      );
      assert.equal(clear.code, 0, clear.stderr);
      assert.deepEqual(JSON.parse(clear.stdout).removed.map((e: { key: string }) => e.key), [
        "provider/solo/1.0.0",
      ]);
      for (const path of mine) {
        assert.equal(
          await Deno.readTextFile(join(cache, path)),
          path.endsWith(".yaml") ? "x" : "mine",
        );
      }
      const tmp = await listTree(join(cache, "tmp"));
      assert.deepEqual(tmp, ["photos/", "photos/a.jpg", "report.txt"], "leftovers are gone");
    });

    await t.step(
      "clear --all and prune report and remove leftovers of killed processes",
      async () => {
        const cache = join(home, "cache-leftovers");
        assert.equal((await cli(cache, "ext", "load", "solo", "--source", "git")).code, 0);
        await plant(join(cache, "tmp", "scratch.00000000000000ab.git", "archive.tar"), "1234");
        const prune = await cli(cache, "ext", "cache", "prune", "--days", "30", "--format", "json");
        const report = JSON.parse(prune.stdout);
        assert.deepEqual([report.leftoversRemoved, report.leftoverBytesFreed], [1, 4]);
        await plant(join(cache, "tmp", "index.00000000000000ef.write"), "{}");
        const clear = await cli(cache, "ext", "cache", "clear", "--all", "--force");
        assert.match(clear.stdout, /^Removed 1 entry \(.*\), 1 blob \(.*\), 1 leftover \(2 B\)$/m);
        assert.deepEqual(await listTree(join(cache, "tmp")), []);
      },
    );

    await t.step("a cache made before the marker existed is adopted", async () => {
      const cache = join(home, "cache-old");
      assert.equal((await cli(cache, "ext", "load", "solo", "--source", "git")).code, 0);
      await Deno.remove(join(cache, CACHE_MARKER));
      const list = await cli(cache, "ext", "cache", "list", "--format", "json");
      assert.equal(list.code, 0, list.stderr);
      assert.equal(JSON.parse(list.stdout).length, 1);
      await assert.rejects(Deno.lstat(join(cache, CACHE_MARKER)), Deno.errors.NotFound);
      const load = await cli(cache, "ext", "load", "solo", "--source", "git", "--version", "1.0.0");
      assert.equal(load.code, 0, load.stderr);
      assert.ok((await Deno.lstat(join(cache, CACHE_MARKER))).isFile, "claimed by its first write");
    });

    await t.step("reading a cache that does not exist creates nothing", async () => {
      const cache = join(home, "not-yet", "cache");
      for (
        const args of [
          ["ext", "cache", "list"],
          ["ext", "cache", "stats"],
          ["ext", "cache", "clear", "--all", "--force"],
          ["ext", "cache", "prune", "--days", "1"],
        ]
      ) {
        const run = await cli(cache, ...args);
        assert.equal(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
        await assert.rejects(Deno.lstat(join(home, "not-yet")), Deno.errors.NotFound);
      }
    });

    await t.step(
      "the file-system root and the home directory are refused as cache.dir",
      async () => {
        const cases: [Record<string, string>, string[], RegExp][] = [
          [
            {},
            ["--cache-dir", "/"],
            /^error: Flag --cache-dir: cache\.dir must be a folder of the cache's own, not the file-system root, got "\/"$/m,
          ],
          [
            { PROVISIONING_CACHE_DIR: "~" },
            [],
            /^error: Environment variable PROVISIONING_CACHE_DIR: cache\.dir must be .*, not the home directory, got "~"$/m,
          ],
          [{ PROVISIONING_CACHE_DIR: home }, [], /not the home directory/],
        ];
        for (const [env, flags, message] of cases) {
          for (
            const command of [["ext", "cache", "list"], ["ext", "load", "solo", "--source", "git"]]
          ) {
            const run = await runCli([...flags, ...command], { home, env });
            assertOneLine(run, 2, message, `${JSON.stringify(env)} ${flags.join(" ")}`);
            assert.match(run.stderr, /^hint: Point it at a new or empty folder/m);
          }
        }
        await assert.rejects(Deno.lstat(join(home, "index.json")), Deno.errors.NotFound);
      },
    );

    await t.step(
      "an entry whose extension.yaml was deleted is listed broken and fetched again",
      async () => {
        const cache = join(home, "cache-broken");
        const load = await cli(cache, "ext", "load", "solo", "--source", "git", "--format", "json");
        const path = JSON.parse(load.stdout).path;
        await Deno.remove(join(path, "extension.yaml"));
        const json = JSON.parse(
          (await cli(cache, "ext", "cache", "list", "--format", "json")).stdout,
        );
        assert.equal(json[0].broken, "extension.yaml is missing");
        const table = await cli(cache, "ext", "cache", "list");
        assert.match(table.stdout, /^TYPE\s+NAME\s+VERSION\s+SOURCE\s+SIZE\s+LAST USED\s+STATUS$/m);
        assert.match(table.stdout, /^provider\s+solo\s+1\.1\.0\s+git\s.*\sbroken$/m);
        assert.match(
          table.stderr,
          /^warning: provider\/solo\/1\.1\.0 is broken \(extension\.yaml is missing\)/m,
        );
        const again = await cli(
          cache,
          "ext",
          "load",
          "solo",
          "--source",
          "git",
          "--format",
          "json",
        );
        assert.equal(again.code, 0, again.stderr);
        assert.equal(JSON.parse(again.stdout).path, path);
        assert.ok((await Deno.lstat(join(path, "extension.yaml"))).isFile);
        const healed = JSON.parse(
          (await cli(cache, "ext", "cache", "list", "--format", "json")).stdout,
        );
        assert.equal(healed[0].broken, undefined);
      },
    );

    await t.step(
      "index.json replaced by a folder is one clear error, not an unexpected failure",
      async () => {
        const cache = join(home, "cache-index-dir");
        assert.equal((await cli(cache, "ext", "load", "solo", "--source", "git")).code, 0);
        await Deno.remove(join(cache, "index.json"));
        await Deno.mkdir(join(cache, "index.json"));
        for (
          const args of [["ext", "cache", "list"], [
            "ext",
            "load",
            "solo",
            "--source",
            "git",
            "--version",
            "1.0.0",
          ]]
        ) {
          const run = await cli(cache, ...args);
          assertOneLine(
            run,
            5,
            new RegExp(
              `^error: Refusing cache file "${cache}/index\\.json": it is not a regular file$`,
              "m",
            ),
            args.join(" "),
          );
        }
      },
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

/** Mounts a tmpfs of `size` at `dir`; false (and why, loudly) where that is not allowed. */
async function mountTmpfs(dir: string, size: string): Promise<boolean> {
  await Deno.mkdir(dir, { recursive: true });
  const out = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir],
    stdout: "null",
    stderr: "piped",
  }).output().catch((error) => ({
    success: false,
    stderr: new TextEncoder().encode(String(error)),
  }));
  if (!out.success) {
    console.warn(
      `SKIPPED: cannot mount a tmpfs (${new TextDecoder().decode(out.stderr).trim()}); ` +
        "the full-disk and read-only cases are covered by the classification unit tests only",
    );
  }
  return out.success;
}

async function mount(args: string[]): Promise<void> {
  const out = await new Deno.Command("mount", { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`mount ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

Deno.test("a full or read-only cache folder is one clear line naming it, with nothing left behind", async (t) => {
  // 400 KiB of zeros: the git pack is tiny and the tar archive fits a 1 MiB tmpfs, but the
  // save's verified copy of the blob plus the unpacked tree do not.
  const { home, cli } = await gitHome("cache-disk-cli-", async (home) => [
    await gitRepo(home, "solo", ["1.0.0", "1.1.0"]),
    await gitRepo(home, "big", ["1.0.0"], { "data.bin": new Uint8Array(400 * 1024) }),
  ]);
  const disk = join(home, "disk");
  try {
    if (!(await mountTmpfs(disk, "1m"))) return;
    try {
      const cache = join(disk, "cache");
      await t.step(
        "no space left: exit 2 naming the folder, not exit 5, nothing left",
        async () => {
          assert.equal(
            (await cli(cache, "ext", "load", "solo", "--source", "git", "--version", "1.0.0")).code,
            0,
          );
          const before = await listTree(cache);
          const run = await cli(cache, "ext", "load", "big", "--source", "git");
          assertOneLine(
            run,
            2,
            new RegExp(
              `^error: Cannot save "provider/big/1\\.0\\.0": no space left on the device of the cache folder "${cache}"\nhint: Free some space`,
            ),
            "load big",
          );
          assert.doesNotMatch(run.stderr, /Cannot read archive/);
          assert.deepEqual(await listTree(join(cache, "tmp")), [], "no temporary file left");
          assert.deepEqual(
            (await listTree(cache)).filter((p) => !p.startsWith("locks/")),
            before.filter((p) => !p.startsWith("locks/")),
            "nothing else changed",
          );
        },
      );
      await t.step(
        "read-only: hits are served, a save or a clear is exit 2 naming the folder",
        async () => {
          await mount(["-o", "remount,ro", disk]);
          const hit = await cli(
            cache,
            "ext",
            "load",
            "solo",
            "--source",
            "git",
            "--version",
            "1.0.0",
          );
          assert.equal(hit.code, 0, hit.stderr);
          const list = await cli(cache, "ext", "cache", "list", "--format", "json");
          assert.equal(list.code, 0, list.stderr);
          const save = await cli(
            cache,
            "ext",
            "load",
            "solo",
            "--source",
            "git",
            "--version",
            "1.1.0",
          );
          assertOneLine(
            save,
            2,
            new RegExp(
              `^error: Cannot .*: the cache folder "${cache}" is on a read-only file system$`,
              "m",
            ),
            "load 1.1.0",
          );
          const clear = await cli(cache, "ext", "cache", "clear", "--all", "--force");
          assertOneLine(
            clear,
            2,
            new RegExp(
              `^error: Cannot clear the cache: the cache folder "${cache}" is on a read-only file system$`,
              "m",
            ),
            "clear",
          );
        },
      );
    } finally {
      await mount(["-o", "remount,rw", disk]).catch(() => {});
      await new Deno.Command("umount", { args: [disk] }).output();
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
