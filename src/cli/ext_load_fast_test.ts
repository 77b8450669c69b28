import assert from "node:assert/strict";
import { join } from "node:path";
import { saveOciToCache } from "../cache/mod.ts";
import { CONFIG_ENV_VARS } from "../config/mod.ts";
import { DEFAULT_NAMESPACE, DEFAULT_REGISTRY } from "../config/defaults.ts";
import { clearLoadMemo } from "../loader/mod.ts";
import { packageExtension } from "../publish/mod.ts";
import { runLoad } from "./ext_load.ts";
import { FAST_PATH_BLOCKING_VARS, FAST_PATH_ORIGIN, tryFastLoad } from "./ext_load_fast.ts";
import type { CliContext } from "./io.ts";

interface Fixture {
  home: string;
  cache: string;
  local: string;
  ctx(env?: Record<string, string>): CliContext & { stdout(): string };
}

async function withFixture(fn: (f: Fixture) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "fast-load-" });
  const cache = join(home, ".provisioning", "cache");
  const local = join(home, "local");
  await Deno.mkdir(local, { recursive: true });
  const src = join(home, "src");
  await Deno.mkdir(src);
  await Deno.writeTextFile(
    join(src, "extension.yaml"),
    'extension:\n  name: fastext\n  version: "1.2.3"\n  type: cluster\n',
  );
  const pkg = await packageExtension(src);
  await saveOciToCache(cache, { type: "cluster", name: "fastext", version: "1.2.3" }, {
    layer: pkg.layer,
    digest: pkg.manifest.digest,
    registry: "localhost:5000",
    repository: "provisioning-extensions/fastext",
  });
  await pkg.cleanup();
  const ctx = (env: Record<string, string> = {}) => {
    let out = "";
    const vars: Record<string, string> = { PROVISIONING_EXTENSIONS_PATH: local, ...env };
    return {
      out: (text: string) => void (out += text),
      err: () => {},
      stderrIsTerminal: false,
      color: false,
      cwd: home,
      home,
      getEnv: (name: string) => vars[name],
      stdout: () => out,
    };
  };
  try {
    clearLoadMemo();
    await fn({ home, cache, local, ctx });
  } finally {
    clearLoadMemo();
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("FAST_PATH_BLOCKING_VARS is every config variable that can change a cache answer", () => {
  // Credential files never change which cache entry answers an exact version.
  const mirrored = [
    "PROVISIONING_CACHE_DIR",
    "PROVISIONING_EXTENSIONS_PATH",
    "DOCKER_CONFIG",
    "XDG_RUNTIME_DIR",
    "REGISTRY_AUTH_FILE",
  ];
  assert.deepEqual(
    [...FAST_PATH_BLOCKING_VARS].sort(),
    CONFIG_ENV_VARS.filter((name) => !mirrored.includes(name)).sort(),
  );
});

Deno.test("FAST_PATH_ORIGIN is the default registry and namespace", () => {
  assert.deepEqual(FAST_PATH_ORIGIN, { registry: DEFAULT_REGISTRY, namespace: DEFAULT_NAMESPACE });
});

Deno.test("tryFastLoad() prints exactly what the full ext load prints", async (t) => {
  await withFixture(async (f) => {
    for (const format of ["json", "table"] as const) {
      for (
        const extra of [[], ["--type", "cluster"], ["--source", "oci"], ["-t", "cluster"], [
          "-s",
          "oci",
        ]]
      ) {
        await t.step(`--format ${format} ${extra.join(" ")}`, async () => {
          const fast = f.ctx();
          const argv = [
            "ext",
            "load",
            "fastext",
            "--version",
            "1.2.3",
            ...extra,
            "--format",
            format,
          ];
          assert.equal(await tryFastLoad(argv, fast), 0);
          const full = f.ctx();
          clearLoadMemo();
          await runLoad(full, {}, "fastext", {
            version: "1.2.3",
            format,
            ...(extra[0] === "--type" || extra[0] === "-t" ? { type: "cluster" as const } : {}),
            ...(extra[0] === "--source" || extra[0] === "-s" ? { source: "oci" as const } : {}),
          });
          assert.equal(fast.stdout(), full.stdout());
        });
      }
    }
    await t.step("--cache-dir and PROVISIONING_CACHE_DIR name the same root", async () => {
      const moved = join(f.home, "moved");
      await Deno.rename(f.cache, moved);
      const byFlag = f.ctx();
      assert.equal(
        await tryFastLoad(
          ["--cache-dir", "./moved/", "ext", "load", "fastext", "--version=1.2.3"],
          byFlag,
        ),
        0,
      );
      assert.match(
        byFlag.stdout(),
        new RegExp(`from oci: ${moved}/extensions/cluster/fastext/1\\.2\\.3\n$`),
      );
      const byEnv = f.ctx({ PROVISIONING_CACHE_DIR: "~/moved" });
      assert.equal(await tryFastLoad(["ext", "load", "fastext", "--version", "1.2.3"], byEnv), 0);
      assert.equal(byEnv.stdout(), byFlag.stdout());
      await Deno.rename(moved, f.cache);
    });
  });
});

Deno.test("tryFastLoad() steps aside whenever the full path might answer differently", async (t) => {
  await withFixture(async (f) => {
    const load = ["ext", "load", "fastext", "--version", "1.2.3"];
    const cases: [label: string, argv: string[], env?: Record<string, string>][] = [
      ["another command", ["ext", "list"]],
      ["a range", ["ext", "load", "fastext", "--version", "^1.2.0"]],
      ["no version", ["ext", "load", "fastext"]],
      ["a pre-release", ["ext", "load", "fastext", "--version", "1.2.3-rc.1"]],
      ["yaml output", [...load, "--format", "yaml"]],
      ["--debug", ["--debug", ...load]],
      ["--offline", [...load, "--offline"]],
      ["--force", [...load, "--force"]],
      ["--source local", [...load, "--source", "local"]],
      ["another type", [...load, "--type", "provider"]],
      ["an unknown type", [...load, "--type", "plugin"]],
      ["a repeated flag", [...load, "--version", "1.2.3"]],
      ["a load flag before ext", ["--version", "1.2.3", "ext", "load", "fastext"]],
      ["--registry", ["--registry", "r.example", ...load]],
      ["a cache miss", ["ext", "load", "fastext", "--version", "9.9.9"]],
      ["PROVISIONING_SOURCE_TYPE", load, { PROVISIONING_SOURCE_TYPE: "oci" }],
      ["PROVISIONING_OCI_REGISTRY", load, { PROVISIONING_OCI_REGISTRY: "r.example" }],
    ];
    for (const [label, argv, env] of cases) {
      await t.step(label, async () => {
        const ctx = f.ctx(env);
        assert.equal(await tryFastLoad(argv, ctx), undefined);
        assert.equal(ctx.stdout(), "");
      });
    }
    await t.step("an entry of another registry, namespace or source", async () => {
      const pkg = await packageExtension(join(f.home, "src"));
      const key = { type: "cluster", name: "fastext", version: "1.2.3" } as const;
      const origins = [
        { registry: "r.example:5000", repository: "provisioning-extensions/fastext" },
        { registry: "localhost:5000", repository: "other/fastext" },
        { source: "oci-layout", repository: "provisioning-extensions/fastext" },
      ] as const;
      for (const origin of origins) {
        await saveOciToCache(f.cache, key, { layer: pkg.layer, ...origin }, { force: true });
        assert.equal(await tryFastLoad(load, f.ctx()), undefined);
      }
      await saveOciToCache(f.cache, key, {
        layer: pkg.layer,
        digest: pkg.manifest.digest,
        registry: "localhost:5000",
        repository: "provisioning-extensions/fastext",
      }, { force: true });
      await pkg.cleanup();
      assert.equal(await tryFastLoad(load, f.ctx()), 0);
    });
    await t.step("a local manifest that mentions the name", async () => {
      await Deno.mkdir(join(f.local, "a", "b"), { recursive: true });
      await Deno.writeTextFile(join(f.local, "a", "b", "extension.yaml"), "# fastext fork\n");
      assert.equal(await tryFastLoad(load, f.ctx()), undefined);
      await Deno.remove(join(f.local, "a"), { recursive: true });
      assert.equal(await tryFastLoad(load, f.ctx()), 0);
    });
    await t.step("a local folder named like the extension", async () => {
      await Deno.mkdir(join(f.local, "fastext"));
      await Deno.writeTextFile(join(f.local, "fastext", "extension.yaml"), "broken: [\n");
      assert.equal(await tryFastLoad(load, f.ctx()), undefined);
      await Deno.remove(join(f.local, "fastext"), { recursive: true });
    });
    await t.step("a user config file or a workspace above the current folder", async () => {
      await Deno.writeTextFile(join(f.home, ".provisioning", "config.toml"), "");
      assert.equal(await tryFastLoad(load, f.ctx()), undefined);
      await Deno.remove(join(f.home, ".provisioning", "config.toml"));
      await Deno.mkdir(join(f.home, "workspace", "config"), { recursive: true });
      await Deno.writeTextFile(join(f.home, "workspace", "config", "local-overrides.toml"), "");
      assert.equal(await tryFastLoad(load, f.ctx()), undefined);
      await Deno.remove(join(f.home, "workspace"), { recursive: true });
    });
  });
});
