// `provisioning ext publish` and `ext delete`, spawned as a user runs them against the real
// registry: exit codes, the JSON shapes, notices on stderr, one-line errors, a round trip
// through `ext load --source oci`, the publish tool; the delete confirmation driven
// in-process with a scripted prompt (a test cannot own a terminal).

import assert from "node:assert/strict";
import { runDelete } from "../../src/cli/ext_publish.ts";
import type { CliContext } from "../../src/cli/io.ts";
import { artifactExists, createRegistryClient, pullArtifact } from "../../src/oci/mod.ts";
import { registryTest, type TestRegistry } from "../harness/registry.ts";
import { uniqueNamespace } from "../oci/_helpers.ts";
import { type CliRun, runCli, runOnTerminal } from "../cli/run_cli.ts";
import { SAMPLE_TREE } from "./_fixture.ts";
import {
  ociSettingsFor,
  requestsDuring,
  runPublishTool,
  smallTree,
  withTempDir,
  withTree,
} from "./_publish_helpers.ts";

const PERMISSIONS = ["--allow-read", "--allow-env", "--allow-write", "--allow-net"];
const STACK_LINE = /^\s+at /m;

const PUBLISH_KEYS = [
  "config",
  "digest",
  "dryRun",
  "files",
  "layer",
  "name",
  "reference",
  "registry",
  "replaced",
  "repository",
  "size",
  "tag",
  "type",
  "version",
];
const DELETE_KEYS = ["digest", "name", "reference", "registry", "repository", "tag", "version"];

/** Runs `provisioning --registry R --namespace N …args`. */
function cli(
  reg: TestRegistry,
  namespace: string,
  home: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  return runCli(["--registry", reg.host, "--namespace", namespace, ...args], {
    home,
    env,
    permissions: PERMISSIONS,
  });
}

/** Asserts an error run: exit code, one `error:` line matching, no stack, nothing on stdout. */
function assertFails(run: CliRun, code: number, message: RegExp): void {
  assert.equal(run.code, code, run.stderr);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, /^error: /m);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, STACK_LINE);
}

registryTest("ext publish and ext delete: JSON shapes, exit codes, notices", async (t, reg) => {
  const namespace = uniqueNamespace("pub-cli");
  await withTempDir(async (home) => {
    await withTree(smallTree("cli-ext", "1.0.0"), async (dir) => {
      let digest = "";
      await t.step("publish --format json prints the result alone on stdout", async () => {
        const run = await cli(reg, namespace, home, ["ext", "publish", dir, "--format", "json"]);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stderr, "");
        const result = JSON.parse(run.stdout);
        assert.deepEqual(Object.keys(result).sort(), PUBLISH_KEYS);
        assert.equal(result.reference, `${reg.host}/${namespace}/cli-ext:1.0.0`);
        assert.match(result.digest, /^sha256:[0-9a-f]{64}$/);
        assert.deepEqual(Object.keys(result.layer).sort(), ["digest", "outcome", "size"]);
        assert.equal(result.dryRun, false);
        digest = result.digest;
        const tmp = [...Deno.readDirSync(`${home}/.provisioning/cache/tmp`)];
        assert.deepEqual(tmp, [], "the package was built under <cache>/tmp and removed");
      });

      await t.step("publishing it again is exit 2 and names --force", async () => {
        const run = await cli(reg, namespace, home, ["ext", "publish", dir]);
        assertFails(run, 2, /already published\nhint: Pass --force/);
      });

      await t.step("--force publishes it again (table output: reference and digest)", async () => {
        const run = await cli(reg, namespace, home, ["ext", "publish", dir, "--force"]);
        assert.equal(run.code, 0, run.stderr);
        assert.match(
          run.stdout,
          new RegExp(`^reference: ${reg.host}/${namespace}/cli-ext:1\\.0\\.0$`, "m"),
        );
        assert.match(run.stdout, new RegExp(`^digest: +${digest}$`, "m"));
      });

      await t.step("--version that differs from the file: a notice on stderr", async () => {
        const run = await cli(
          reg,
          namespace,
          home,
          ["ext", "publish", dir, "--version", "1.1.0-rc.1", "--format", "json"],
          { SOURCE_DATE_EPOCH: "1700000000" },
        );
        assert.equal(run.code, 0, run.stderr);
        assert.match(
          run.stderr,
          /^notice: Publishing version "1\.1\.0-rc\.1" while extension\.yaml on disk says "1\.0\.0"/,
        );
        assert.equal(JSON.parse(run.stdout).tag, "1.1.0-rc.1");
        using client = createRegistryClient(ociSettingsFor(reg, namespace));
        const pulled = await pullArtifact(client, "cli-ext:1.1.0-rc.1");
        assert.equal(
          pulled.manifest.annotations?.["org.opencontainers.image.created"],
          "2023-11-14T22:13:20Z",
          "SOURCE_DATE_EPOCH reaches the annotation",
        );
      });

      const failures: {
        name: string;
        args: string[];
        env?: Record<string, string>;
        code: number;
        message: RegExp;
      }[] = [
        {
          name: "a bad SOURCE_DATE_EPOCH",
          args: ["ext", "publish", dir],
          env: { SOURCE_DATE_EPOCH: "soon" },
          code: 2,
          message: /SOURCE_DATE_EPOCH "soon"/,
        },
        {
          name: "a bad --max-file-size",
          args: ["ext", "publish", dir, "--max-file-size", "1M"],
          code: 2,
          message: /--max-file-size "1M"/,
        },
        {
          name: "a file over --max-file-size",
          args: ["ext", "publish", dir, "--version", "9.0.0", "--max-file-size", "10"],
          code: 2,
          message: /scripts\/install\.sh|kcl\/main\.k|extension\.yaml/,
        },
        {
          name: "a directory that is no extension",
          args: ["ext", "publish", home],
          code: 2,
          message: /extension\.yaml/,
        },
        {
          name: "a version that is not semver",
          args: ["ext", "publish", dir, "--version", "1.2"],
          code: 2,
          message: /"1\.2"/,
        },
        {
          name: "delete without a terminal or --force",
          args: ["ext", "delete", "cli-ext", "1.0.0"],
          code: 2,
          message: /without confirmation.*\nhint: Pass --force/,
        },
        {
          name: "delete of a missing version",
          args: ["ext", "delete", "cli-ext", "7.0.0", "--force"],
          code: 3,
          message:
            /Version "7\.0\.0" of ".*\/cli-ext" not found\nhint: Published versions: 1\.0\.0, 1\.1\.0-rc\.1/,
        },
        {
          name: "delete of a missing extension",
          args: ["ext", "delete", "nothing-here", "1.0.0", "--force"],
          code: 3,
          message: /Extension "nothing-here" not found/,
        },
      ];
      for (const f of failures) {
        await t.step(`${f.name}: exit ${f.code}`, async () => {
          assertFails(await cli(reg, namespace, home, f.args, f.env), f.code, f.message);
        });
      }

      await t.step("delete --force --format json deletes by digest", async () => {
        const run = await cli(reg, namespace, home, [
          "ext",
          "delete",
          "cli-ext",
          "1.0.0",
          "--force",
          "--format",
          "json",
        ]);
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout);
        assert.deepEqual(Object.keys(result).sort(), DELETE_KEYS);
        assert.equal(result.digest, digest);
        using client = createRegistryClient(ociSettingsFor(reg, namespace));
        assert.equal(await artifactExists(client, "cli-ext:1.0.0"), false);
      });
    });
  });
});

registryTest(
  "ext publish --dry-run lists files and digests and sends no request",
  async (_t, reg) => {
    const namespace = uniqueNamespace("pub-dry");
    await withTempDir(async (home) => {
      await withTree(smallTree("dry-cli", "0.1.0"), async (dir) => {
        let table: CliRun | undefined;
        let json: CliRun | undefined;
        const requests = await requestsDuring(reg, async () => {
          table = await cli(reg, namespace, home, ["ext", "publish", dir, "--dry-run"]);
          json = await cli(reg, namespace, home, [
            "ext",
            "publish",
            dir,
            "--dry-run",
            "--format",
            "json",
          ]);
        });
        assert.deepEqual(requests, []);
        assert.equal(table!.code, 0, table!.stderr);
        assert.equal(json!.code, 0, json!.stderr);
        const result = JSON.parse(json!.stdout);
        assert.equal(result.dryRun, true);
        assert.equal(result.layer.outcome, undefined);
        assert.match(table!.stdout, /^Dry run: nothing was pushed/);
        for (
          const line of [
            new RegExp(`^manifest +${result.digest} +\\d+(\\.\\d)? K?i?B$`, "m"),
            new RegExp(`^config +${result.config.digest} `, "m"),
            new RegExp(`^layer +${result.layer.digest} `, "m"),
            /^scripts\/install\.sh +file +23 B$/m,
            /^extension\.yaml +file +\d+ B$/m,
          ]
        ) {
          assert.match(table!.stdout, line);
        }
      });
    });
  },
  { localOnly: true },
);

registryTest("ext delete asks on a terminal: no keeps it, yes deletes it", async (t, reg) => {
  const namespace = uniqueNamespace("pub-ask");
  await withTempDir(async (home) => {
    await withTree(smallTree("asked", "1.0.0"), async (dir) => {
      const published = await cli(reg, namespace, home, [
        "ext",
        "publish",
        dir,
        "--format",
        "json",
      ]);
      assert.equal(published.code, 0, published.stderr);
      const { digest, reference } = JSON.parse(published.stdout);
      using client = createRegistryClient(ociSettingsFor(reg, namespace));
      for (const [answer, deleted] of [["n", false], ["", false], ["yes", true]] as const) {
        await t.step(
          `answer ${JSON.stringify(answer)}: ${deleted ? "deleted" : "kept"}`,
          async () => {
            let stdout = "";
            let stderr = "";
            const ctx: CliContext = {
              out: (text) => stdout += text,
              err: (text) => stderr += text,
              stderrIsTerminal: true,
              color: false,
              cwd: home,
              home,
              getEnv: () => undefined,
            };
            const questions: string[] = [];
            const prompt = {
              interactive: true,
              ask: (question: string) => {
                questions.push(question);
                return Promise.resolve(answer);
              },
            };
            const run = runDelete(ctx, { registry: reg.host, namespace }, "asked", "1.0.0", {
              format: "table",
            }, prompt);
            await run; // "no" is an answer, not an error (exit 0)
            assert.equal(questions.length, 1);
            assert.match(
              questions[0]!,
              new RegExp(`^Delete ${reference} \\(${digest}\\)\\?.*\\[y/N\\] $`),
            );
            assert.equal(await artifactExists(client, "asked:1.0.0"), !deleted);
            assert.equal(
              stdout,
              deleted
                ? `Deleted ${reference} (${digest})\n`
                : `Nothing deleted: ${reference} is kept\n`,
            );
            assert.equal(stderr, "");
          },
        );
      }
      await t.step(
        'through the real CLI on a terminal, "n" is exit 0: nothing deleted',
        async (t) => {
          await cli(reg, namespace, home, ["ext", "publish", dir]);
          const run = await runOnTerminal(
            ["--registry", reg.host, "--namespace", namespace, "ext", "delete", "asked", "1.0.0"],
            { home, permissions: PERMISSIONS },
            "[y/N]",
            "n\r",
          );
          if (run === undefined) {
            console.warn("SKIPPED: util-linux `script` is not installed (needed for a terminal)");
            await t.step({ name: "skipped: no `script`", ignore: true, fn: () => {} });
            return;
          }
          assert.equal(run.code, 0, run.output);
          assert.match(run.output, /Nothing deleted: .*asked:1\.0\.0 is kept/);
          assert.doesNotMatch(run.output, /error:/);
          assert.equal(await artifactExists(client, "asked:1.0.0"), true);
        },
      );
    });
  });
});

registryTest(
  "ext delete on a registry with deletion disabled: exit 2, says so",
  async (_t, reg) => {
    const namespace = uniqueNamespace("pub-nodel");
    await withTempDir(async (home) => {
      await withTree(smallTree("undeletable", "1.0.0"), async (dir) => {
        assert.equal((await cli(reg, namespace, home, ["ext", "publish", dir])).code, 0);
        const run = await cli(reg, namespace, home, [
          "ext",
          "delete",
          "undeletable",
          "1.0.0",
          "--force",
        ]);
        assertFails(
          run,
          2,
          /has deletion disabled: cannot delete ".*\/undeletable:1\.0\.0"\n(.*\n)*hint: .*storage\.delete\.enabled/,
        );
      });
    });
  },
  { deleteEnabled: false, localOnly: true },
);

registryTest(
  "the publish tool: publish, list, info, delete with the CLI's exit codes",
  async (t, reg) => {
    const namespace = uniqueNamespace("pub-tool");
    const tool = (home: string, args: string[]) =>
      runPublishTool(["--registry", reg.host, "--namespace", namespace, ...args], { home });
    await withTempDir(async (home) => {
      await withTree(smallTree("tooled", "2.0.0", "cluster"), async (dir) => {
        await t.step("<dir> --version V --dry-run", async () => {
          const run = await tool(home, [
            dir,
            "--version",
            "2.0.1",
            "--dry-run",
            "--format",
            "json",
          ]);
          assert.equal(run.code, 0, run.stderr);
          assert.equal(JSON.parse(run.stdout).dryRun, true);
          assert.match(run.stderr, /^notice: Publishing version "2\.0\.1"/);
        });
        let digest = "";
        await t.step("<dir> --version V publishes; again is exit 2", async () => {
          const run = await tool(home, [dir, "--version", "2.0.1", "--format", "json"]);
          assert.equal(run.code, 0, run.stderr);
          digest = JSON.parse(run.stdout).digest;
          assertFails(await tool(home, [dir, "--version", "2.0.1"]), 2, /--force/);
        });
        await t.step("list", async () => {
          const run = await tool(home, ["list", "--format", "json"]);
          assert.equal(run.code, 0, run.stderr);
          assert.deepEqual(JSON.parse(run.stdout), [
            {
              name: "tooled",
              repository: `${namespace}/tooled`,
              type: "cluster",
              versions: ["2.0.1"],
            },
          ]);
          const table = await tool(home, ["list"]);
          assert.match(table.stdout, /^tooled +cluster +2\.0\.1$/m);
        });
        await t.step("info NAME VER", async () => {
          const run = await tool(home, ["info", "tooled", "2.0.1", "--format", "json"]);
          assert.equal(run.code, 0, run.stderr);
          const info = JSON.parse(run.stdout);
          assert.equal(info.digest, digest);
          assert.equal(info.manifest.artifactType, "application/vnd.provisioning.extension.v1");
          assert.equal(info.config.extension.version, "2.0.1");
          assertFails(await tool(home, ["info", "tooled", "9.9.9"]), 3, /not found/);
        });
        await t.step(
          "delete NAME VER --force; without --force and no terminal: exit 2",
          async () => {
            assertFails(await tool(home, ["delete", "tooled", "2.0.1"]), 2, /--force/);
            const run = await tool(home, ["delete", "tooled", "2.0.1", "--force"]);
            assert.equal(run.code, 0, run.stderr);
            assert.match(
              run.stdout,
              new RegExp(`^Deleted .*/tooled:2\\.0\\.1 \\(${digest}\\)$`, "m"),
            );
            assertFails(await tool(home, ["info", "tooled", "2.0.1"]), 3, /not found/);
          },
        );
      });
    });
  },
);

registryTest(
  "round trip: ext publish, then ext load --source oci gives the same tree",
  async (_t, reg) => {
    const namespace = uniqueNamespace("pub-load");
    await withTempDir(async (home) => {
      await withTree(SAMPLE_TREE, async (dir) => {
        const published = await cli(reg, namespace, home, [
          "ext",
          "publish",
          dir,
          "--format",
          "json",
        ]);
        assert.equal(published.code, 0, published.stderr);
        const loaded = await cli(reg, namespace, home, [
          "--cache-dir",
          `${home}/cache`,
          "ext",
          "load",
          "demo-ext",
          "--source",
          "oci",
          "--version",
          "^1.2.0",
          "--format",
          "json",
        ]);
        assert.equal(loaded.code, 0, loaded.stderr);
        const result = JSON.parse(loaded.stdout);
        assert.equal(result.version, "1.2.3");
        assert.equal(result.source, "oci");
        assert.equal(result.digest, JSON.parse(published.stdout).digest);
        // The CLI loads in a worker whose write grant is the cache root, where Deno refuses
        // Deno.symlink: the cache materialises the link (docs/latest.md), so compare contents.
        const diff = await new Deno.Command("diff", { args: ["-r", result.path, dir] }).output();
        assert.equal(diff.code, 0, `trees differ:\n${new TextDecoder().decode(diff.stdout)}`);
        assert.equal((await Deno.lstat(`${result.path}/docs/latest.md`)).isFile, true);
      });
    });
  },
);
