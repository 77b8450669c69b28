/**
 * `loadExtension` / `pullExtension` with git and Gitea sources, against real git servers on
 * 127.0.0.1 (`git daemon` and `file://` remotes over real bare repositories) and the Gitea
 * STAND-IN (`tests/harness/gitea_standin.ts`: no Gitea or Forgejo server can be installed on
 * these machines, so it serves Gitea's documented API v1 shapes from the same repositories).
 *
 * Covered: a git URL as the name goes to the `git` source without `sourceType` (and with
 * `auto`); a URL with a type and an exact version is not looked up in the cache by name (it
 * is not a cache key) but still answered from the entry made from that remote and tag;
 * `force` reaches the git and Gitea sources, so a moved tag of a named extension is
 * `INTEGRITY` without it and replaced with it.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { listCached } from "../../src/cache/mod.ts";
import { loadConfig } from "../../src/config/mod.ts";
import type { ResolvedConfig } from "../../src/config/types.ts";
import {
  clearLoadMemo,
  loadExtension,
  type LoadExtensionOptions,
  pullExtension,
} from "../../src/loader/mod.ts";
import { createGitFixture, startGitDaemon } from "../harness/git_server.ts";
import { startGiteaStandin } from "../harness/gitea_standin.ts";

const TOKEN = "loader-T0ken";
const ORG = "exts";

Deno.test("loadExtension() with git URLs and --force over the git and Gitea sources", async (t) => {
  const fixture = await createGitFixture({ owner: ORG });
  const daemon = await startGitDaemon(fixture.baseDir);
  const gitea = startGiteaStandin({ root: fixture.baseDir, token: TOKEN });
  const home = await Deno.makeTempDir({ prefix: "loader-git-url-" });
  const demoRemote = `${daemon.url}/${ORG}/demo.git`;
  const demoFile = `file://${fixture.repos.demo!.bareDir}`;
  let n = 0;
  /** A fresh cache; the registry and Gitea configured, `[git] remotes` naming `demo`. */
  const config = async (): Promise<ResolvedConfig> => {
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
    resolved.settings.git.remotes = [demoRemote];
    // Nothing listens here: were the OCI source asked, it would fail at once.
    resolved.settings.oci.registry = "127.0.0.1:9";
    resolved.settings.oci.retry_count = 0;
    return resolved;
  };
  const load = (
    name: string,
    spec: string,
    options: LoadExtensionOptions,
    type?: "taskserv" | "provider",
  ) => {
    clearLoadMemo();
    return loadExtension(type, name, spec, options);
  };
  try {
    await t.step("a git URL as the name goes to the git source without sourceType", async () => {
      const cfg = await config();
      const cases: [name: string, spec: string, sourceType: "auto" | undefined, version: string][] =
        [
          [demoRemote, "^1.0.0", undefined, "1.2.0"],
          [`git+${demoRemote}`, "~1.1.0", "auto", "1.1.0"],
          [demoFile, "latest", undefined, "2.0.0"],
        ];
      for (const [name, spec, sourceType, version] of cases) {
        const result = await load(name, spec, {
          config: cfg,
          ...(sourceType === undefined ? {} : { sourceType }),
        });
        assert.equal(result.error, undefined, name);
        assert.deepEqual(
          [result.success, result.name, result.type, result.version, result.source],
          [true, "demo", "taskserv", version, "git"],
        );
      }
      clearLoadMemo();
      const pulled = await pullExtension(undefined, demoFile, "1.0.0", { config: cfg });
      assert.equal(pulled.error, undefined);
      assert.deepEqual([pulled.source, pulled.version], ["git", "1.0.0"]);
      assert.equal(pulled.path, join(cfg.settings.cache.dir, "extensions/taskserv/demo/1.0.0"));
    });

    await t.step("a source named explicitly is still the only one asked", async () => {
      const result = await load(demoRemote, "^1.0.0", {
        config: await config(),
        sourceType: "oci",
      });
      assert.equal(result.success, false);
      // The OCI source's own answer: a URL is no registry reference.
      assert.equal(result.error?.code, "INVALID_REFERENCE");
      assert.match(result.error?.message ?? "", /Cannot parse reference/);
    });

    await t.step(
      "a git URL with a type and an exact version skips the cache lookup by name",
      async () => {
        const cfg = await config();
        const root = cfg.settings.cache.dir;
        for (const sourceType of [undefined, "git"] as const) {
          const result = await load(demoRemote, "1.0.0", {
            config: cfg,
            ...(sourceType === undefined ? {} : { sourceType }),
          }, "taskserv");
          assert.equal(result.error, undefined, `sourceType ${sourceType}`);
          assert.deepEqual([result.name, result.version, result.source], ["demo", "1.0.0", "git"]);
        }
        // Answered the second time from the entry made from this remote and tag.
        const entries = await listCached(root, { name: "demo" });
        assert.equal(entries.length, 1);
        assert.equal(entries[0]?.remote, demoRemote);

        const wrongType = await load(demoRemote, "1.0.0", { config: cfg }, "provider");
        assert.equal(wrongType.error?.code, "TYPE_MISMATCH");
        const offline = await load(demoRemote, "1.0.0", { config: cfg, offline: true }, "taskserv");
        assert.equal(offline.error?.code, "NOT_FOUND");
        assert.match(offline.error?.message ?? "", /--offline/);
      },
    );

    await t.step("a moved tag of a git URL is INTEGRITY; force replaces it", async () => {
      const cfg = await config();
      const first = await load(demoFile, "1.0.0", { config: cfg });
      assert.equal(first.error, undefined);
      const moved = await fixture.moveTag("demo", "1.0.0", "1.0.0");
      const refused = await load(demoFile, "1.0.0", { config: cfg });
      assert.equal(refused.error?.code, "INTEGRITY");
      assert.ok(refused.error?.message.includes(moved));
      const forced = await load(demoFile, "1.0.0", { config: cfg, force: true });
      assert.equal(forced.error, undefined);
      const [entry] = await listCached(cfg.settings.cache.dir, { name: "demo" });
      assert.equal(entry?.commit, moved);
    });

    for (
      const [sourceType, tag, spec] of [
        ["git", "1.1.0", "~1.1.0"],
        ["gitea", "v1.2.0", "~1.2.0"],
      ] as const
    ) {
      await t.step(
        `${sourceType}: a moved tag of a named extension is INTEGRITY; force replaces it`,
        async () => {
          const cfg = await config();
          const root = cfg.settings.cache.dir;
          const first = await load("demo", spec, { config: cfg, sourceType });
          assert.equal(first.error, undefined);
          const before = (await listCached(root, { name: "demo" }))[0]?.commit;
          const moved = await fixture.moveTag("demo", tag, spec.slice(1));
          const refused = await load("demo", spec, { config: cfg, sourceType });
          assert.equal(refused.error?.code, "INTEGRITY");
          assert.ok(refused.error?.message.includes(`commit ${before}`));
          assert.ok(refused.error?.message.includes(moved));
          const forced = await load("demo", spec, { config: cfg, sourceType, force: true });
          assert.equal(forced.error, undefined);
          assert.equal(forced.source, sourceType);
          const entries = await listCached(root, { name: "demo" });
          assert.deepEqual(entries.map((e) => [e.version, e.commit]), [[spec.slice(1), moved]]);
          // The replaced entry now matches the tag: an ordinary load takes it again.
          const again = await load("demo", spec, { config: cfg, sourceType });
          assert.equal(again.error, undefined);
        },
      );
    }
  } finally {
    clearLoadMemo();
    await gitea.close();
    await daemon.stop();
    await fixture.cleanup();
    await Deno.remove(home, { recursive: true });
  }
});
