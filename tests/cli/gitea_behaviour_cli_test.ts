/**
 * `ext list|load|info|versions --source gitea` spawned as a user runs them, against the
 * Gitea STAND-IN (`tests/harness/gitea_standin.ts`): no Gitea or Forgejo server can be
 * installed on these machines. The stand-in behaves as Gitea's own source does, not as its
 * documentation reads (its header names the Gitea files), and each step here is one way a
 * real server differs from the documentation:
 *
 * 1. a listed repository whose code the caller may not read is skipped with a warning;
 * 2. archives redirected to object storage (`SERVE_DIRECT`) need `[gitea] redirect_hosts`
 *    under least privilege, and the error says so;
 * 3. a token without `read:organization` lists a user's namespace through `/users/{u}/repos`;
 * 4. an anonymous listing of a private organisation (`200 []`) says nothing was visible;
 * 5. repository `Nginx` is extension `nginx`;
 * 6. discovery reads `extension.yaml` by commit, and `ext info` reads tags and manifest once;
 * 7. tag listings page by `X-Total-Count` alone (no `Link`).
 *
 * Every run is the default broad launch: the command runs in a worker holding only its
 * computed permission set, as the compiled binary does.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { createGitFixture, fixtureManifest, harnessGit } from "../harness/git_server.ts";
import { type GiteaStandin, startGiteaStandin } from "../harness/gitea_standin.ts";
import { type CliRun, runCli } from "./run_cli.ts";

const TOKEN = "gitea-behaviour-T0ken";
const ORG = "exts";
const STACK_LINE = /^\s+at /m;
/** Tags of the fixture's `demo`: five versions and two that are not. */
const DEMO_TAGS = 7;
/** The versions of the fixture's `demo`, highest first. */
const DEMO_VERSIONS = ["2.0.0", "1.2.0", "1.1.0", "1.0.0", "0.1.0"];
/** Pages of `demo`'s tags at two a page. */
const TAG_PAGES = Math.ceil(DEMO_TAGS / 2);

/** Creates the bare repository `{baseDir}/{owner}/{repo}.git`, tags `versions` of `extension`. */
async function addRepo(
  baseDir: string,
  owner: string,
  repo: string,
  extension: string,
  versions: readonly string[],
): Promise<void> {
  const work = await Deno.makeTempDir({ prefix: `gitea-${repo}-` });
  try {
    await harnessGit(["init", "--quiet", "-b", "main", work]);
    for (const version of versions) {
      await Deno.writeTextFile(join(work, "extension.yaml"), fixtureManifest(extension, version));
      await harnessGit(["add", "-A"], { cwd: work });
      await harnessGit(["commit", "--quiet", "-m", version], { cwd: work });
      await harnessGit(["tag", version], { cwd: work });
    }
    await Deno.mkdir(join(baseDir, owner), { recursive: true });
    await harnessGit(["clone", "--quiet", "--bare", work, join(baseDir, owner, `${repo}.git`)]);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

function assertClean(run: CliRun, label: string): void {
  assert.doesNotMatch(run.stderr, STACK_LINE, `${label}: ${run.stderr}`);
}

function names(run: CliRun): string[] {
  return JSON.parse(run.stdout).map((row: { name: string }) => row.name);
}

Deno.test("the gitea source against a stand-in that behaves like Gitea's source", async (t) => {
  const fixture = await createGitFixture({ owner: ORG });
  await addRepo(fixture.baseDir, ORG, "Nginx", "nginx", ["1.0.0", "1.1.0"]);
  await addRepo(fixture.baseDir, ORG, "secret", "secret", ["1.0.0"]);
  await addRepo(fixture.baseDir, ORG, "wiki-only", "wiki-only", ["1.0.0"]);
  await addRepo(fixture.baseDir, "alice", "tool", "tool", ["0.1.0", "0.2.0"]);
  const shared = {
    root: fixture.baseDir,
    token: TOKEN,
    users: ["alice"],
    noCodeAccess: [`${ORG}/secret`],
    codeDisabled: [`${ORG}/wiki-only`],
  };
  // A page of two: five tags of `demo` take three pages, paged by X-Total-Count alone.
  const gitea = startGiteaStandin({ ...shared, maxPageSize: 2 });
  const direct = startGiteaStandin({ ...shared, serveDirect: true });
  const scoped = startGiteaStandin({ ...shared, tokenScopes: ["read:repository", "read:user"] });
  const narrow = startGiteaStandin({ ...shared, tokenScopes: ["read:repository"] });
  const home = await Deno.makeTempDir({ prefix: "gitea-behaviour-cli-" });
  try {
    await Deno.writeTextFile(join(home, "gitea-token"), `${TOKEN}\n`);
    let runs = 0;
    /** Runs `ext ARGS --source gitea` with a fresh home configured for `server`. */
    const cli = async (
      server: GiteaStandin,
      args: string[],
      config: { organization?: string; token?: boolean; extra?: string } = {},
    ) => {
      const dir = join(home, `run-${++runs}`);
      await Deno.mkdir(join(dir, ".provisioning"), { recursive: true });
      await Deno.writeTextFile(
        join(dir, ".provisioning", "config.toml"),
        [
          "[oci]",
          "retry_count = 0",
          "[gitea]",
          `url = "${server.url}"`,
          `organization = "${config.organization ?? ORG}"`,
          ...(config.token === false ? [] : [`token_path = "${join(home, "gitea-token")}"`]),
          config.extra ?? "",
          "",
        ].join("\n"),
      );
      const run = await runCli(["ext", ...args, "--source", "gitea"], {
        home: dir,
        env: { PROVISIONING_CACHE_DIR: join(dir, "cache") },
      });
      assertClean(run, args.join(" "));
      return run;
    };

    await t.step(
      "1. a repository whose code the caller may not read is skipped, with a warning",
      async () => {
        gitea.requests.length = 0;
        const list = await cli(gitea, ["list", "--format", "json"]);
        assert.equal(list.code, 0, list.stderr);
        assert.deepEqual(names(list), ["demo", "nginx"]);
        assert.match(
          list.stderr,
          /skipping "exts\/secret": its code is not readable by this token/,
        );
        assert.match(list.stderr, /skipping "exts\/wiki-only": its code is not readable/);
        // permissions.pull / has_code said so in advance: their tags were never asked for.
        assert.ok(
          !gitea.requests.some((r) => /\/repos\/exts\/(secret|wiki-only)\//.test(r.path)),
          gitea.requests.map((r) => r.path).join("\n"),
        );
        const load = await cli(gitea, ["load", "secret"]);
        assert.equal(load.code, 4, load.stderr);
        assert.match(
          load.stderr,
          /^error: Gitea "127\.0\.0\.1:\d+" refused the token \(HTTP 403\)/m,
        );
      },
    );

    await t.step(
      "2. an archive redirected to object storage needs [gitea] redirect_hosts",
      async () => {
        const storageHost = new URL(direct.storageUrl!).host;
        const refused = await cli(direct, ["load", "demo", "--version", "1.0.0"]);
        assert.equal(refused.code, 2, refused.stderr);
        assert.match(
          refused.stderr,
          new RegExp(
            `^error: Cannot connect to "${storageHost}", where Gitea "${
              new URL(direct.url).host
            }" redirected the download: network access is not permitted`,
            "m",
          ),
        );
        assert.match(
          refused.stderr,
          /SERVE_DIRECT.*add "127\.0\.0\.1:\d+" to \[gitea\] redirect_hosts/,
        );
        assert.doesNotMatch(refused.stderr, /\[gitea\] url|Cannot reach Gitea/);

        const extra = `redirect_hosts = ["${storageHost}"]`;
        const printed = await cli(
          direct,
          ["permissions", "load", "--no-probe", "--format", "json"],
          {
            extra,
          },
        );
        assert.equal(printed.code, 0, printed.stderr);
        // The Gitea host, its object storage, and the (default) registry the config names.
        assert.deepEqual(
          JSON.parse(printed.stdout).permissions.net,
          [new URL(direct.url).host, storageHost, "localhost:5000"].sort(),
        );
        direct.storageRequests.length = 0;
        const loaded = await cli(
          direct,
          ["load", "demo", "--version", "1.0.0", "--format", "json"],
          {
            extra,
          },
        );
        assert.equal(loaded.code, 0, loaded.stderr);
        assert.equal(JSON.parse(loaded.stdout).version, "1.0.0");
        assert.equal(direct.storageRequests.length, 1);
        assert.equal(direct.storageRequests[0]!.authorization, null, "the token stays with Gitea");
      },
    );

    await t.step("3. a token without read:organization lists a user's namespace", async () => {
      const list = await cli(scoped, ["list", "--format", "json"], { organization: "alice" });
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual(names(list), ["tool"]);
      assert.ok(scoped.requests.some((r) => r.path.startsWith("/api/v1/users/alice/repos")));

      const load = await cli(narrow, ["load", "tool"], { organization: "alice" });
      assert.equal(load.code, 0, load.stderr);
      const refused = await cli(narrow, ["list"], { organization: "alice" });
      assert.equal(refused.code, 4, refused.stderr);
      assert.match(
        refused.stderr,
        /^error: Gitea "127\.0\.0\.1:\d+" refused to list the repositories of "alice"/m,
      );
      assert.match(refused.stderr, /read:repository, read:organization and read:user/);
    });

    await t.step(
      "4. an anonymous listing of a private organisation says nothing was visible (exit 0)",
      async () => {
        const list = await cli(gitea, ["list", "--format", "json"], { token: false });
        assert.equal(list.code, 0, list.stderr);
        assert.deepEqual(JSON.parse(list.stdout), []);
        assert.match(
          list.stderr,
          /shows no repositories of "exts" to anonymous callers; if the organisation is private, configure a token/,
        );
      },
    );

    await t.step("5. repository Nginx holding extension nginx is found and loads", async () => {
      const search = await cli(gitea, ["search", "ngin", "--format", "json"]);
      assert.equal(search.code, 0, search.stderr);
      assert.deepEqual(names(search), ["nginx"]);
      const info = await cli(gitea, ["info", "nginx", "--format", "json"]);
      assert.equal(info.code, 0, info.stderr);
      assert.equal(JSON.parse(info.stdout).version, "1.1.0");
      const load = await cli(gitea, ["load", "nginx", "--format", "json"]);
      assert.equal(load.code, 0, load.stderr);
      assert.deepEqual([JSON.parse(load.stdout).name, JSON.parse(load.stdout).version], [
        "nginx",
        "1.1.0",
      ]);
    });

    await t.step(
      "6. manifests are read by commit; ext info reads tags and manifest once",
      async () => {
        gitea.requests.length = 0;
        const list = await cli(gitea, ["list", "--refresh", "--format", "json"]);
        assert.equal(list.code, 0, list.stderr);
        const raw = gitea.requests.filter((r) => r.path.includes("/raw/"));
        assert.ok(raw.length > 0);
        for (const r of raw) assert.match(r.path, /\?ref=[0-9a-f]{40}$/, r.path);

        // Latest: the tags listed once (seven tags, two a page), one manifest.
        const count = async (args: string[]) => {
          gitea.requests.length = 0;
          const info = await cli(gitea, ["info", "demo", ...args, "--format", "json"]);
          assert.equal(info.code, 0, info.stderr);
          const paths = gitea.requests.map((r) => r.path.replace(/\?.*/, ""));
          return {
            details: JSON.parse(info.stdout),
            tags: paths.filter((p) => p === `/api/v1/repos/${ORG}/demo/tags`).length,
            raw: paths.filter((p) => p.includes("/raw/")).length,
            all: paths.join("\n"),
          };
        };
        const latest = await count([]);
        assert.equal(latest.details.version, "2.0.0");
        assert.deepEqual([latest.tags, latest.raw], [TAG_PAGES, 1], latest.all);
        // An older version: the tags still once; the manifests of the highest (its row)
        // and of the version asked for.
        const older = await count(["--version", "1.2.0"]);
        assert.equal(older.details.description, "Fixture extension demo 1.2.0");
        assert.deepEqual([older.tags, older.raw], [TAG_PAGES, 2], older.all);
      },
    );

    await t.step(
      "7. tag listings carry X-Total-Count and no Link, and every page is read",
      async () => {
        const page = await fetch(`${gitea.url}/api/v1/repos/${ORG}/demo/tags?page=1&limit=2`, {
          headers: { Authorization: `token ${TOKEN}` },
        });
        assert.equal(page.headers.get("link"), null);
        assert.equal(page.headers.get("x-total-count"), String(DEMO_TAGS));
        assert.equal((await page.json()).length, 2);

        gitea.requests.length = 0;
        const versions = await cli(gitea, ["versions", "demo", "--format", "json"]);
        assert.equal(versions.code, 0, versions.stderr);
        assert.deepEqual(JSON.parse(versions.stdout).versions, DEMO_VERSIONS);
        assert.deepEqual(
          gitea.requests.map((r) => r.path).filter((p) => p.includes("/tags")),
          Array.from(
            { length: TAG_PAGES },
            (_, i) => `/api/v1/repos/${ORG}/demo/tags?page=${i + 1}&limit=50`,
          ),
        );
      },
    );
  } finally {
    await Promise.all([gitea, direct, scoped, narrow].map((server) => server.close()));
    await fixture.cleanup();
    await Deno.remove(home, { recursive: true });
  }
});
