/**
 * `runHook` as a library call: module resolution and its refusals, the approval check,
 * WebAssembly time limits, and the `[hooks]` section of the config.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load_config.ts";
import { isProvisioningError } from "../../src/errors.ts";
import { approveInConfig, parseHooksConfig } from "../../src/hooks/hooks_config.ts";
import { runHook } from "../../src/hooks/run_hook.ts";
import { compileWat, WASI_WAT, writeProbeExtension, writeWasmExtension } from "./_fixture.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "run-hook-" }));
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("runHook() refuses hooks it cannot run safely", async (t) => {
  await withDir(async (dir) => {
    const root = await writeProbeExtension(dir);
    await t.step("an unknown hook is NOT_FOUND, naming the known ones", async () => {
      await assert.rejects(
        runHook({ name: "web", path: root }, "nope", {}),
        (e) => isProvisioningError(e, "NOT_FOUND") && /Its hooks: probe/.test(e.hint ?? ""),
      );
    });
    await t.step("a read path that is a link out of the extension", async () => {
      await Deno.remove(join(root, "templates"), { recursive: true });
      await Deno.symlink("/etc", join(root, "templates"));
      await assert.rejects(
        runHook({ name: "web", path: root }, "probe", { action: "render" }),
        (e) => isProvisioningError(e, "UNSAFE_ARCHIVE") && /through a link/.test(e.message),
      );
    });
    await t.step("a link out of the extension inside a folder the hook may read", async () => {
      await Deno.remove(join(root, "templates"));
      await Deno.mkdir(join(root, "templates"));
      await Deno.symlink("/etc/passwd", join(root, "templates", "page.txt"));
      await assert.rejects(
        runHook({ name: "web", path: root }, "probe", { action: "render" }),
        (e) =>
          isProvisioningError(e, "UNSAFE_ARCHIVE") &&
          /"templates\/page\.txt" of "web" is a link out of the extension/.test(e.message),
      );
      await Deno.remove(join(root, "templates", "page.txt"));
    });
    await t.step("a module without a default export is exit 6", async () => {
      await Deno.writeTextFile(join(root, "hooks", "probe.ts"), "export const x = 1;");
      await assert.rejects(
        runHook({ name: "web", path: root }, "probe", {}),
        (e) => isProvisioningError(e, "HOOK_FAILED") && /no default export/.test(e.message),
      );
    });
  });
});

Deno.test("runHook() refuses a hook module's static import of a remote module", async () => {
  await withDir(async (dir) => {
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () =>
        new Response("export default () => 'remote';", {
          headers: { "content-type": "application/javascript" },
        }),
    );
    try {
      await Deno.writeTextFile(
        join(dir, "h.js"),
        `import f from "http://127.0.0.1:${server.addr.port}/m.js";\nexport default () => f();\n`,
      );
      await Deno.writeTextFile(
        join(dir, "extension.yaml"),
        "extension: {name: demo, version: 1.0.0, type: taskserv}\nhooks: {h: h.js}\n" +
          `permissions: {net: ["127.0.0.1:${server.addr.port}"]}\n`,
      );
      // Even with the host declared for net: importing code is another permission.
      const error = await runHook({ name: "demo", path: dir }, "h", {}).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isProvisioningError(error, "HOOK_FAILED"), String(error));
      assert.match(error.message, /TypeError: Requires import access to "127\.0\.0\.1:\d+"/);
      assert.match(error.message, / at file:\/\/\/.*h\.js:1:\d+$/);
      assert.ok(!error.message.includes("\n"), error.message);
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("runHook() with approved: refuses what was not approved, before running", async () => {
  await withDir(async (dir) => {
    const root = await writeProbeExtension(dir, {
      permissions: '{read: ["templates/"], net: ["a.example:443"]}',
    });
    await assert.rejects(
      runHook({ name: "web", path: root }, "probe", { action: "render", name: "x" }, {
        approved: { net: [], read: ["templates"], env: [] },
      }),
      (e) =>
        isProvisioningError(e, "HOOK_NOT_APPROVED") && e.exitCode === 5 &&
        /asks for net: a\.example:443/.test(e.message),
    );
    const out = await runHook(
      { name: "web", path: root },
      "probe",
      { action: "render", name: "x" },
      {
        approved: { net: ["a.example"], read: ["templates"], env: [] },
      },
    );
    assert.deepEqual(out, { text: "Hello x!" });
  });
});

Deno.test("runHook() stops a WebAssembly hook at its timeout", async () => {
  await withDir(async (dir) => {
    const root = await writeWasmExtension(dir, "{timeout: 1}");
    const started = Date.now();
    await assert.rejects(
      runHook({ name: "wasmy", path: root }, "spin", {}),
      (e) => isProvisioningError(e, "HOOK_FAILED") && /did not finish within 1 s/.test(e.message),
    );
    assert.ok(Date.now() - started < 10_000);
  });
});

Deno.test("runHook() caps a WebAssembly module's own memory at permissions.memory", async () => {
  await withDir(async (dir) => {
    // 100 more pages are 6.25 MiB: refused under 1 MiB, granted under 64 MiB.
    const small = await writeWasmExtension(dir, "{memory: 1}", "small");
    assert.equal(await runHook({ name: "small", path: small }, "grow", {}), false);
    const large = await writeWasmExtension(dir, "{memory: 64}", "large");
    assert.equal(await runHook({ name: "large", path: large }, "grow", {}), true);
  });
});

Deno.test("runHook() refuses a WebAssembly module whose memory starts above the cap", async () => {
  await withDir(async (dir) => {
    const root = await writeWasmExtension(dir, "{memory: 1}");
    await Deno.writeFile(
      join(root, "hooks", "plugin.wasm"),
      await compileWat(
        '(module (memory (export "memory") 32) (func (export "wrap") (result i32) (i32.const 0)))',
      ),
    );
    await assert.rejects(
      runHook({ name: "wasmy", path: root }, "wrap", {}),
      (e) =>
        isProvisioningError(e, "HOOK_FAILED") &&
        /memory starts with 32 pages, more than the 16 allowed/.test(e.message),
    );
  });
});

Deno.test("runHook() runs a WebAssembly hook that imports WASI", async () => {
  await withDir(async (dir) => {
    const root = await writeWasmExtension(dir, '{read: ["templates/"]}');
    await Deno.mkdir(join(root, "templates"));
    await Deno.writeTextFile(join(root, "templates", "t.txt"), "x");
    await Deno.writeFile(join(root, "hooks", "plugin.wasm"), await compileWat(WASI_WAT));
    const manifest = await Deno.readTextFile(join(root, "extension.yaml"));
    await Deno.writeTextFile(
      join(root, "extension.yaml"),
      manifest.replace("  wrap: hooks/plugin.wasm", "  entropy: hooks/plugin.wasm"),
    );
    assert.equal(await runHook({ name: "wasmy", path: root }, "entropy", {}), 0);
  });
});

Deno.test("[hooks] config: user file only, checked values, approvals edited in place", async (t) => {
  await withDir(async (dir) => {
    await t.step("a workspace file cannot hold [hooks]", async () => {
      await Deno.mkdir(join(dir, "workspace", "config"), { recursive: true });
      await Deno.writeTextFile(
        join(dir, "workspace", "config", "local-overrides.toml"),
        '[hooks.approved]\n"web" = { net = ["evil.example"] }\n',
      );
      await assert.rejects(
        loadConfig({ cwd: dir, home: dir, env: {} }),
        (e) =>
          isProvisioningError(e, "INVALID_CONFIG") && /unknown section "hooks"/.test(e.message),
      );
      await Deno.remove(join(dir, "workspace"), { recursive: true });
    });
    await t.step("the user file may, and the rest of it still loads", async () => {
      await Deno.mkdir(join(dir, ".provisioning"));
      await Deno.writeTextFile(
        join(dir, ".provisioning", "config.toml"),
        '[oci]\nregistry = "r.example:5000"\n\n[hooks]\nenabled = false\n',
      );
      const config = await loadConfig({ cwd: dir, home: dir, env: {} });
      assert.equal(config.settings.oci.registry, "r.example:5000");
    });
    const cases: ReadonlyArray<readonly [string, string, RegExp]> = [
      [
        "enabled not a boolean",
        "[hooks]\nenabled = 1\n",
        /c\.toml:2: hooks\.enabled: expected true/,
      ],
      ["an unknown key", "[hooks]\nallow = true\n", /hooks\.allow: unknown key/],
      [
        "an unknown grant",
        '[hooks.approved]\n"a" = { run = ["sh"] }\n',
        /approved\.a\.run: unknown kind/,
      ],
      [
        "a grant not a list",
        '[hooks.approved]\n"a" = { net = "x" }\n',
        /expected a list of strings/,
      ],
    ];
    for (const [name, text, message] of cases) {
      await t.step(name, () => {
        assert.throws(
          () => parseHooksConfig(text, "/c.toml"),
          (e) => isProvisioningError(e, "INVALID_CONFIG") && message.test(e.message),
        );
      });
    }
    await t.step(
      "approving twice replaces the line, keeps comments and other sections",
      async () => {
        const file = join(dir, "approve.toml");
        await Deno.writeTextFile(
          file,
          '# mine\n[hooks.approved]\n"other" = { net = ["o.example"] }\n\n[cache]\nmax_size = 10\n',
        );
        await approveInConfig(file, "web", { net: ["a.example"], read: [], env: [] });
        await approveInConfig(file, "web", { net: [], read: ["templates"], env: ["X"] });
        const text = await Deno.readTextFile(file);
        assert.equal(
          text,
          '# mine\n[hooks.approved]\n"web" = { net = [], read = ["templates"], env = ["X"] }\n' +
            '"other" = { net = ["o.example"] }\n\n[cache]\nmax_size = 10\n',
        );
      },
    );
    await t.step("a [hooks] it cannot edit is refused, the file kept", async () => {
      const file = join(dir, "inline.toml");
      const text = '[hooks]\napproved = { "web" = { net = [] } }\n';
      await Deno.writeTextFile(file, text);
      await assert.rejects(
        approveInConfig(file, "web", { net: ["a.example"], read: [], env: [] }),
        (e) => isProvisioningError(e, "INVALID_CONFIG"),
      );
      assert.equal(await Deno.readTextFile(file), text);
    });
  });
});
