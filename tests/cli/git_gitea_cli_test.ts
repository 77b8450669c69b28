/**
 * `ext load|pull|list|search|info|versions --source gitea|git` spawned as a user runs them,
 * against real git servers on 127.0.0.1 — `git daemon` and smart HTTP (`git http-backend`)
 * over real bare repositories — and against a Gitea STAND-IN: no Gitea or Forgejo server can
 * be installed on these machines, so `tests/harness/gitea_standin.ts` serves Gitea's
 * documented API v1 shapes (organisation repositories, tags, raw files, archives) backed by
 * the same real bare repositories.
 *
 * Covered: several versions, annotated and lightweight tags, a `v` prefix, a tag without
 * `extension.yaml` (exit 2, path named), an unknown repository or organisation (exit 3), a
 * refused token (exit 4), a moved tag detected against the cache (exit 5) and replaced on
 * purpose (`--force`), a git URL as the name (no `--source` needed), the `auto` order
 * (local first, Gitea before git, git last), and both sources under least privilege: the
 * flags `ext permissions` prints, and a broad launch narrowed to the computed set in a worker
 * (the permission tests' entry).
 *
 * The CLI runs with `--allow-net=127.0.0.1` so the default registry (`localhost:5000`) is
 * not reachable by permission and `auto` skips it quietly, and `--allow-run=git`.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  createGitFixture,
  harnessGit,
  startGitDaemon,
  startGitHttpServer,
} from "../harness/git_server.ts";
import { startGiteaStandin } from "../harness/gitea_standin.ts";
import { BROAD_LAUNCH_FLAGS } from "../permissions/_launch.ts";
import { type CliRun, runCli } from "./run_cli.ts";

/**
 * The permission tests' entry, wired like the compiled binary: a broad launch runs the
 * command in a worker holding only its computed set; a scoped launch runs it in place.
 */
const ENTRY = new URL("../permissions/_entry.ts", import.meta.url).pathname;

const PERMISSIONS = [
  "--allow-read",
  "--allow-env",
  "--allow-write",
  "--allow-net=127.0.0.1",
  "--allow-run=git",
];
const TOKEN = "gitea-cli-T0ken";
const ORG = "exts";
const STACK_LINE = /^\s+at /m;
const LOAD_KEYS = ["success", "name", "type", "version", "source", "path", "digest", "reference"];

interface IndexRow {
  source: string;
  remote?: string;
  tag?: string;
  commit?: string;
}

/** The cache index rows by key. */
async function cacheIndex(cacheDir: string): Promise<Record<string, IndexRow>> {
  return JSON.parse(await Deno.readTextFile(join(cacheDir, "index.json"))).entries;
}

/** A bare repository `{dir}/solo.git` whose tags `1.0.0` and `1.1.0` hold extension `solo`. */
async function createSoloRepo(dir: string): Promise<string> {
  const work = join(dir, "solo-work");
  await harnessGit(["init", "--quiet", "-b", "main", work]);
  for (const version of ["1.0.0", "1.1.0"]) {
    await Deno.writeTextFile(
      join(work, "extension.yaml"),
      `extension:\n  name: solo\n  version: ${version}\n  type: provider\n` +
        `  description: Solo provider ${version}\n`,
    );
    await harnessGit(["add", "-A"], { cwd: work });
    await harnessGit(["commit", "--quiet", "-m", version], { cwd: work });
    await harnessGit(["tag", version], { cwd: work });
  }
  const bare = join(dir, "solo.git");
  await harnessGit(["clone", "--quiet", "--bare", work, bare]);
  return bare;
}

/** `deno run --quiet ARGS` with only HOME, PATH, Deno's cache folder and `env`. */
async function spawnEntry(
  args: string[],
  home: string,
  env: Record<string, string>,
): Promise<CliRun> {
  const parentHome = Deno.env.get("HOME") ?? home;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...args],
    cwd: home,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      DENO_DIR: Deno.env.get("DENO_DIR") ??
        join(Deno.env.get("XDG_CACHE_HOME") ?? join(parentHome, ".cache"), "deno"),
      HOME: home,
      NO_COLOR: "1",
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}

function assertClean(run: CliRun, label: string): void {
  assert.doesNotMatch(run.stderr, STACK_LINE, `${label}: ${run.stderr}`);
  assert.equal(run.stdout, "", `${label}: nothing on stdout`);
}

Deno.test("ext commands with --source gitea|git against git daemon, smart HTTP and the Gitea stand-in", async (t) => {
  const fixture = await createGitFixture({ owner: ORG });
  const daemon = await startGitDaemon(fixture.baseDir);
  const http = await startGitHttpServer(fixture.baseDir);
  const gitea = startGiteaStandin({ root: fixture.baseDir, token: TOKEN });
  const home = await Deno.makeTempDir({ prefix: "git-gitea-cli-" });
  try {
    const solo = await createSoloRepo(home);
    const demoRemote = `${daemon.url}/${ORG}/demo.git`;
    const demoHttp = `git+${http.url}/${ORG}/demo.git`;
    await Deno.mkdir(join(home, ".provisioning"));
    await Deno.writeTextFile(join(home, "gitea-token"), `${TOKEN}\n`);
    await Deno.mkdir(join(home, "local", "solo"), { recursive: true });
    await Deno.writeTextFile(
      join(home, "local", "solo", "extension.yaml"),
      "extension:\n  name: solo\n  version: 0.5.0\n  type: provider\n",
    );
    await Deno.writeTextFile(
      join(home, ".provisioning", "config.toml"),
      [
        "[oci]",
        "retry_count = 0",
        "[extensions]",
        `paths = ["${join(home, "local")}"]`,
        "[gitea]",
        `url = "${gitea.url}"`,
        `organization = "${ORG}"`,
        `token_path = "${join(home, "gitea-token")}"`,
        "[git]",
        `remotes = ["${demoRemote}", "file://${solo}"]`,
        "",
      ].join("\n"),
    );
    const cli = (cache: string, args: string[], env: Record<string, string> = {}) =>
      runCli(args, {
        home,
        env: { PROVISIONING_CACHE_DIR: join(home, cache), ...env },
        permissions: PERMISSIONS,
      });
    const demo = fixture.repos.demo!;
    /** `ext COMMAND… --source SOURCE REST…`, each source with its own cache folder. */
    const viaSource =
      (cache: string, source: string) =>
      (command: string[], rest: string[] = [], env: Record<string, string> = {}) =>
        cli(cache, ["ext", ...command, "--source", source, ...rest], env);
    const viaGitea = viaSource("cache-gitea", "gitea");
    const viaGit = viaSource("cache-git", "git");

    await t.step("gitea: versions, load (annotated tag), pull (lightweight tag)", async () => {
      const versions = await viaGitea(["versions", "demo"], ["--format", "json"]);
      assert.equal(versions.code, 0, versions.stderr);
      const listed = JSON.parse(versions.stdout);
      assert.equal(listed.source, "gitea");
      assert.deepEqual(listed.versions, ["2.0.0", "1.2.0", "1.1.0", "1.0.0", "0.1.0"]);

      const load = await viaGitea(["load", "demo"], ["--version", "~1.0.0", "--format", "json"]);
      assert.equal(load.code, 0, load.stderr);
      assert.equal(load.stderr, "");
      const result = JSON.parse(load.stdout);
      assert.deepEqual(Object.keys(result), LOAD_KEYS);
      assert.equal(result.source, "gitea");
      assert.equal(result.version, "1.0.0");
      assert.equal(result.reference, `${gitea.url}/${ORG}/demo@${result.digest}`);
      assert.equal(
        result.path,
        join(home, "cache-gitea", "extensions", "taskserv", "demo", "1.0.0"),
      );
      assert.equal(await Deno.readTextFile(join(result.path, "kcl", "main.k")), 'name = "demo"\n');

      const pull = await viaGitea(["pull", "demo"], ["--version", "1.1.0"]);
      assert.equal(pull.code, 0, pull.stderr);
      assert.equal(
        pull.stdout,
        `Pulled taskserv demo 1.1.0 from gitea: ${
          join(home, "cache-gitea", "extensions", "taskserv", "demo", "1.1.0")
        }\n`,
      );
      const index = await cacheIndex(join(home, "cache-gitea"));
      assert.deepEqual(
        [index["taskserv/demo/1.1.0"]?.source, index["taskserv/demo/1.1.0"]?.tag],
        ["gitea", "1.1.0"],
      );
      assert.equal(index["taskserv/demo/1.1.0"]?.commit, demo.tags["1.1.0"]!.commit);
      assert.equal(index["taskserv/demo/1.1.0"]?.remote, `${gitea.url}/${ORG}/demo`);
    });

    await t.step("gitea: list, search and info read the organisation", async () => {
      const list = await viaGitea(["list"], ["--format", "json"]);
      assert.equal(list.code, 0, list.stderr);
      const rows = JSON.parse(list.stdout);
      assert.deepEqual(rows.map((r: { name: string }) => r.name), ["demo"]);
      assert.equal(rows[0].version, "2.0.0");
      assert.equal(rows[0].description, "Fixture extension demo 2.0.0");
      assert.deepEqual(rows[0].cached, ["1.1.0", "1.0.0"]);
      // `mono` keeps its extension in a sub-folder this configuration does not name.
      assert.match(list.stderr, /skipping "exts\/mono": .*has no "extension\.yaml"/);

      const search = await viaGitea(["search", "dem"], ["--format", "json"]);
      assert.equal(search.code, 0, search.stderr);
      assert.equal(JSON.parse(search.stdout)[0].name, "demo");

      const info = await viaGitea(["info", "demo"], ["--version", "1.2.0", "--format", "json"]);
      assert.equal(info.code, 0, info.stderr);
      const details = JSON.parse(info.stdout);
      assert.deepEqual(
        [details.version, details.source, details.type, details.description],
        ["1.2.0", "gitea", "taskserv", "Fixture extension demo 1.2.0"],
      );
    });

    await t.step("gitea: exit 2 without extension.yaml, 3 unknown, 4 refused token", async () => {
      const noManifest = await viaGitea(["load", "demo"], ["--version", "0.1.0"]);
      assert.equal(noManifest.code, 2, noManifest.stderr);
      assert.match(
        noManifest.stderr,
        /^error: Tag "0\.1\.0" .*"exts\/demo".* has no "extension\.yaml"/m,
      );

      const unknown = await viaGitea(["load", "nothere"]);
      assert.equal(unknown.code, 3, unknown.stderr);
      assert.match(unknown.stderr, /^error: Repository "exts\/nothere" not found on Gitea/m);
      const unknownVersions = await viaGitea(["versions", "nothere"]);
      assert.equal(unknownVersions.code, 3, unknownVersions.stderr);

      const badToken = { PROVISIONING_GITEA_TOKEN: "wrong-token" };
      const refusedLoad = await viaGitea(["load", "demo"], ["--version", "^2.0.0"], badToken);
      assert.equal(refusedLoad.code, 4, refusedLoad.stderr);
      assert.doesNotMatch(refusedLoad.stderr, /wrong-token/);
      const refusedList = await viaGitea(["list"], [], badToken);
      assert.equal(refusedList.code, 4, refusedList.stderr);
      for (const run of [noManifest, unknown, unknownVersions, refusedLoad, refusedList]) {
        assertClean(run, "gitea failure");
      }
    });

    await t.step("gitea: an unknown organisation is exit 3", async () => {
      const otherHome = await Deno.makeTempDir({ prefix: "git-gitea-org-" });
      try {
        await Deno.mkdir(join(otherHome, ".provisioning"));
        await Deno.writeTextFile(
          join(otherHome, ".provisioning", "config.toml"),
          `[gitea]\nurl = "${gitea.url}"\norganization = "no-such-org"\n`,
        );
        const env = {
          PROVISIONING_GITEA_TOKEN: TOKEN,
          PROVISIONING_CACHE_DIR: join(otherHome, "cache"),
        };
        const run = await runCli(["ext", "list", "--source", "gitea"], {
          home: otherHome,
          env,
          permissions: PERMISSIONS,
        });
        assert.equal(run.code, 3, run.stderr);
        assert.match(run.stderr, /Organisation "no-such-org" not found on Gitea/);
        assertClean(run, "unknown organisation");
      } finally {
        await Deno.remove(otherHome, { recursive: true });
      }
    });

    await t.step(
      "gitea: a moved tag is refused against the cache, then replaced on purpose",
      async () => {
        const moved = await fixture.moveTag("demo", "1.1.0", "1.1.0");
        const run = await viaGitea(["load", "demo"], ["--version", "~1.1.0"]);
        assert.equal(run.code, 5, run.stderr);
        assert.match(run.stderr, /^error: Tag "1\.1\.0" of repository "exts\/demo" .* moved/m);
        assert.ok(run.stderr.includes(moved), "names the new commit");
        assert.match(run.stderr, /hint: .*ext cache clear --name demo --type taskserv/);
        assertClean(run, "moved tag");

        const clear = await cli("cache-gitea", [
          "ext",
          "cache",
          "clear",
          "--name",
          "demo",
          "--type",
          "taskserv",
        ]);
        assert.equal(clear.code, 0, clear.stderr);
        const again = await viaGitea(["load", "demo"], ["--version", "~1.1.0"]);
        assert.equal(again.code, 0, again.stderr);
        assert.equal(
          (await cacheIndex(join(home, "cache-gitea")))["taskserv/demo/1.1.0"]?.commit,
          moved,
        );
      },
    );

    await t.step(
      "git: versions, load over git daemon, pull a git URL over smart HTTP",
      async () => {
        const versions = await viaGit(["versions", "demo"], ["--format", "json"]);
        assert.equal(versions.code, 0, versions.stderr);
        assert.deepEqual(JSON.parse(versions.stdout).versions, [
          "2.0.0",
          "1.2.0",
          "1.1.0",
          "1.0.0",
          "0.1.0",
        ]);

        const load = await viaGit(["load", "demo"], ["--version", "^1.0.0", "--format", "json"]);
        assert.equal(load.code, 0, load.stderr);
        const result = JSON.parse(load.stdout);
        assert.deepEqual(Object.keys(result), LOAD_KEYS);
        assert.deepEqual([result.source, result.version], ["git", "1.2.0"]);
        const row = (await cacheIndex(join(home, "cache-git")))["taskserv/demo/1.2.0"];
        assert.deepEqual(row, {
          ...row,
          source: "git",
          remote: demoRemote,
          tag: "v1.2.0",
          commit: demo.tags["v1.2.0"]!.commit,
        });

        const posts = () => http.requests.filter((r) => r.startsWith("POST ")).length;
        http.requests.length = 0;
        const pull = await viaGit(["pull", demoHttp], ["--version", "1.0.0", "--format", "json"]);
        assert.equal(pull.code, 0, pull.stderr);
        const pulled = JSON.parse(pull.stdout);
        assert.deepEqual([pulled.name, pulled.version, pulled.source], ["demo", "1.0.0", "git"]);
        const fetchPosts = posts();
        assert.ok(http.requests.some((r) => r.includes("git-upload-pack")), "spoke smart HTTP");
        const httpRow = (await cacheIndex(join(home, "cache-git")))["taskserv/demo/1.0.0"];
        assert.equal(httpRow?.remote, `${http.url}/${ORG}/demo.git`);
        assert.equal(httpRow?.commit, demo.tags["1.0.0"]!.commit);

        // Cached from this remote and commit: the tags are listed again, nothing is fetched.
        http.requests.length = 0;
        const again = await viaGit(["pull", demoHttp], ["--version", "1.0.0"]);
        assert.equal(again.code, 0, again.stderr);
        assert.ok(posts() < fetchPosts, `${posts()} < ${fetchPosts}: ${http.requests.join(", ")}`);
      },
    );

    await t.step("git: list, search and info read the remotes", async () => {
      const list = await viaGit(["list"], ["--format", "json"]);
      assert.equal(list.code, 0, list.stderr);
      const rows = JSON.parse(list.stdout);
      assert.deepEqual(
        rows.map((
          r: { name: string; version: string; type: string },
        ) => [r.name, r.type, r.version]),
        [["solo", "provider", "1.1.0"], ["demo", "taskserv", "2.0.0"]],
      );
      assert.deepEqual(rows[1].cached, ["1.2.0", "1.0.0"]);

      const search = await viaGit(["search", "solo"], ["--format", "json"]);
      assert.equal(search.code, 0, search.stderr);
      assert.equal(JSON.parse(search.stdout)[0].name, "solo");

      const info = await viaGit(["info", "demo"], ["--version", "1.1.0", "--format", "json"]);
      assert.equal(info.code, 0, info.stderr);
      const details = JSON.parse(info.stdout);
      assert.deepEqual([details.version, details.source], ["1.1.0", "git"]);
      assert.deepEqual(details.versions.git, ["2.0.0", "1.2.0", "1.1.0", "1.0.0", "0.1.0"]);
    });

    await t.step(
      "git: exit 2 without extension.yaml, 3 for an unknown name or repository",
      async () => {
        const noManifest = await viaGit(["load", "demo"], ["--version", "0.1.0"]);
        assert.equal(noManifest.code, 2, noManifest.stderr);
        assert.match(
          noManifest.stderr,
          new RegExp(
            `^error: Tag "0\\.1\\.0" of git repository "${demoRemote}" has no "extension\\.yaml"`,
            "m",
          ),
        );
        const unknownName = await viaGit(["load", "nothere"]);
        assert.equal(unknownName.code, 3, unknownName.stderr);
        assert.match(
          unknownName.stderr,
          /^error: Extension "nothere" not found among the git remotes/m,
        );
        const unknownRepo = await viaGit(["load", `${daemon.url}/${ORG}/nothere.git`]);
        assert.equal(unknownRepo.code, 3, unknownRepo.stderr);
        assert.match(unknownRepo.stderr, /^error: Git repository ".*nothere\.git" not found/m);
        for (const run of [noManifest, unknownName, unknownRepo]) assertClean(run, "git failure");
      },
    );

    await t.step(
      "git: moved tags are refused (named and URL), --force takes the new commit",
      async () => {
        const before = demo.tags["v1.2.0"]!.commit;
        const movedNamed = await fixture.moveTag("demo", "v1.2.0", "1.2.0");
        const named = await viaGit(["load", "demo"], ["--version", "~1.2.0"]);
        assert.equal(named.code, 5, named.stderr);
        assert.match(
          named.stderr,
          /^error: Tag "v1\.2\.0" of git repository ".*demo\.git" moved: /m,
        );
        assert.ok(named.stderr.includes(before) && named.stderr.includes(movedNamed));
        assert.match(named.stderr, /hint: .*ext cache clear --name demo --type taskserv/);
        assertClean(named, "moved named tag");
        const forcedNamed = await viaGit(["load", "demo"], ["--version", "~1.2.0", "--force"]);
        assert.equal(forcedNamed.code, 0, forcedNamed.stderr);
        assert.equal(
          (await cacheIndex(join(home, "cache-git")))["taskserv/demo/1.2.0"]?.commit,
          movedNamed,
        );

        const movedUrl = await fixture.moveTag("demo", "1.0.0", "1.0.0");
        const url = await viaGit(["pull", demoHttp], ["--version", "1.0.0"]);
        assert.equal(url.code, 5, url.stderr);
        assert.match(url.stderr, /^error: Tag "1\.0\.0" of git repository "http:.*" moved: /m);
        assert.match(url.stderr, /hint: .*--force/);
        assertClean(url, "moved URL tag");

        const forced = await viaGit(["pull", demoHttp], ["--version", "1.0.0", "--force"]);
        assert.equal(forced.code, 0, forced.stderr);
        assert.equal(
          (await cacheIndex(join(home, "cache-git")))["taskserv/demo/1.0.0"]?.commit,
          movedUrl,
        );
      },
    );

    await t.step(
      "git: a git URL needs no --source, and with --type and an exact version still loads",
      async () => {
        const pull = await cli("cache-url", [
          "ext",
          "pull",
          demoHttp,
          "--version",
          "^2.0.0",
          "--format",
          "json",
        ]);
        assert.equal(pull.code, 0, pull.stderr);
        const pulled = JSON.parse(pull.stdout);
        assert.deepEqual([pulled.name, pulled.version, pulled.source], ["demo", "2.0.0", "git"]);

        const typed = ["--type", "taskserv", "--version", "2.0.0", "--format", "json"];
        const first = await cli("cache-url", ["ext", "load", demoRemote, ...typed]);
        assert.equal(first.code, 0, first.stderr);
        const again = await cli("cache-url", [
          "ext",
          "load",
          demoRemote,
          "--source",
          "git",
          ...typed,
        ]);
        assert.equal(again.code, 0, again.stderr);
        assert.deepEqual(JSON.parse(again.stdout), JSON.parse(first.stdout));
        assert.equal(JSON.parse(first.stdout).source, "git");

        const wrongType = await cli("cache-url", [
          "ext",
          "load",
          demoRemote,
          "--type",
          "provider",
          "--version",
          "2.0.0",
        ]);
        assert.equal(wrongType.code, 2, wrongType.stderr);
        assert.match(wrongType.stderr, /^error: Extension "demo" .*is a taskserv, not a provider/m);
        assertClean(wrongType, "git URL of another type");
      },
    );

    await t.step("auto: local first, Gitea before git, git last", async () => {
      const local = await cli("cache-auto", [
        "ext",
        "load",
        "solo",
        "--version",
        "0.5.0",
        "--format",
        "json",
      ]);
      assert.equal(local.code, 0, local.stderr);
      assert.equal(JSON.parse(local.stdout).source, "local");

      const both = await cli("cache-auto", ["ext", "load", "demo", "--format", "json"]);
      assert.equal(both.code, 0, both.stderr);
      assert.deepEqual(
        [JSON.parse(both.stdout).source, JSON.parse(both.stdout).version],
        ["gitea", "2.0.0"],
      );

      const gitOnly = await cli("cache-auto", [
        "ext",
        "load",
        "solo",
        "--version",
        "^1.0.0",
        "--format",
        "json",
      ]);
      assert.equal(gitOnly.code, 0, gitOnly.stderr);
      assert.deepEqual(
        [JSON.parse(gitOnly.stdout).source, JSON.parse(gitOnly.stdout).version],
        ["git", "1.1.0"],
      );

      const list = await cli("cache-auto", ["ext", "list", "--format", "json"]);
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual(
        JSON.parse(list.stdout).map((r: { name: string; source: string }) =>
          `${r.name}@${r.source}`
        ),
        ["solo@local", "solo@git", "demo@gitea", "demo@git"],
      );
    });

    await t.step("least privilege: the printed flags and the scoped worker suffice", async () => {
      for (const [source, name] of [["gitea", "demo"], ["git", "solo"]] as const) {
        const printed = await cli("cache-flags", [
          "ext",
          "permissions",
          "load",
          "--source",
          source,
          "--no-probe",
          "--format",
          "json",
        ]);
        assert.equal(printed.code, 0, printed.stderr);
        const { flags, permissions } = JSON.parse(printed.stdout);
        // The plan is the configuration's: both sources are configured, so both are granted.
        assert.ok(permissions.run.includes("git"), permissions.run.join());
        assert.ok(permissions.net.includes(new URL(gitea.url).host), permissions.net.join());
        const args = ["ext", "load", name, "--source", source, "--format", "json"];
        const launches = [
          { cache: "cache-flags", flags: [...flags, ENTRY, "--"] },
          {
            cache: "cache-worker",
            flags: [...BROAD_LAUNCH_FLAGS, ENTRY, "--"],
          },
        ];
        for (const launch of launches) {
          const run = await spawnEntry([...launch.flags, ...args], home, {
            PROVISIONING_CACHE_DIR: join(home, launch.cache),
          });
          assert.equal(run.code, 0, `${source} (${launch.cache}): ${run.stderr}`);
          assert.equal(JSON.parse(run.stdout).source, source);
        }
        // Discovery too: a shallow fetch into <cache>/tmp for git, the API for Gitea.
        const list = await spawnEntry(
          [
            ...BROAD_LAUNCH_FLAGS,
            ENTRY,
            "--",
            "ext",
            "list",
            "--source",
            source,
            "--refresh",
            "--format",
            "json",
          ],
          home,
          { PROVISIONING_CACHE_DIR: join(home, "cache-list") },
        );
        assert.equal(list.code, 0, `${source} list: ${list.stderr}`);
        assert.ok(JSON.parse(list.stdout).some((row: { name: string }) => row.name === name));
      }
    });
  } finally {
    await gitea.close();
    await http.close();
    await daemon.stop();
    await fixture.cleanup();
    await Deno.remove(home, { recursive: true });
  }
});
