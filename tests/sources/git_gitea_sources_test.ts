/**
 * The `gitea` and `git` sources and discoverers as a library, against real git servers on
 * 127.0.0.1 (`git daemon`, `file://` remotes over real bare repositories) and a Gitea
 * STAND-IN: no Gitea or Forgejo server can be installed on these machines, so
 * `tests/harness/gitea_standin.ts` serves Gitea's documented API v1 shapes backed by the same
 * real bare repositories.
 *
 * What the CLI tests cannot see: which git commands and API requests were made (a cached
 * commit is not fetched again, a wrong type is refused before the archive is downloaded), a
 * tag moved between resolving and fetching, sub-paths, a repository whose manifest names
 * another extension, and when the sources are unavailable.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { listCached } from "../../src/cache/mod.ts";
import { loadConfig } from "../../src/config/mod.ts";
import type { ResolvedConfig } from "../../src/config/types.ts";
import { createGitDiscoverer, createGiteaDiscoverer } from "../../src/discovery/mod.ts";
import { runGit } from "../../src/git/mod.ts";
import type { RunGit } from "../../src/git/types.ts";
import {
  createGiteaSource,
  createGitSource,
  createSource,
  giteaClientFor,
} from "../../src/sources/mod.ts";
import { createGitFixture, harnessGit, startGitDaemon } from "../harness/git_server.ts";
import { startGiteaStandin } from "../harness/gitea_standin.ts";

const TOKEN = "sources-T0ken";
const ORG = "exts";

/** A `runGit` that records every command. */
function countingGit(): { runGit: RunGit; calls: string[][]; fetches(): number } {
  const calls: string[][] = [];
  return {
    calls,
    runGit: (args, options) => {
      calls.push([...args]);
      return runGit(args, options);
    },
    fetches: () => calls.filter((args) => args.includes("fetch")).length,
  };
}

/** A bare repository `{org}/{name}.git` under `baseDir` whose annotated tag `1.0.0` holds `files`. */
async function bareRepo(
  baseDir: string,
  org: string,
  name: string,
  files: Record<string, string>,
): Promise<void> {
  const work = await Deno.makeTempDir({ prefix: "sources-repo-" });
  try {
    await harnessGit(["init", "--quiet", "-b", "main", work]);
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(join(work, path, ".."), { recursive: true });
      await Deno.writeTextFile(join(work, path), text);
    }
    await harnessGit(["add", "-A"], { cwd: work });
    await harnessGit(["commit", "--quiet", "-m", "1.0.0"], { cwd: work });
    await harnessGit(["tag", "-a", "-m", "1.0.0", "1.0.0"], { cwd: work });
    await Deno.mkdir(join(baseDir, org), { recursive: true });
    await harnessGit(["clone", "--quiet", "--bare", work, join(baseDir, org, `${name}.git`)]);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

Deno.test("gitea and git sources as a library", async (t) => {
  const fixture = await createGitFixture({ owner: ORG });
  const daemon = await startGitDaemon(fixture.baseDir);
  const gitea = startGiteaStandin({ root: fixture.baseDir, token: TOKEN });
  const home = await Deno.makeTempDir({ prefix: "sources-git-gitea-" });
  const demoRemote = `${daemon.url}/${ORG}/demo.git`;
  await bareRepo(fixture.baseDir, "subs", "widget", {
    "README.md": "# widget\n",
    "ext/extension.yaml": "extension:\n  name: widget\n  version: 1.0.0\n  type: cluster\n",
  });
  // The same repository under another name: its manifest names "demo", not "alias".
  await Deno.symlink(join(fixture.baseDir, ORG, "demo.git"), join(fixture.baseDir, "alias.git"));
  let n = 0;
  const config = async (
    edit: (config: ResolvedConfig) => void = () => {},
  ): Promise<ResolvedConfig> => {
    const resolved = await loadConfig({
      cwd: home,
      home,
      env: {
        PROVISIONING_CACHE_DIR: join(home, `cache-${++n}`),
        PROVISIONING_GITEA_URL: gitea.url,
        PROVISIONING_GITEA_TOKEN: TOKEN,
      },
    });
    resolved.settings.gitea.organization = ORG;
    resolved.settings.git.remotes = [
      demoRemote,
      `file://${fixture.baseDir}/${ORG}/mono.git#extensions/demo`,
      `file://${fixture.baseDir}/alias.git`,
    ];
    edit(resolved);
    return resolved;
  };
  try {
    await t.step("createSource() says why gitea is unavailable", async () => {
      const bare = await loadConfig({ cwd: home, home, env: {} });
      assert.match(createSource("gitea", { config: bare }).unavailable ?? "", /\[gitea\] url/);
      bare.settings.gitea.url = gitea.url;
      assert.match(createSource("gitea", { config: bare }).unavailable ?? "", /organization/);
      bare.settings.gitea.organization = ORG;
      assert.equal(createSource("gitea", { config: bare }).unavailable, undefined);
      assert.equal(createSource("git", { config: bare }).unavailable, undefined);
    });

    await t.step(
      "git: a cached commit is not fetched again; a git URL is named by its manifest",
      async () => {
        const cfg = await config();
        const root = cfg.settings.cache.dir;
        const git = countingGit();
        const source = createGitSource(cfg, { runGit: git.runGit });
        const versions = await source.listVersions(demoRemote);
        assert.deepEqual(
          versions.map((v) => [v.version, v.ref]),
          [["0.1.0", "0.1.0"], ["1.0.0", "1.0.0"], ["1.1.0", "1.1.0"], ["1.2.0", "v1.2.0"], [
            "2.0.0",
            "v2.0.0",
          ]],
        );
        const resolved = await source.resolve(demoRemote, "^1.0.0");
        assert.deepEqual([resolved.version, resolved.ref], ["1.2.0", "v1.2.0"]);
        const first = await source.materialize(resolved, { cacheRoot: root });
        assert.deepEqual([first.name, first.fetched, first.source], ["demo", true, "git"]);
        assert.equal(git.fetches(), 1);

        const again = createGitSource(cfg, { runGit: git.runGit });
        const second = await again.materialize(await again.resolve(demoRemote, "1.2.0"), {
          cacheRoot: root,
        });
        assert.deepEqual([second.path, second.fetched], [first.path, false]);
        assert.equal(git.fetches(), 1, "found by remote, tag and commit without a fetch");
      },
    );

    await t.step("git: a sub-path remote stands for its folder's extension", async () => {
      const cfg = await config((c) => c.settings.git.remotes = c.settings.git.remotes.slice(1));
      const source = createGitSource(cfg);
      const ext = await source.materialize(await source.resolve("demo", "1.0.0"), {
        cacheRoot: cfg.settings.cache.dir,
      });
      assert.equal(ext.manifest.extension.name, "demo");
      assert.ok((await Deno.stat(join(ext.path, "kcl", "main.k"))).isFile);
      await assert.rejects(Deno.stat(join(ext.path, "README.md")), Deno.errors.NotFound);
    });

    await t.step(
      "git: a repository whose manifest names another extension is refused",
      async () => {
        const cfg = await config();
        const source = createGitSource(cfg);
        await assert.rejects(
          async () =>
            await source.materialize(await source.resolve("alias", "2.0.0"), {
              cacheRoot: cfg.settings.cache.dir,
            }),
          { code: "INVALID_EXTENSION", message: /holds extension "demo", not "alias"/ },
        );
      },
    );

    await t.step("git: a tag moved between resolving and fetching is refused", async () => {
      const cfg = await config();
      const source = createGitSource(cfg);
      const resolved = await source.resolve("demo", "~1.1.0");
      await fixture.moveTag("demo", "1.1.0", "1.1.0");
      await assert.rejects(
        source.materialize(resolved, { cacheRoot: cfg.settings.cache.dir }),
        { code: "INTEGRITY", message: /moved: listed at commit [0-9a-f]+, fetched at commit/ },
      );
    });

    await t.step(
      "git: a tag moved since it was cached is INTEGRITY unless the load is forced",
      async () => {
        const cfg = await config();
        const cacheRoot = cfg.settings.cache.dir;
        const first = createGitSource(cfg);
        await first.materialize(await first.resolve("demo", "~1.1.0"), { cacheRoot });
        const moved = await fixture.moveTag("demo", "1.1.0", "1.1.0");
        await assert.rejects(createGitSource(cfg).resolve("demo", "~1.1.0"), {
          code: "INTEGRITY",
          message: new RegExp(`the tag now points at commit ${moved}`),
        });
        const forced = createGitSource(cfg, { force: true });
        const ext = await forced.materialize(await forced.resolve("demo", "~1.1.0"), {
          cacheRoot,
          force: true,
        });
        assert.equal(ext.fetched, true);
        const [entry] = await listCached(cacheRoot, { name: "demo" });
        assert.equal(entry?.commit, moved);
      },
    );

    await t.step("gitea: a wrong type is refused before the archive is downloaded", async () => {
      const cfg = await config();
      const source = createGiteaSource(cfg);
      gitea.requests.length = 0;
      await assert.rejects(
        async () =>
          await source.materialize(await source.resolve("demo", "2.0.0"), {
            cacheRoot: cfg.settings.cache.dir,
            type: "provider",
          }),
        { code: "TYPE_MISMATCH" },
      );
      assert.ok(gitea.requests.every((r) => !r.path.includes("/archive/")), "no archive request");
      assert.ok(gitea.requests.every((r) => r.authorization === `token ${TOKEN}`));
    });

    await t.step("gitea: a tag moved between resolving and downloading is refused", async () => {
      const cfg = await config();
      const source = createGiteaSource(cfg);
      const resolved = await source.resolve("demo", "1.0.0");
      await fixture.moveTag("demo", "1.0.0", "1.0.0");
      await assert.rejects(
        source.materialize(resolved, { cacheRoot: cfg.settings.cache.dir }),
        { code: "INTEGRITY", message: /Tag "1\.0\.0" of repository "exts\/demo" .* moved/ },
      );
    });

    await t.step("gitea: a configured sub-path and the token file", async () => {
      const tokenFile = join(home, "token");
      await Deno.writeTextFile(tokenFile, `${TOKEN}\n`);
      const cfg = await config((c) => {
        c.settings.gitea.organization = "subs";
        c.settings.gitea.subpath = "ext";
        c.settings.gitea.token_path = tokenFile;
        c.secrets.gitea_token = undefined;
      });
      const source = createGiteaSource(cfg);
      const ext = await source.materialize(await source.resolve("widget", "latest"), {
        cacheRoot: cfg.settings.cache.dir,
      });
      assert.deepEqual([ext.type, ext.version, ext.source], ["cluster", "1.0.0", "gitea"]);
      await assert.rejects(Deno.stat(join(ext.path, "README.md")), Deno.errors.NotFound);
    });

    await t.step(
      "discovery: git reads cached manifests without fetching, skips duplicates and misnamed remotes",
      async () => {
        const cfg = await config();
        const root = cfg.settings.cache.dir;
        const loader = createGitSource(cfg);
        await loader.materialize(await loader.resolve("demo", "latest"), { cacheRoot: root });
        const git = countingGit();
        const discoverer = createGitDiscoverer(cfg.settings.git.remotes, {
          cacheRoot: root,
          runGit: git.runGit,
        });
        const warnings: string[] = [];
        const context = {
          signal: new AbortController().signal,
          warn: (m: string) => warnings.push(m),
        };
        const listing = await discoverer.discover(context);
        assert.deepEqual(listing.extensions.map((e) => [e.name, e.version, e.source]), [
          ["demo", "2.0.0", "git"],
        ]);
        assert.equal(listing.complete, false, "the misnamed remote failed");
        // demo's highest commit is cached; alias (the same repository) needs one fetch.
        assert.equal(git.fetches(), 1);
        assert.equal(warnings.length, 2, warnings.join("\n"));
        assert.ok(
          warnings.some((w) => /mono\.git#extensions\/demo": .* already stands for "demo"/.test(w)),
        );
        assert.ok(warnings.some((w) => /alias\.git": .*names "demo", not "alias"/.test(w)));

        const [demo] = await discoverer.lookup("demo", context);
        const details = await discoverer.describe(demo!, "1.1.0", context);
        assert.equal(details.manifest?.extension.version, "1.1.0");
      },
    );

    await t.step("discovery: gitea fails alone when its token file cannot be read", async () => {
      const cfg = await config((c) => {
        c.settings.gitea.token_path = join(home, "missing-token");
        c.secrets.gitea_token = undefined;
      });
      const discoverer = createGiteaDiscoverer(() => giteaClientFor(cfg));
      const context = { signal: new AbortController().signal, warn: () => {} };
      await assert.rejects(discoverer.discover(context), {
        code: "INVALID_CONFIG",
        message: /Cannot read the Gitea token file/,
      });
    });
  } finally {
    await gitea.close();
    await daemon.stop();
    await fixture.cleanup();
    await Deno.remove(home, { recursive: true });
  }
});
