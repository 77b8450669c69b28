import assert from "node:assert/strict";
import { join } from "node:path";
import { isProvisioningError } from "../errors.ts";
import { withTempTree } from "./_testing.ts";
import { defaultSettings } from "./defaults.ts";
import { CONFIG_ENV_VARS } from "./env_vars.ts";
import { loadConfig } from "./load_config.ts";
import { SETTING_KEYS } from "./schema.ts";
import type { ConfigFlags, ConfigOrigin } from "./types.ts";

const USER_FILE = "home/.provisioning/config.toml";
const WORKSPACE_FILE = "proj/workspace/config/local-overrides.toml";
const CWD = "proj/src";

type Layer = "user" | "workspace" | "env" | "flag";
const LAYERS: readonly Layer[] = ["user", "workspace", "env", "flag"];

interface KeyCase {
  key: string;
  /** TOML line for the files. */
  toml: { user: string; workspace: string };
  env: [string, string];
  flags: ConfigFlags;
  flag: string;
  /** Expected effective value per top layer; `root` is replaced by the temp directory. */
  want: Record<Layer | "default", unknown>;
}

const KEY_CASES: KeyCase[] = [
  {
    key: "oci.registry",
    toml: { user: '[oci]\nregistry = "user.lan:5000"', workspace: '[oci]\nregistry = "ws.lan"' },
    env: ["PROVISIONING_OCI_REGISTRY", "env.lan:5001"],
    flags: { registry: "flag.lan:5002" },
    flag: "--registry",
    want: {
      default: "localhost:5000",
      user: "user.lan:5000",
      workspace: "ws.lan",
      env: "env.lan:5001",
      flag: "flag.lan:5002",
    },
  },
  {
    key: "oci.namespace",
    toml: { user: '[oci]\nnamespace = "user"', workspace: '[oci]\nnamespace = "ws"' },
    env: ["PROVISIONING_OCI_NAMESPACE", "env"],
    flags: { namespace: "flag" },
    flag: "--namespace",
    want: {
      default: "provisioning-extensions",
      user: "user",
      workspace: "ws",
      env: "env",
      flag: "flag",
    },
  },
  {
    key: "oci.insecure",
    toml: { user: "[oci]\ninsecure = true", workspace: "[oci]\ninsecure = false" },
    env: ["PROVISIONING_OCI_INSECURE", "yes"],
    flags: { insecure: false },
    flag: "--insecure",
    want: { default: false, user: true, workspace: false, env: true, flag: false },
  },
  {
    key: "extensions.source_type",
    toml: {
      user: '[extensions]\nsource_type = "oci"',
      workspace: '[extensions]\nsource_type = "local"',
    },
    env: ["PROVISIONING_SOURCE_TYPE", "gitea"],
    flags: { source: "oci-layout" },
    flag: "--source",
    want: { default: "auto", user: "oci", workspace: "local", env: "gitea", flag: "oci-layout" },
  },
  {
    key: "cache.dir",
    toml: { user: '[cache]\ndir = "ucache"', workspace: '[cache]\ndir = "../wcache"' },
    env: ["PROVISIONING_CACHE_DIR", "ecache"],
    flags: { cacheDir: "/abs/fcache" },
    flag: "--cache-dir",
    want: {
      default: "root/home/.provisioning/cache",
      user: "root/home/.provisioning/ucache",
      workspace: "root/proj/workspace/wcache",
      env: "root/proj/src/ecache",
      flag: "/abs/fcache",
    },
  },
];

function expectedOrigin(layer: Layer | "default", c: KeyCase, root: string): ConfigOrigin {
  switch (layer) {
    case "default":
      return { kind: "default" };
    case "user":
      return { kind: "user", source: join(root, USER_FILE) };
    case "workspace":
      return { kind: "workspace", source: join(root, WORKSPACE_FILE) };
    case "env":
      return { kind: "env", source: c.env[0] };
    case "flag":
      return { kind: "flag", source: c.flag };
  }
}

function valueAt(settings: object, key: string): unknown {
  const [section = "", name = ""] = key.split(".");
  return (settings as Record<string, Record<string, unknown>>)[section]?.[name];
}

Deno.test("loadConfig() lets each layer override the one below and reports its origin", async (t) => {
  for (const c of KEY_CASES) {
    for (let active = 0; active <= LAYERS.length; active++) {
      const layers = LAYERS.slice(0, active);
      const top = layers.at(-1) ?? "default";
      const name = `${c.key}: ${top}${active > 1 ? ` overrides ${layers.at(-2)}` : ""}`;
      await t.step(name, async () => {
        const tree: Record<string, string> = { [`${CWD}/`]: "", "proj/workspace/": "" };
        if (layers.includes("user")) tree[USER_FILE] = `${c.toml.user}\n`;
        // An empty overrides file still marks the workspace, so discovery is the same.
        tree[WORKSPACE_FILE] = layers.includes("workspace") ? `${c.toml.workspace}\n` : "";
        await withTempTree(tree, async (root) => {
          const config = await loadConfig({
            cwd: join(root, CWD),
            home: join(root, "home"),
            env: layers.includes("env") ? { [c.env[0]]: c.env[1] } : {},
            flags: layers.includes("flag") ? c.flags : {},
          });
          const want = c.want[top];
          assert.deepEqual(
            valueAt(config.settings, c.key),
            typeof want === "string" ? want.replace(/^root/, root) : want,
          );
          assert.deepEqual(config.origins[c.key], expectedOrigin(top, c, root));
        });
      });
    }
  }
});

Deno.test("loadConfig() gives defaults, with origin default, when no file exists", async () => {
  await withTempTree({ "home/": "", "cwd/": "" }, async (root) => {
    const home = join(root, "home");
    const config = await loadConfig({ cwd: join(root, "cwd"), home, env: {} });
    assert.deepEqual(config.settings, defaultSettings(home));
    assert.equal(config.workspace, undefined);
    assert.deepEqual(config.files, [
      { kind: "user", path: join(home, ".provisioning/config.toml"), found: false },
    ]);
    for (const key of [...SETTING_KEYS, "gitea.token"]) {
      assert.deepEqual(config.origins[key], { kind: "default" }, key);
    }
    assert.equal(config.secrets.gitea_token, undefined);
  });
});

Deno.test("loadConfig() applies a workspace file and reports both files", async () => {
  const tree = {
    [USER_FILE]: '[extensions]\npaths = ["mine"]\n',
    [WORKSPACE_FILE]: '[extensions]\nlayout_paths = ["../layouts"]\n',
    [`${CWD}/`]: "",
  };
  await withTempTree(tree, async (root) => {
    const config = await loadConfig({ cwd: join(root, CWD), home: join(root, "home"), env: {} });
    assert.equal(config.workspace, join(root, "proj/workspace"));
    assert.deepEqual(config.files, [
      { kind: "user", path: join(root, USER_FILE), found: true },
      { kind: "workspace", path: join(root, WORKSPACE_FILE), found: true },
    ]);
    assert.deepEqual(config.settings.extensions.paths, [join(root, "home/.provisioning/mine")]);
    assert.deepEqual(config.settings.extensions.layout_paths, [
      join(root, "proj/workspace/layouts"),
    ]);
    assert.deepEqual(config.origins["extensions.paths"], {
      kind: "user",
      source: join(root, USER_FILE),
    });
  });
});

Deno.test("loadConfig() replaces arrays instead of merging them", async () => {
  const tree = {
    [USER_FILE]: '[extensions]\npaths = ["/a", "/b"]\n',
    [WORKSPACE_FILE]: "",
  };
  await withTempTree(tree, async (root) => {
    const config = await loadConfig({
      cwd: join(root, "proj"),
      home: join(root, "home"),
      env: { PROVISIONING_EXTENSIONS_PATH: "/c" },
    });
    assert.deepEqual(config.settings.extensions.paths, ["/c"]);
  });
});

Deno.test("loadConfig() reads the user config named by PROVISIONING_CONFIG", async () => {
  const tree = {
    "etc/provisioning.toml": "[oci]\ntimeout = 90\n",
    [USER_FILE]: "[oci]\ntimeout = 5\n",
  };
  await withTempTree(tree, async (root) => {
    const config = await loadConfig({
      cwd: join(root, "etc"),
      home: join(root, "home"),
      env: { PROVISIONING_CONFIG: "provisioning.toml" },
    });
    assert.equal(config.settings.oci.timeout, 90);
    assert.deepEqual(config.origins["oci.timeout"], {
      kind: "user",
      source: join(root, "etc/provisioning.toml"),
    });
  });
});

Deno.test("loadConfig() rejects a missing file named by PROVISIONING_CONFIG", async () => {
  await withTempTree({}, async (root) => {
    await assert.rejects(
      loadConfig({ cwd: root, home: root, env: { PROVISIONING_CONFIG: "/nope/config.toml" } }),
      (error) => {
        assert.ok(isProvisioningError(error, "INVALID_CONFIG"));
        assert.equal(
          error.message,
          'Config file "/nope/config.toml" named by PROVISIONING_CONFIG does not exist',
        );
        return true;
      },
    );
  });
});

Deno.test("loadConfig() names the bad file in every config error", async (t) => {
  const cases = [
    {
      name: "syntax error in the user config",
      tree: { [USER_FILE]: "[oci]\ntimeout = = 3\n" },
      message: `{root}/${USER_FILE}:2:11: invalid value`,
    },
    {
      name: "unknown key in the workspace file",
      tree: { [WORKSPACE_FILE]: '[extensions]\nsource = "oci"\n' },
      message: `{root}/${WORKSPACE_FILE}:2: unknown key "extensions.source"`,
    },
    {
      name: "wrong type in the workspace file",
      tree: { [WORKSPACE_FILE]: '[oci]\ntimeout = "abc"\n' },
      message: `{root}/${WORKSPACE_FILE}:2: oci.timeout must be a number, got string "abc"`,
    },
    {
      name: "bad environment variable",
      tree: {},
      env: { PROVISIONING_SOURCE_TYPE: "foo" },
      message: "Environment variable PROVISIONING_SOURCE_TYPE: extensions.source_type must be",
    },
  ];
  for (const { name, tree, message, env = {} } of cases) {
    await t.step(name, async () => {
      await withTempTree({ ...tree, [`${CWD}/`]: "" }, async (root) => {
        await assert.rejects(
          loadConfig({ cwd: join(root, CWD), home: join(root, "home"), env }),
          (error) => {
            assert.ok(isProvisioningError(error, "INVALID_CONFIG"), String(error));
            assert.equal(error.exitCode, 2);
            assert.ok(
              error.message.startsWith(message.replace("{root}", root)),
              `${error.message}\n  should start with\n${message}`,
            );
            return true;
          },
        );
      });
    });
  }
});

Deno.test("loadConfig() rejects a bad flag as a usage error", async () => {
  await withTempTree({}, async (root) => {
    await assert.rejects(
      loadConfig({ cwd: root, home: root, env: {}, flags: { source: "nope" } }),
      (error) => isProvisioningError(error, "USAGE"),
    );
  });
});

Deno.test("loadConfig() reads no environment variable outside CONFIG_ENV_VARS", async () => {
  await withTempTree({}, async (root) => {
    const read = new Set<string>();
    const values: Record<string, string> = Object.fromEntries(
      CONFIG_ENV_VARS.map((name) => [name, ""]),
    );
    const env = new Proxy(values, {
      get(target, name) {
        if (typeof name === "string") read.add(name);
        return Reflect.get(target, name);
      },
      has(target, name) {
        if (typeof name === "string") read.add(name);
        return Reflect.has(target, name);
      },
      ownKeys() {
        throw new Error("loadConfig must not enumerate the environment");
      },
    });
    await loadConfig({ cwd: root, home: root, env });
    assert.deepEqual([...read].sort(), [...CONFIG_ENV_VARS].sort());
  });
});

Deno.test("loadConfig() keeps the Gitea token out of every printed form", async () => {
  await withTempTree({}, async (root) => {
    const token = "tok-9f8e7d6c5b4a";
    const config = await loadConfig({
      cwd: root,
      home: root,
      env: { PROVISIONING_GITEA_TOKEN: token, PROVISIONING_GITEA_URL: "https://gitea.lan" },
    });
    assert.equal(config.secrets.gitea_token?.reveal(), token);
    assert.deepEqual(config.origins["gitea.token"], {
      kind: "env",
      source: "PROVISIONING_GITEA_TOKEN",
    });
    assert.ok(!JSON.stringify(config).includes(token));
    assert.ok(!Deno.inspect(config, { depth: 10 }).includes(token));
    assert.ok(!String(config.secrets.gitea_token).includes(token));
  });
});

Deno.test("loadConfig() refuses the file-system root and the home directory as cache.dir", async (t) => {
  const cases: [string, (home: string) => Parameters<typeof loadConfig>[0], string, RegExp][] = [
    [
      "the root in the user config",
      (home) => ({ cwd: home, home, env: {} }),
      '[cache]\ndir = "/"\n',
      /config\.toml.*cache\.dir must be a folder of the cache's own, not the file-system root/,
    ],
    [
      "~ in the user config",
      (home) => ({ cwd: home, home, env: {} }),
      '[cache]\ndir = "~"\n',
      /cache\.dir must be a folder of the cache's own, not the home directory, got "~"/,
    ],
    [
      "the root in PROVISIONING_CACHE_DIR",
      (home) => ({ cwd: home, home, env: { PROVISIONING_CACHE_DIR: "/" } }),
      "",
      /^Environment variable PROVISIONING_CACHE_DIR: cache\.dir must be .* not the file-system root, got "\/"$/,
    ],
    [
      "the home directory through --cache-dir",
      (home) => ({ cwd: join(home, ".."), home, env: {}, flags: { cacheDir: home } }),
      "",
      /^Flag --cache-dir: cache\.dir must be .* not the home directory/,
    ],
  ];
  for (const [label, options, toml, message] of cases) {
    await t.step(label, () =>
      withTempTree({ ".provisioning/config.toml": toml }, async (home) => {
        const error = await loadConfig(options(home)).then(() => undefined, (e) => e);
        assert.ok(isProvisioningError(error), String(error));
        assert.equal(error.exitCode, 2);
        assert.match(error.message, message);
        assert.match(error.hint ?? "", /new or empty folder/);
      }));
  }
  await t.step("a folder below the home directory is fine", () =>
    withTempTree({}, async (home) => {
      const config = await loadConfig({ cwd: home, home, env: { PROVISIONING_CACHE_DIR: "~/c" } });
      assert.equal(config.settings.cache.dir, join(home, "c"));
    }));
});
