import assert from "node:assert/strict";
import { join } from "node:path";
import { BROAD_LAUNCH_FLAGS } from "../../src/permissions/launch_flags.ts";
import { PLAN_ENV_VARS } from "../../src/permissions/plan.ts";
import { writeProbeExtension, writeWasmExtension } from "../hooks/_fixture.ts";
import { runCli, runOnTerminal, withTempHome } from "./run_cli.ts";

/** Runs `ext run web probe` with `input` (written to a file) through the real CLI. */
async function probe(
  home: string,
  input: Record<string, unknown>,
  extra: {
    args?: string[];
    env?: Record<string, string>;
    permissions?: string[];
    signal?: AbortSignal;
  } = {},
) {
  await Deno.writeTextFile(join(home, "input.json"), JSON.stringify(input));
  return await runCli(
    ["ext", "run", "web", "probe", "--input", "input.json", ...(extra.args ?? ["--approve"])],
    {
      home,
      env: { PROVISIONING_EXTENSIONS_PATH: join(home, "exts"), ...extra.env },
      ...(extra.permissions === undefined ? {} : { permissions: extra.permissions }),
      ...(extra.signal === undefined ? {} : { signal: extra.signal }),
    },
  );
}

/** A plain HTTP server on 127.0.0.1 answering 204, for the net checks. */
function startServer(): { port: number; close: () => Promise<void> } {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response('{"pong":true}', { status: 200 }),
  );
  return { port: server.addr.port, close: () => server.shutdown() };
}

Deno.test("ext run: a TypeScript hook renders its template and prints JSON on stdout", async () => {
  await withTempHome("hooks-cli-", async (home) => {
    await writeProbeExtension(join(home, "exts"));
    const run = await probe(home, { action: "render", name: "ada" });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { text: "Hello ada!" });
  });
});

Deno.test("ext run: the hook's console and stdout go to stderr, escaped", async () => {
  await withTempHome("hooks-cli-", async (home) => {
    await writeProbeExtension(join(home, "exts"));
    const run = await probe(home, { action: "log" });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { logged: true });
    assert.equal(run.stderr, "logged { n: 1 }\n\\x1b[2Jwritten\n");
  });
});

Deno.test("ext run: Deno itself refuses what the hook did not declare", async (t) => {
  await withTempHome("hooks-cli-", async (home) => {
    const server = startServer();
    try {
      await writeProbeExtension(join(home, "exts"));
      const other = await writeProbeExtension(join(home, "exts"), { name: "other" });
      await Deno.writeTextFile(join(other, "templates", "secret.txt"), "not yours");
      await Deno.writeTextFile(join(other, "hooks", "lib.js"), "export const x = 1;");
      const cases: ReadonlyArray<readonly [string, Record<string, unknown>, string, RegExp]> = [
        ["/etc/passwd", { action: "passwd" }, "NotCapable", /read access to "\/etc\/passwd"/],
        [
          "a file of another extension",
          { action: "other", path: join(other, "templates", "secret.txt") },
          "NotCapable",
          /read access/,
        ],
        [
          "an undeclared host",
          { action: "net", url: `http://127.0.0.1:${server.port}/` },
          "NotCapable",
          /net access to "127\.0\.0\.1:\d+"/,
        ],
        [
          "a process (git, which the tool may run)",
          { action: "spawn" },
          "NotCapable",
          /run access/,
        ],
        [
          "a write outside the scratch folder",
          { action: "write-outside" },
          "NotCapable",
          /write access/,
        ],
        [
          "a remote import",
          { action: "import", url: `http://127.0.0.1:${server.port}/x.js` },
          "TypeError",
          /import access/,
        ],
        [
          "an import from another extension",
          { action: "import", url: `file://${join(other, "hooks", "lib.js")}` },
          "TypeError",
          /read access/,
        ],
      ];
      // One hook call makes every attempt (each one a CLI run would take seconds in all).
      const run = await probe(home, {
        action: "each",
        tries: Object.fromEntries(cases.map(([name, input]) => [name, input])),
      });
      assert.equal(run.code, 0, run.stderr);
      const answers = JSON.parse(run.stdout);
      for (const [name, , refused, message] of cases) {
        await t.step(name, () => {
          assert.equal(answers[name].refused, refused, JSON.stringify(answers[name]));
          assert.match(answers[name].message, message);
        });
      }
      // HOME is one the tool itself reads: held by the launch, still not the hook's.
      await t.step("an undeclared variable (launched with -A)", async () => {
        const flags = ["--no-prompt", "--allow-all", "--unstable-worker-options"];
        const run = await probe(home, { action: "env", name: "HOME" }, { permissions: flags });
        assert.equal(run.code, 0, run.stderr);
        const out = JSON.parse(run.stdout);
        assert.equal(out.refused, "NotCapable", run.stdout);
        assert.match(out.message, /env access to "HOME"/);
      });
      await t.step("an undeclared variable (the documented launch: reads as unset)", async () => {
        // --ignore-env at launch makes Deno answer unset instead of throwing, in the hook too.
        const run = await probe(home, { action: "env", name: "HOME" });
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.stdout), { ok: null });
      });
      await t.step("the write went nowhere", async () => {
        await assert.rejects(
          Deno.stat(join(home, "exts", "web", "written.txt")),
          Deno.errors.NotFound,
        );
      });
    } finally {
      await server.close();
    }
  });
});

Deno.test("ext run: declared hosts and variables are granted, and nothing else", async () => {
  await withTempHome("hooks-cli-", async (home) => {
    const server = startServer();
    try {
      await writeProbeExtension(join(home, "exts"), {
        permissions: `{net: ["127.0.0.1:${server.port}"], env: ["WEB_GREETING"], timeout: 5}`,
      });
      const net = await probe(home, { action: "net", url: `http://127.0.0.1:${server.port}/` });
      assert.equal(net.code, 0, net.stderr);
      assert.deepEqual(JSON.parse(net.stdout), { ok: 200 });
      // A hook's variable must be one the launch may read: the documented launch allows the
      // tool's own variables only, so this run adds WEB_GREETING to its --allow-env.
      const flags = BROAD_LAUNCH_FLAGS.map((flag) =>
        flag.startsWith("--allow-env=")
          ? `--allow-env=${[...PLAN_ENV_VARS, "WEB_GREETING"].join(",")}`
          : flag
      );
      const env = await probe(home, { action: "env", name: "WEB_GREETING" }, {
        env: { WEB_GREETING: "hi" },
        permissions: flags,
      });
      assert.equal(env.code, 0, env.stderr);
      assert.deepEqual(JSON.parse(env.stdout), { ok: "hi" });
    } finally {
      await server.close();
    }
  });
});

Deno.test("ext run: the hook writes only its scratch folder, removed afterwards", async () => {
  await withTempHome("hooks-cli-", async (home) => {
    await writeProbeExtension(join(home, "exts"));
    const run = await probe(home, { action: "write-scratch" });
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.read, "x");
    assert.match(out.wrote, /\/tmp\/scratch\.[0-9a-f]+\.hook\/out\.txt$/);
    await assert.rejects(Deno.stat(out.wrote), Deno.errors.NotFound);
  });
});

Deno.test("ext run: a hook that fails is exit 6 with its message", async (t) => {
  await withTempHome("hooks-cli-", async (home) => {
    await writeProbeExtension(join(home, "exts"));
    const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
      ["throws", "throw", /Error: the hook gave up/],
      ["returns non-JSON", "undefined", /returned undefined, not JSON/],
      ["loops forever (stopped by its 1 s timeout)", "loop", /did not finish within 1 s/],
      ["posts 'started' to restart its clock", "restart-clock", /did not finish within 1 s/],
    ];
    for (const [name, action, message] of cases) {
      await t.step(name, async () => {
        const started = Date.now();
        // A hook that outlives its timeout must fail the test, not hang it.
        const run = await probe(home, { action }, { signal: AbortSignal.timeout(30_000) });
        assert.equal(run.code, 6, run.stderr);
        assert.equal(run.stdout, "");
        assert.match(run.stderr, /^error: Hook "probe" of "web" failed: /);
        assert.match(run.stderr, message);
        assert.doesNotMatch(run.stderr, /\n\s+at /); // no stack trace
        if (action !== "throw") assert.ok(Date.now() - started < 15_000);
      });
    }
  });
});

Deno.test("ext run: consent — refused without a terminal, asked on one, approved in config", async (t) => {
  await withTempHome("hooks-cli-", async (home) => {
    await writeProbeExtension(join(home, "exts"));
    const env = { PROVISIONING_EXTENSIONS_PATH: join(home, "exts") };
    await Deno.writeTextFile(join(home, "input.json"), '{"action":"render","name":"bo"}');
    const args = ["ext", "run", "web", "probe", "--input", "input.json"];

    await t.step("never approved, no terminal: exit 5", async () => {
      const run = await runCli(args, { home, env });
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stderr, /asks for read: templates, which was never approved/);
      assert.match(run.stderr, /ext approve web/);
    });
    await t.step("on a terminal, answered y: runs", async () => {
      const run = await runOnTerminal(args, { home, env }, "[y/N]", "y\r");
      assert.ok(run !== undefined, "util-linux script is needed for the terminal test");
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /asks for: read: templates/);
      assert.match(run.output, /"text": "Hello bo!"/);
    });
    await t.step("on a terminal, answered n: exit 5", async () => {
      const run = await runOnTerminal(args, { home, env }, "[y/N]", "n\r");
      assert.equal(run?.code, 5, run?.output);
    });
    await t.step("ext approve records it; then it runs anywhere", async () => {
      const approve = await runCli(["ext", "approve", "web"], { home, env });
      assert.equal(approve.code, 0, approve.stderr);
      const config = await Deno.readTextFile(join(home, ".provisioning", "config.toml"));
      assert.match(
        config,
        /\[hooks\.approved\]\n"web" = \{ net = \[\], read = \["templates"\], env = \[\] \}/,
      );
      const run = await runCli(args, { home, env });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout), { text: "Hello bo!" });
    });
    await t.step("a new version asking for more needs approval again", async () => {
      await Deno.remove(join(home, "exts", "web"), { recursive: true });
      await writeProbeExtension(join(home, "exts"), {
        version: "1.1.0",
        permissions: '{read: ["templates/"], env: ["WEB_GREETING"]}',
      });
      const run = await runCli(args, { home, env });
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stderr, /"web" 1\.1\.0 asks for env: WEB_GREETING/);
    });
    await t.step("[hooks] enabled = false turns hooks off", async () => {
      const file = join(home, ".provisioning", "config.toml");
      await Deno.writeTextFile(
        file,
        "[hooks]\nenabled = false\n\n" + await Deno.readTextFile(file),
      );
      const run = await runCli([...args, "--approve"], { home, env });
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stderr, /hooks are turned off/i);
    });
  });
});

Deno.test("ext info shows the hooks and the permissions they ask for", async () => {
  await withTempHome("hooks-cli-", async (home) => {
    await writeProbeExtension(join(home, "exts"));
    const env = { PROVISIONING_EXTENSIONS_PATH: join(home, "exts") };
    const json = await runCli(["ext", "info", "web", "-o", "json"], { home, env });
    assert.equal(json.code, 0, json.stderr);
    const info = JSON.parse(json.stdout);
    assert.deepEqual(info.hooks, { probe: "hooks/probe.ts" });
    assert.deepEqual(info.permissions, {
      net: [],
      read: ["templates"],
      env: [],
      timeout: 1,
      memory: 64,
    });
    const table = await runCli(["ext", "info", "web"], { home, env });
    assert.match(table.stdout, /Permissions\s+net: -; read: templates; env: -; timeout 1 s/);
    const load = await runCli(["ext", "load", "web", "-o", "json"], { home, env });
    assert.equal(load.code, 0, load.stderr);
    assert.equal(JSON.parse(load.stdout).name, "web");
    assert.match(
      load.stderr,
      /^note: web 1\.0\.0 has hooks \(probe\) asking for read: templates; approve them with/,
    );
  });
});

Deno.test("ext install notes the permissions of the hooks it installed", async () => {
  await withTempHome("hooks-cli-", async (home) => {
    await writeProbeExtension(join(home, "exts"));
    await Deno.writeTextFile(join(home, "extensions.toml"), '[extensions]\nweb = "*"\n');
    const env = { PROVISIONING_EXTENSIONS_PATH: join(home, "exts") };
    const run = await runCli(["ext", "install"], { home, env });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^note: web 1\.0\.0 has hooks \(probe\) asking for read: templates;/m);
  });
});

Deno.test("ext run: WebAssembly hooks (Extism ABI, built from WAT) with hosts, memory, time", async (t) => {
  await withTempHome("hooks-cli-", async (home) => {
    const server = startServer();
    try {
      await writeWasmExtension(
        join(home, "exts"),
        `{net: ["127.0.0.1:${server.port}"], memory: 1, timeout: 5}`,
      );
      const env = { PROVISIONING_EXTENSIONS_PATH: join(home, "exts") };
      const run = async (hook: string, input: unknown) => {
        await Deno.writeTextFile(join(home, "in.json"), JSON.stringify(input));
        return await runCli(["ext", "run", "wasmy", hook, "--input", "in.json", "--approve"], {
          home,
          env,
        });
      };
      await t.step("transforms JSON", async () => {
        const out = await run("wrap", { name: "ada", n: [1, 2] });
        assert.equal(out.code, 0, out.stderr);
        assert.deepEqual(JSON.parse(out.stdout), { wrapped: { name: "ada", n: [1, 2] } });
      });
      await t.step("reaches a declared host", async () => {
        const out = await run("fetch", { url: `http://127.0.0.1:${server.port}/` });
        assert.equal(out.code, 0, out.stderr);
        assert.deepEqual(JSON.parse(out.stdout), { pong: true });
      });
      await t.step("is refused an undeclared host", async () => {
        const out = await run("fetch", { url: "http://localhost:9/" });
        assert.equal(out.code, 6, out.stderr);
        assert.match(out.stderr, /HTTP request to "http:\/\/localhost:9\/" is not allowed/);
      });
      await t.step("is stopped when it asks for more memory than declared", async () => {
        const out = await run("hog", {});
        assert.equal(out.code, 6, out.stderr);
        assert.match(out.stderr, /memory limit exceeded: \d+ pages requested, 16 allowed/);
      });
      await t.step("cannot grow its own memory past the declared memory", async () => {
        const out = await run("grow", {});
        assert.equal(out.code, 0, out.stderr);
        assert.equal(JSON.parse(out.stdout), false);
      });
    } finally {
      await server.close();
    }
  });
});

Deno.test("ext run in place with the flags ext permissions prints (input on stdin)", async () => {
  await withTempHome("hooks-cli-", async (home) => {
    await writeProbeExtension(join(home, "exts"), {
      permissions: '{read: ["templates/"], env: ["WEB_GREETING"]}',
    });
    const env = { PROVISIONING_EXTENSIONS_PATH: join(home, "exts") };
    assert.equal((await runCli(["ext", "approve", "web"], { home, env })).code, 0);
    const printed = await runCli(["ext", "permissions", "run", "web", "probe", "-o", "json"], {
      home,
      env,
    });
    assert.equal(printed.code, 0, printed.stderr);
    assert.ok(JSON.parse(printed.stdout).permissions.env.includes("WEB_GREETING"));
    const run = await runCli(["ext", "run", "web", "probe", "--input", "-"], {
      home,
      env,
      launch: "scoped",
      stdin: '{"action":"render","name":"in place"}',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { text: "Hello in place!" });
  });
});
