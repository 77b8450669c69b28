/**
 * The permission set computed for several configurations and commands (pure: the
 * configuration is loaded from real files in a temp dir, then `computePermissions` reads
 * and contacts nothing), plus the flags, the command-line scan and `ext permissions`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { resolveCommandWords } from "../../src/cli/ext_permissions.ts";
import { loadConfig } from "../../src/config/load_config.ts";
import { bundledExamplesDir } from "../../src/sources/local.ts";
import {
  commandNeeds,
  computePermissions,
  examplesDirForPermissions,
  type PermissionExtras,
  permissionFlags,
  type PermissionSet,
  planPermissions,
  redirectNetHost,
  scanArgv,
} from "../../src/permissions/mod.ts";

interface Case {
  name: string;
  command: string[];
  /** `config.toml` in `~/.provisioning` (`HOME` is `$H`). */
  userConfig?: string;
  /** `workspace/config/local-overrides.toml` under the current directory. */
  workspaceConfig?: string;
  env?: Record<string, string>;
  flags?: { cacheDir?: string; registry?: string; source?: string };
  extras?: PermissionExtras;
  /** Expected lists; `$H` is the home directory, `$W` the current directory. */
  expect: Partial<Record<"read" | "write" | "net" | "run", string[]>>;
  /** Entries that must be in `read` (for cases that only check a part). */
  readIncludes?: string[];
}

const CONFIG_READS = [
  "$H/.provisioning/config.toml",
  "$W/workspace/config/local-overrides.toml",
];

const CASES: Case[] = [
  {
    name:
      "defaults: ext load reads config, examples, cache and credentials; writes the cache; reaches localhost:5000",
    command: ["ext", "load"],
    expect: {
      write: ["$H/.provisioning/cache"],
      net: ["localhost:5000"],
      run: [],
    },
    readIncludes: [
      ...CONFIG_READS,
      "$H/.provisioning/cache",
      "$H/.provisioning/credentials.json",
      "$H/.docker/config.json",
      "/examples",
    ],
  },
  {
    name: "env reads only config files and reaches nothing",
    command: ["env"],
    expect: { write: [], net: [], run: [] },
    readIncludes: CONFIG_READS,
  },
  {
    name: "a remote registry gets HTTPS's port; ca_file and the token file become readable",
    command: ["ext", "pull"],
    userConfig:
      `[oci]\nregistry = "registry.example.com"\nca_file = "ca.pem"\nauth_token_path = "token"\n[extensions]\nsource_type = "oci"\n`,
    expect: { net: ["registry.example.com:443"], write: ["$H/.provisioning/cache"] },
    readIncludes: ["$H/.provisioning/ca.pem", "$H/.provisioning/token"],
  },
  {
    name:
      "several registries: each host, with its own CA, client certificate and token files; [oci] registry is not read",
    command: ["ext", "load"],
    userConfig:
      `[[oci.registries]]\nname = "a"\nregistry = "a.example.com"\nca_file = "a-ca.pem"\n` +
      `cert_file = "a.crt"\nkey_file = "a.key"\nauth_token_path = "a.token"\n` +
      `[[oci.registries]]\nname = "b"\nregistry = "reg.lan:5000"\ninsecure = true\n`,
    expect: { net: ["a.example.com:443", "reg.lan:5000"] },
    readIncludes: [
      "$H/.provisioning/a-ca.pem",
      "$H/.provisioning/a.crt",
      "$H/.provisioning/a.key",
      "$H/.provisioning/a.token",
    ],
  },
  {
    name: "several registries and --registry: only that one",
    command: ["ext", "load"],
    userConfig: `[[oci.registries]]\nname = "a"\nregistry = "a.example.com"\n` +
      `[[oci.registries]]\nname = "b"\nregistry = "b.example.com"\n`,
    flags: { registry: "b.example.com" },
    expect: { net: ["b.example.com:443"] },
  },
  {
    name: "an insecure remote registry gets port 80",
    command: ["ext", "load"],
    userConfig: `[oci]\nregistry = "reg.lan"\ninsecure = true\n`,
    expect: { net: ["reg.lan:80"] },
  },
  {
    name: "--source local reaches nothing and never runs git",
    command: ["ext", "load"],
    userConfig: `[git]\nremotes = ["https://git.example.com/aws.git"]\n`,
    flags: { source: "local" },
    expect: { net: [], run: [] },
  },
  {
    name: "the git source is the only one that may run git; its remotes are not net grants",
    command: ["ext", "load"],
    userConfig:
      `[extensions]\nsource_type = "git"\n[git]\nremotes = ["https://git.example.com/aws.git"]\n`,
    expect: { run: ["git"], net: [] },
  },
  {
    name: "auto with Gitea and git configured: registry, Gitea host and git",
    command: ["ext", "list"],
    userConfig:
      `[gitea]\nurl = "http://127.0.0.1:3000"\ntoken_path = "gitea.token"\n[git]\nremotes = ["git://127.0.0.1/x.git"]\n`,
    expect: { net: ["127.0.0.1:3000", "localhost:5000"], run: ["git"] },
    readIncludes: ["$H/.provisioning/gitea.token"],
  },
  {
    name: "auto without Gitea URL or remotes leaves both out",
    command: ["ext", "list"],
    expect: { net: ["localhost:5000"], run: [] },
  },
  {
    name: "--cache-dir moves the only write grant",
    command: ["ext", "cache", "clear"],
    flags: { cacheDir: "/srv/cache" },
    expect: { write: ["/srv/cache"], net: [] },
    readIncludes: ["/srv/cache"],
  },
  {
    name: "cache list reads the cache and writes nothing",
    command: ["ext", "cache", "list"],
    expect: { write: [], net: [], run: [] },
    readIncludes: ["$H/.provisioning/cache"],
  },
  {
    name: "login writes ~/.provisioning and reaches the registry it names",
    command: ["ext", "login"],
    extras: { net: ["ghcr.io:443"] },
    expect: { write: ["$H/.provisioning"], net: ["ghcr.io:443"] },
    readIncludes: ["$H/.provisioning"],
  },
  {
    name:
      "publish reads its directory, stages in <cache>/tmp, drops listings in <cache>/discovery, records blob origins in <cache>/origins, reaches only the registry",
    command: ["ext", "publish"],
    userConfig: `[extensions]\nsource_type = "local"\n`,
    extras: { read: ["/src/aws"] },
    expect: {
      write: [
        "$H/.provisioning/cache/discovery",
        "$H/.provisioning/cache/origins",
        "$H/.provisioning/cache/tmp",
      ],
      net: ["localhost:5000"],
      run: [],
    },
    readIncludes: ["/src/aws"],
  },
  {
    name: "a token realm the registry named is added to net",
    command: ["ext", "test-oci"],
    extras: { net: ["auth.example.com:443"] },
    expect: { net: ["auth.example.com:443", "localhost:5000"], write: [] },
  },
  {
    name:
      "redirect_hosts join the registry in net: a bare host gets HTTPS's port, host:port as written",
    command: ["ext", "pull"],
    userConfig: `[oci]\nregistry = "ghcr.io"\nredirect_hosts = ` +
      `["pkg-containers.githubusercontent.com", "CDN.example.com:8443"]\n` +
      `[extensions]\nsource_type = "oci"\n`,
    expect: {
      net: ["cdn.example.com:8443", "ghcr.io:443", "pkg-containers.githubusercontent.com:443"],
    },
  },
  {
    name: "redirect_hosts are not granted when the registry is not reached",
    command: ["ext", "load"],
    userConfig: `[oci]\nredirect_hosts = ["pkg-containers.githubusercontent.com"]\n`,
    flags: { source: "local" },
    expect: { net: [] },
  },
  {
    name: "[gitea] redirect_hosts (SERVE_DIRECT object storage) join the Gitea host in net",
    command: ["ext", "load"],
    userConfig: `[gitea]\nurl = "https://git.example.com"\norganization = "exts"\n` +
      `redirect_hosts = ["minio.example.com", "127.0.0.1:9000"]\n`,
    flags: { source: "gitea" },
    expect: { net: ["127.0.0.1:9000", "git.example.com:443", "minio.example.com:443"] },
  },
  {
    name: "[gitea] redirect_hosts are not granted when Gitea is not in play",
    command: ["ext", "load"],
    userConfig: `[gitea]\nurl = "https://git.example.com"\norganization = "exts"\n` +
      `redirect_hosts = ["minio.example.com"]\n`,
    flags: { source: "local" },
    expect: { net: [] },
  },
  {
    name: "a workspace grants its overrides file and its extensions folder",
    command: ["ext", "load"],
    workspaceConfig: `[extensions]\nsource_type = "local"\n`,
    expect: { net: [] },
    readIncludes: ["$W/workspace/config/local-overrides.toml", "$W/workspace/extensions"],
  },
  {
    name: "an unknown command gets nothing but the variables",
    command: ["ext", "frobnicate"],
    expect: { read: [], write: [], net: [], run: [] },
  },
];

Deno.test("computePermissions() gives each command exactly what the configuration needs", async (t) => {
  for (const c of CASES) {
    await t.step(c.name, async () => {
      const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "perm-home-" }));
      const cwd = `${home}/project`;
      try {
        await Deno.mkdir(`${home}/.provisioning`, { recursive: true });
        await Deno.mkdir(`${cwd}/workspace/config`, { recursive: true });
        if (c.userConfig !== undefined) {
          await Deno.writeTextFile(`${home}/.provisioning/config.toml`, c.userConfig);
        }
        if (c.workspaceConfig !== undefined) {
          await Deno.writeTextFile(
            `${cwd}/workspace/config/local-overrides.toml`,
            c.workspaceConfig,
          );
        }
        const config = await loadConfig({ cwd, home, env: c.env ?? {}, flags: c.flags ?? {} });
        const set = computePermissions(
          config,
          commandNeeds(c.command),
          { home, cwd, execPath: "deno", examplesDir: "/examples" },
          c.extras,
        );
        const fill = (values: string[]) =>
          values.map((v) => v.replaceAll("$H", home).replaceAll("$W", cwd));
        for (const [kind, values] of Object.entries(c.expect)) {
          assert.deepEqual(set[kind as keyof PermissionSet], fill(values).sort(), kind);
        }
        for (const path of fill(c.readIncludes ?? [])) {
          assert.ok(set.read.includes(path), `read lacks ${path}: ${set.read.join(", ")}`);
        }
        assert.ok(set.env.includes("PROVISIONING_OCI_REGISTRY") && set.env.includes("HOME"));
        assert.equal(set.ignoreEnv, true);
        // Sorted, unique, and no path inside another listed path.
        for (const list of [set.read, set.write]) {
          assert.deepEqual(list, [...new Set(list)].sort());
          for (const a of list) {
            assert.ok(!list.some((b) => b !== a && a.startsWith(b + "/")), `${a} is nested`);
          }
        }
      } finally {
        await Deno.remove(home, { recursive: true });
      }
    });
  }
});

Deno.test("planPermissions() grants no redirect host when --offline or --dry-run stops the network", async (t) => {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "perm-home-" }));
  try {
    await Deno.mkdir(`${home}/.provisioning`);
    await Deno.writeTextFile(
      `${home}/.provisioning/config.toml`,
      `[oci]\nregistry = "ghcr.io"\nredirect_hosts = ["pkg-containers.githubusercontent.com"]\n`,
    );
    const env = { home, cwd: home, execPath: "deno", getEnv: () => undefined };
    for (const offline of [false, true]) {
      await t.step(
        offline ? "offline: nothing" : "online: registry and redirect host",
        async () => {
          const plan = await planPermissions(
            { command: ["ext", "publish"], argument: home, offline },
            env,
            { probeTokenRealm: false },
          );
          assert.deepEqual(
            plan.set.net,
            offline ? [] : ["ghcr.io:443", "pkg-containers.githubusercontent.com:443"],
          );
        },
      );
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("redirectNetHost() scopes a redirect host to one port", async (t) => {
  const table: [string, string][] = [
    ["pkg-containers.githubusercontent.com", "pkg-containers.githubusercontent.com:443"],
    ["production.cloudflare.docker.com:443", "production.cloudflare.docker.com:443"],
    ["CDN.example.com:8443", "cdn.example.com:8443"],
    ["127.0.0.1:9000", "127.0.0.1:9000"],
    ["[::1]", "[::1]:443"],
  ];
  for (const [host, expected] of table) {
    await t.step(`${host} → ${expected}`, () => assert.equal(redirectNetHost(host), expected));
  }
  for (const host of ["https://cdn.example.com", "cdn.example.com/path", "cdn.example.com:0"]) {
    await t.step(`${host} is refused`, () => {
      assert.throws(() => redirectNetHost(host), { code: "INVALID_CONFIG" });
    });
  }
});

Deno.test("permissionFlags() writes one flag per kind and refuses what Deno cannot express", async (t) => {
  const base: PermissionSet = {
    read: ["/a b"],
    write: [],
    net: ["127.0.0.1:5000"],
    env: ["HOME"],
    run: [],
    ignoreEnv: true,
  };
  await t.step("empty kinds get no flag, so Deno refuses them entirely", () => {
    assert.deepEqual(permissionFlags(base), [
      "--no-prompt",
      "--allow-read=/a b",
      "--allow-net=127.0.0.1:5000",
      "--allow-env=HOME",
      "--ignore-env",
    ]);
  });
  await t.step("ignoreRead becomes --ignore-read", () => {
    assert.ok(permissionFlags({ ...base, ignoreRead: ["/x"] }).includes("--ignore-read=/x"));
  });
  await t.step("a comma in a path is refused (Deno splits flag values at commas)", () => {
    assert.throws(() => permissionFlags({ ...base, read: ["/a,b"] }), { code: "UNSUPPORTED" });
  });
});

Deno.test("scanArgv() finds the command, global flags and the argument", async (t) => {
  const table: [string[], Partial<ReturnType<typeof scanArgv>>][] = [
    [["ext", "load", "aws", "--version", "^1"], { command: ["ext", "load"], argument: "aws" }],
    [["--registry", "r:5000", "ext", "cache", "clear"], {
      command: ["ext", "cache", "clear"],
      globals: { registry: "r:5000" },
    }],
    [["--cache-dir=/c", "ext", "list", "--source", "oci"], {
      command: ["ext", "list"],
      globals: { cacheDir: "/c" },
      source: "oci",
    }],
    [["ext", "publish", "--version", "1.0.0", "./dir", "--dry-run"], {
      command: ["ext", "publish"],
      argument: "./dir",
      offline: true,
    }],
    [["--help"], { command: [] }],
    [["ext", "cache"], { command: [] }],
    [["ext", "nope", "x"], { command: [] }],
  ];
  for (const [argv, expected] of table) {
    await t.step(argv.join(" "), () => {
      const scanned = scanArgv(argv);
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(scanned[key as keyof typeof scanned], value, key);
      }
    });
  }
});

Deno.test("ext permissions resolves the command words it is given", async (t) => {
  const table: [string[], string[], string | undefined][] = [
    [["load"], ["ext", "load"], undefined],
    [["ext", "load"], ["ext", "load"], undefined],
    [["cache clear"], ["ext", "cache", "clear"], undefined],
    [["cache", "list"], ["ext", "cache", "list"], undefined],
    [["env"], ["env"], undefined],
    [["publish", "./my ext"], ["ext", "publish"], "./my ext"],
    [[], [], undefined],
  ];
  for (const [words, command, argument] of table) {
    await t.step(words.join(" ") || "(none)", () => {
      assert.deepEqual(resolveCommandWords(words), { command, argument });
    });
  }
  await t.step("an unknown command is a usage error", () => {
    assert.throws(() => resolveCommandWords(["frobnicate"]), { code: "USAGE" });
  });
});

Deno.test("examplesDirForPermissions() names the folder the local source falls back to", () => {
  assert.equal(examplesDirForPermissions(), bundledExamplesDir());
});
