/**
 * The CLI against the local source, spawned as a user runs it: exit codes, JSON shapes,
 * one-line errors without stack traces.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "./run_cli.ts";

/** A stack frame line, which must never reach a user without --debug. */
const STACK_LINE = /^\s+at /m;

/** A launch without network: the registry in the `auto` order is refused, only local answers. */
const NO_NET = ["--allow-read", "--allow-env", "--allow-write"];

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "cli-home-" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

async function writeExtension(root: string, rel: string, manifest: string): Promise<string> {
  const dir = join(root, rel);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "extension.yaml"), manifest);
  return dir;
}

const manifestOf = (name: string, type: string, version: string) =>
  `extension:\n  name: ${name}\n  version: "${version}"\n  type: ${type}\n  description: ${name} ${version}\n`;

Deno.test("ext load picks versions from the bundled examples by spec", async (t) => {
  await withHome(async (home) => {
    const cases: [spec: string | undefined, version: string][] = [
      [undefined, "1.29.1"],
      ["latest", "1.29.1"],
      ["*", "1.29.1"],
      ["1.28.0", "1.28.0"],
      ["~1.28.0", "1.28.0"],
      ["^1.28.0", "1.29.1"],
      ["1.28.0-1.29.0", "1.28.0"],
      ["1.28.0 - 1.29.1", "1.29.1"],
      [">=1.28.0 <1.29.0", "1.28.0"],
      ["1.x", "1.29.1"],
    ];
    for (const [spec, version] of cases) {
      await t.step(`spec ${spec ?? "(none)"} loads ${version}`, async () => {
        const args = ["ext", "load", "kubernetes", "--format", "json"];
        if (spec !== undefined) args.push("--version", spec);
        const run = await runCli(args, { home });
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout);
        assert.deepEqual(Object.keys(result).sort(), [
          "digest",
          "name",
          "path",
          "reference",
          "source",
          "success",
          "type",
          "version",
        ]);
        assert.equal(result.success, true);
        assert.equal(result.name, "kubernetes");
        assert.equal(result.type, "taskserv");
        assert.equal(result.version, version);
        assert.equal(result.source, "examples");
        const stat = await Deno.stat(join(result.path, "extension.yaml"));
        assert.ok(stat.isFile);
      });
    }
  });
});

Deno.test("ext load reports what is missing with exit 3 and one line", async (t) => {
  await withHome(async (home) => {
    await t.step("unknown extension", async () => {
      const run = await runCli(["ext", "load", "nope"], { home, permissions: NO_NET });
      assert.equal(run.code, 3);
      assert.match(run.stderr, /^error: Extension "nope" not found/);
      assert.doesNotMatch(run.stderr, STACK_LINE);
      assert.equal(run.stdout, "");
    });
    await t.step("no version satisfies the spec: lists the versions that exist", async () => {
      const run = await runCli(["ext", "load", "kubernetes", "--version", "^2.0.0"], {
        home,
        permissions: NO_NET,
      });
      assert.equal(run.code, 3);
      assert.match(run.stderr, /"\^2\.0\.0"/);
      assert.match(run.stderr, /1\.29\.1, 1\.28\.0/);
    });
    await t.step("wrong --type names the type it has", async () => {
      const run = await runCli(["ext", "load", "kubernetes", "--type", "provider"], {
        home,
        permissions: NO_NET,
      });
      assert.equal(run.code, 3);
      assert.match(run.stderr, /taskserv/);
    });
  });
});

Deno.test("bad input exits 2 with one clear line and no stack trace", async (t) => {
  await withHome(async (home) => {
    const cases: [label: string, args: string[], pattern: RegExp][] = [
      ["malformed spec", ["ext", "load", "kubernetes", "--version", "1.2.3.4"], /"1\.2\.3\.4"/],
      ["garbage spec", ["ext", "load", "kubernetes", "--version", "abc"], /"abc"/],
      ["unknown format", ["ext", "list", "--format", "xml"], /xml/],
      ["unknown type", ["ext", "list", "--type", "plugin"], /plugin/],
      ["unknown command", ["ext", "frobnicate"], /frobnicate/],
      ["unknown flag", ["ext", "list", "--colour"], /--colour/],
      ["missing argument", ["ext", "load"], /name/],
    ];
    for (const [label, args, pattern] of cases) {
      await t.step(label, async () => {
        const run = await runCli(args, { home });
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, pattern);
        assert.doesNotMatch(run.stderr, STACK_LINE);
        assert.equal(run.stdout, "");
      });
    }
  });
});

Deno.test("ext list, versions and info print the documented JSON shapes", async (t) => {
  await withHome(async (home) => {
    await t.step("list: array of {name,type,version,source,description}", async () => {
      const run = await runCli(["ext", "list", "--format", "json"], { home });
      assert.equal(run.code, 0, run.stderr);
      const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
      const names = rows.map((r) => `${r.type}/${r.name}@${r.version}`);
      assert.deepEqual(names, [
        "cluster/buildkit@0.12.0",
        "provider/aws@2.4.1",
        "taskserv/kubernetes@1.29.1",
      ]);
      for (const row of rows) {
        for (const key of ["name", "type", "version", "source", "description"]) {
          assert.ok(key in row, `missing ${key}`);
        }
      }
    });
    await t.step("list --type filters", async () => {
      const run = await runCli(["ext", "list", "--type", "provider", "--format", "json"], {
        home,
      });
      assert.deepEqual(JSON.parse(run.stdout).map((r: { name: string }) => r.name), ["aws"]);
    });
    await t.step("list as YAML", async () => {
      const run = await runCli(["ext", "list", "--format", "yaml"], { home });
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^- name: buildkit$/m);
    });
    await t.step("versions: highest first", async () => {
      const run = await runCli(["ext", "versions", "kubernetes", "--format", "json"], { home });
      assert.equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout);
      assert.deepEqual(result.versions, ["1.29.1", "1.28.0"]);
      assert.equal(result.name, "kubernetes");
    });
    await t.step("info: one object with manifest metadata", async () => {
      const run = await runCli(["ext", "info", "buildkit", "--format", "json"], { home });
      assert.equal(run.code, 0, run.stderr);
      const info = JSON.parse(run.stdout);
      assert.equal(info.name, "buildkit");
      assert.equal(info.type, "cluster");
      assert.equal(typeof info.description, "string");
      assert.ok("kubernetes" in info.dependencies);
      assert.deepEqual(info.versions.examples, ["0.12.0"]);
    });
    await t.step("table output has a header row", async () => {
      const run = await runCli(["ext", "list"], { home });
      assert.match(run.stdout, /^NAME\s+TYPE\s+VERSION\s+SOURCE\s+DESCRIPTION$/m);
    });
  });
});

Deno.test("PROVISIONING_EXTENSIONS_PATH replaces the bundled examples", async (t) => {
  await withHome(async (home) => {
    const root = join(home, "exts");
    await writeExtension(
      root,
      "providers/upcloud/1.0.0",
      manifestOf("upcloud", "provider", "1.0.0"),
    );
    await writeExtension(
      root,
      "providers/upcloud/1.1.0",
      manifestOf("upcloud", "provider", "1.1.0"),
    );
    await writeExtension(root, "broken", "extension:\n  name: Broken!\n  version: '1.2'\n");
    const env = { PROVISIONING_EXTENSIONS_PATH: root };

    await t.step("list skips an invalid manifest with a warning on stderr", async () => {
      const run = await runCli(["ext", "list", "--format", "json"], { home, env });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout).map((r: { name: string }) => r.name), [
        "upcloud",
      ]);
      assert.match(run.stderr, /^warning: skipping ".*broken"/m);
    });
    await t.step("load resolves among the configured folder's versions", async () => {
      const run = await runCli(["ext", "load", "upcloud", "--format", "json"], { home, env });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).version, "1.1.0");
    });
    await t.step("loading the invalid one exits 2 with every problem", async () => {
      const run = await runCli(["ext", "load", "broken"], { home, env });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /extension\.version/);
      assert.match(run.stderr, /extension\.name/);
      assert.match(run.stderr, /extension\.type/);
      assert.doesNotMatch(run.stderr, STACK_LINE);
    });
  });
});

Deno.test("workspace config errors name the file and line, exit 2", async () => {
  await withHome(async (home) => {
    const configDir = join(home, "project", "workspace", "config");
    await Deno.mkdir(configDir, { recursive: true });
    await Deno.writeTextFile(
      join(configDir, "local-overrides.toml"),
      '[oci]\nregistry = "r.example:5000"\ntimeout = "soon"\n',
    );
    const run = await runCli(["env"], { home, cwd: join(home, "project") });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /local-overrides\.toml:3/);
    assert.match(run.stderr, /oci\.timeout/);
    assert.doesNotMatch(run.stderr, STACK_LINE);
  });
});

Deno.test("env --format json shows each value with its origin", async () => {
  await withHome(async (home) => {
    const run = await runCli(["--registry", "flag.example:443", "env", "--format", "json"], {
      home,
      env: { PROVISIONING_OCI_NAMESPACE: "team-exts" },
    });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    const byKey = new Map(
      report.settings.map((e: { key: string }) => [e.key, e] as const),
    ) as Map<string, { value: unknown; origin: string }>;
    assert.deepEqual(byKey.get("oci.registry"), {
      key: "oci.registry",
      value: "flag.example:443",
      origin: "flag (--registry)",
    });
    assert.equal(byKey.get("oci.namespace")?.origin, "env (PROVISIONING_OCI_NAMESPACE)");
    assert.equal(byKey.get("oci.timeout")?.origin, "default");
  });
});

Deno.test("a read Deno refuses is one line (exit 2); --debug adds the stack; colour stays off", async () => {
  await withHome(async (home) => {
    // An extension root Deno may not read: refused inside the scoped worker, reported as
    // Deno's refusal, not as an unexpected failure.
    const root = await Deno.makeTempDir({ prefix: "cli-locked-" });
    const env = { PROVISIONING_EXTENSIONS_PATH: root };
    const permissions = ["--allow-env", "--allow-read", `--deny-read=${root}`];
    const plain = await runCli(["ext", "list", "--source", "local"], { home, env, permissions });
    assert.equal(plain.code, 2, plain.stderr);
    assert.doesNotMatch(plain.stderr, STACK_LINE);
    assert.match(plain.stderr, /^error: Deno refused read access to "[^"]*cli-locked-[^"]*": /m);
    assert.match(plain.stderr, /provisioning ext permissions/);
    assert.ok(!plain.stderr.includes("\x1b["), "no ANSI escapes");
    const debug = await runCli(["--debug", "ext", "list", "--source", "local"], {
      home,
      env,
      permissions,
    });
    assert.equal(debug.code, 2);
    assert.match(debug.stderr, STACK_LINE);
    await Deno.remove(root);
  });
});

Deno.test("text from a manifest is printed escaped: no terminal control, no fake lines", async (t) => {
  await withHome(async (home) => {
    const root = join(home, "exts");
    await Deno.mkdir(join(root, "evil"), { recursive: true });
    // A description that would clear the screen and print a fake error line.
    await Deno.writeTextFile(
      join(root, "evil", "extension.yaml"),
      'extension:\n  name: evil\n  version: "1.0.0"\n  type: provider\n' +
        '  description: "ok\\e[2J\\nerror: fake \\u202Eline"\n',
    );
    await Deno.mkdir(join(root, "bad"), { recursive: true });
    await Deno.writeTextFile(
      join(root, "bad", "extension.yaml"),
      'extension:\n  name: "bad\\e[31m"\n  version: "1.0.0"\n  type: provider\n',
    );
    const env = { PROVISIONING_EXTENSIONS_PATH: root };
    for (const args of [["ext", "list", "--source", "local"], ["ext", "info", "evil"]]) {
      await t.step(args.join(" "), async () => {
        const run = await runCli(args, { home, env });
        assert.equal(run.code, 0, run.stderr);
        assert.ok(!run.stdout.includes("\x1b") && !run.stdout.includes("\u202e"), run.stdout);
        assert.ok(run.stdout.includes("ok\\x1b[2J\\nerror: fake \\u202eline"), run.stdout);
        assert.doesNotMatch(run.stdout, /^error: fake/m);
      });
    }
    await t.step("an error quoting the manifest", async () => {
      const run = await runCli(["ext", "load", "bad", "--source", "local"], { home, env });
      assert.notEqual(run.code, 0);
      assert.ok(!run.stderr.includes("\x1b"), run.stderr);
    });
  });
});

Deno.test("ext publish --dry-run leaves secret-looking files out and says so", async () => {
  await withHome(async (home) => {
    const dir = join(home, "ext");
    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(dir, "extension.yaml"), manifestOf("sec", "provider", "1.0.0"));
    await Deno.writeTextFile(join(dir, ".env"), "AWS_SECRET_ACCESS_KEY=x\n");
    await Deno.writeTextFile(join(dir, ".npmrc"), "//registry.npmjs.org/:_authToken=x\n");
    const run = await runCli(["ext", "publish", dir, "--dry-run"], { home });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^notice: Left out files that look like secrets: \.env, \.npmrc /m);
    assert.doesNotMatch(run.stdout, /\.env|\.npmrc/);
  });
});
