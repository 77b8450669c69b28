/**
 * The conventions a Helm, ORAS or kubectl user expects, through the real CLI: short flags,
 * global flags and examples in every subcommand's help, `help ext load`, did-you-mean, and a
 * "no" to a confirmation being exit 0.
 */

import assert from "node:assert/strict";
import { completionSpec } from "../../src/cli/completion_spec.ts";
import { buildProgram } from "../../src/cli/program.ts";
import { runCli, withTempHome } from "./run_cli.ts";

function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  return withTempHome("conventions-cli-home-", fn);
}

const SILENT = {
  out: () => {},
  err: () => {},
  stderrIsTerminal: false,
  color: false,
  cwd: "/",
  home: "/",
  getEnv: () => undefined,
};

Deno.test("short flags -t -s -o -f mean --type --source --format --force", async (t) => {
  await withHome(async (home) => {
    const long = await runCli(
      [
        "ext",
        "load",
        "kubernetes",
        "--source",
        "examples",
        "--type",
        "taskserv",
        "--force",
        "--format",
        "json",
      ],
      { home },
    );
    assert.equal(long.code, 0, long.stderr);
    await t.step("ext load -s -t -f -o", async () => {
      const short = await runCli(
        ["ext", "load", "kubernetes", "-s", "examples", "-t", "taskserv", "-f", "-o", "json"],
        { home },
      );
      assert.equal(short.code, 0, short.stderr);
      assert.deepEqual(JSON.parse(short.stdout), JSON.parse(long.stdout));
    });
    await t.step("ext list -sexamples -tprovider -ojson (values attached)", async () => {
      const run = await runCli(["ext", "list", "-sexamples", "-tprovider", "-ojson"], { home });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout).map((e: { name: string }) => e.name), ["aws"]);
    });
    await t.step("an unknown -t value is a usage error (exit 2)", async () => {
      const run = await runCli(["ext", "list", "-s", "examples", "-t", "nope"], { home });
      assert.equal(run.code, 2);
    });
  });
});

Deno.test("every command's --help shows the global flags it honours and Examples:", async () => {
  const paths = completionSpec(buildProgram(SILENT)).map((node) => node.path)
    .filter((path) => path !== "" && !path.endsWith("help"));
  assert.ok(paths.includes("ext cache clear") && paths.includes("completion"));
  await withHome(async (home) => {
    for (let i = 0; i < paths.length; i += 4) {
      await Promise.all(
        paths.slice(i, i + 4).map(async (path) => {
          const run = await runCli([...path.split(" "), "--help"], { home });
          assert.equal(run.code, 0, `${path}: ${run.stderr}`);
          const globals = run.stdout.split("Global Options:\n")[1] ?? "";
          for (const flag of ["--registry", "--namespace", "--cache-dir", "--debug"]) {
            assert.match(globals, new RegExp(`^  ${flag}\\b`, "m"), `${path} --help lacks ${flag}`);
          }
          const examples = run.stdout.split("\nExamples:\n")[1]?.trimEnd().split("\n") ?? [];
          assert.ok(
            examples.length >= 1 && examples.length <= 3,
            `${path}: ${examples.length} examples`,
          );
          for (const line of examples) assert.match(line, /^ {2}(provisioning |source |printf )/);
        }),
      );
    }
  });
});

Deno.test("provisioning help ext load shows the help of ext load", async (t) => {
  await withHome(async (home) => {
    const direct = await runCli(["ext", "load", "--help"], { home });
    assert.match(direct.stdout, /^Usage: provisioning ext load /);
    for (const args of [["help", "ext", "load"], ["ext", "help", "load"]]) {
      await t.step(args.join(" "), async () => {
        const run = await runCli(args, { home });
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stdout, direct.stdout);
      });
    }
    await t.step("help ext cache clear", async () => {
      const run = await runCli(["help", "ext", "cache", "clear"], { home });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^Usage: provisioning ext cache clear /);
    });
  });
});

Deno.test("a near miss of an enum value is refused (exit 2) with did you mean", async (t) => {
  await withHome(async (home) => {
    const cases: [string[], RegExp][] = [
      [
        ["ext", "list", "--type", "taskservs"],
        /Allowed choices are provider, taskserv, cluster; did you mean "taskserv"\?/,
      ],
      [["ext", "list", "-o", "jsn"], /did you mean "json"\?/],
      [["ext", "load", "aws", "--source", "exmples"], /did you mean "examples"\?/],
      [["ext", "list", "--source", "gitee"], /did you mean "gitea"\?/],
    ];
    for (const [args, expected] of cases) {
      await t.step(args.join(" "), async () => {
        const run = await runCli(args, { home });
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, expected);
        assert.equal(run.stdout, "");
        assert.doesNotMatch(run.stderr, /^\s+at /m);
      });
    }
    await t.step("nothing close: the choices, no guess", async () => {
      const run = await runCli(["ext", "list", "--type", "zzz"], { home });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /Allowed choices are provider, taskserv, cluster\.\n/);
      assert.doesNotMatch(run.stderr, /did you mean/i);
    });
  });
});

Deno.test("ext load of a misspelt name suggests the nearest listed one (exit 3)", async (t) => {
  await withHome(async (home) => {
    for (const name of ["redis", "redis-sentinel", "postgres"]) {
      await Deno.mkdir(`${home}/exts/${name}`, { recursive: true });
      await Deno.writeTextFile(
        `${home}/exts/${name}/extension.yaml`,
        `extension:\n  name: ${name}\n  version: 1.0.0\n  type: taskserv\n  description: ${name} server\n`,
      );
    }
    const env = { PROVISIONING_EXTENSIONS_PATH: `${home}/exts` };
    await t.step("load rdis -> redis", async () => {
      const run = await runCli(["ext", "load", "rdis", "-s", "local"], { home, env });
      assert.equal(run.code, 3, run.stderr);
      assert.equal(
        run.stderr,
        'error: Extension "rdis" not found in the local source\nhint: Did you mean "redis"?\n',
      );
    });
    await t.step("load kubernets -s examples -> kubernetes", async () => {
      const run = await runCli(["ext", "load", "kubernets", "-s", "examples"], { home });
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /^hint: Did you mean "kubernetes"\?$/m);
    });
    await t.step("nothing close: the usual hint", async () => {
      const run = await runCli(["ext", "load", "zzzzzz", "-s", "local"], { home, env });
      assert.equal(run.code, 3);
      assert.doesNotMatch(run.stderr, /Did you mean/);
      assert.equal(run.stderr.split("\n").filter((l) => l.startsWith("error:")).length, 1);
    });
  });
});
