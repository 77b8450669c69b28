/**
 * The one-file bundle: `deno task bundle` builds `dist/provisioning.js`, and that file runs
 * the scenarios users run — a local load, a pull from the real registry, the cache list —
 * both as a broad launch (the command runs in a scoped worker: the bundle loads itself again
 * as the worker's module) and in place with exactly the flags the bundle's own
 * `ext permissions` prints. Every run uses `--no-config`: the bundle needs neither the
 * project's `deno.json` nor its import map.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { CLI_LAUNCHES, type CliRun, forcedOciPullArgs, runCli } from "../cli/run_cli.ts";
import { registryTest } from "../harness/mod.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUNDLE = `${ROOT}dist/provisioning.js`;
const KUBERNETES_1_28 = `${ROOT}examples/extensions/taskservs/kubernetes/1.28.0`;

const LAUNCHES = CLI_LAUNCHES;

let built: Promise<void> | undefined;

/** Runs `deno task bundle` in the project once per test run. */
function bundle(): Promise<void> {
  return built ??= (async () => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["task", "--quiet", "bundle"],
      cwd: ROOT,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    assert.ok((await Deno.stat(BUNDLE)).size > 0);
  })();
}

function bundled(
  launch: "broad" | "scoped",
  args: string[],
  home: string,
  env: Record<string, string> = {},
): Promise<CliRun> {
  return runCli(args, { home, env, launch, entry: BUNDLE, denoFlags: ["--no-config"] });
}

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "bundle-" }));
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("deno task bundle: dist/provisioning.js runs local commands in both launches", async (t) => {
  await bundle();
  await withHome(async (home) => {
    for (const { launch, label } of LAUNCHES) {
      await t.step(`ext --help, ${label}`, async () => {
        const run = await bundled(launch, ["ext", "--help"], home);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /Usage: provisioning ext/);
      });
      await t.step(`ext load from the bundled examples, ${label}`, async () => {
        const run = await bundled(
          launch,
          ["ext", "load", "kubernetes", "--version", "^1.28.0", "--format", "json"],
          home,
          { PROVISIONING_SOURCE_TYPE: "examples" },
        );
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout);
        assert.equal(result.source, "examples");
        assert.equal(result.version, "1.29.1");
        assert.equal(result.path, `${ROOT}examples/extensions/taskservs/kubernetes/1.29.1`);
      });
      await t.step(`ext cache list of an empty cache writes nothing, ${label}`, async () => {
        const run = await bundled(launch, ["ext", "cache", "list", "--format", "json"], home);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout), []);
        assert.deepEqual([...Deno.readDirSync(home)], []);
      });
    }
  });
});

registryTest("the bundle pulls from the real registry and lists the cache", async (t, reg) => {
  await bundle();
  await withHome(async (home) => {
    const env = { PROVISIONING_OCI_REGISTRY: reg.host };
    const published = await bundled("broad", ["ext", "publish", KUBERNETES_1_28], home, env);
    assert.equal(published.code, 0, published.stderr);
    for (const { launch, label } of LAUNCHES) {
      await t.step(`ext pull --source oci, ${label}`, async () => {
        const run = await bundled(
          launch,
          forcedOciPullArgs("kubernetes", "1.28.0"),
          home,
          env,
        );
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout);
        assert.equal(result.source, "oci");
        assert.ok(result.path.startsWith(`${home}/.provisioning/cache/`), result.path);
      });
      await t.step(`ext cache list, ${label}`, async () => {
        const run = await bundled(launch, ["ext", "cache", "list", "--format", "json"], home, env);
        assert.equal(run.code, 0, run.stderr);
        const rows = JSON.parse(run.stdout) as { name: string; version: string }[];
        assert.deepEqual(rows.map((row) => `${row.name}@${row.version}`), ["kubernetes@1.28.0"]);
      });
    }
  });
});
