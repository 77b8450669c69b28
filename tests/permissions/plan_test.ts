/**
 * The permission plan computed for several configurations (the configuration is loaded from
 * real files in a temp dir, then `planPermissions` reads three small files and contacts
 * nothing), plus the flags it becomes.
 *
 * @module
 */

import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load_config.ts";
import { bundledExamplesDir } from "../../src/sources/local.ts";
import {
  type CommandGrants,
  examplesDirForPermissions,
  permissionFlags,
  type PermissionSet,
  planPermissions,
  redirectNetHost,
  rememberRealm,
} from "../../src/permissions/mod.ts";

interface Case {
  name: string;
  /** `config.toml` in `~/.provisioning` (`HOME` is `$H`). */
  userConfig?: string;
  /** `workspace/config/local-overrides.toml` under the current directory. */
  workspaceConfig?: string;
  /** Docker's `config.json` in `~/.docker`. */
  dockerConfig?: string;
  env?: Record<string, string>;
  flags?: { cacheDir?: string; registry?: string };
  grants?: CommandGrants;
  /** Expected lists; `$H` is the home directory, `$W` the current directory. */
  expect: Partial<Record<"read" | "write" | "net" | "run", string[]>>;
  /** Entries that must be in `read` (for cases that only check a part). */
  readIncludes?: string[];
}

const CONFIG_READS = [
  "$H/.provisioning",
  "$W/workspace/config/local-overrides.toml",
  "$W/extensions.toml",
  "$W/extensions.lock",
];

const CASES: Case[] = [
  {
    name:
      "defaults: config files, examples, the config folder (cache, credentials) and Docker's config; writes the config folder; reaches localhost:5000",
    expect: { write: ["$H/.provisioning"], net: ["localhost:5000"], run: [] },
    readIncludes: [...CONFIG_READS, "$H/.docker/config.json", "/examples"],
  },
  {
    name: "a remote registry gets HTTPS's port; ca_file and the token file become readable",
    userConfig:
      `[oci]\nregistry = "registry.example.com"\nca_file = "/etc/ca.pem"\nauth_token_path = "/etc/token"\n`,
    expect: { net: ["registry.example.com:443"], write: ["$H/.provisioning"] },
    readIncludes: ["/etc/ca.pem", "/etc/token"],
  },
  {
    name: "several registries: each host, with its own CA, client certificate and token files",
    userConfig:
      `[[oci.registries]]\nname = "a"\nregistry = "a.example.com"\nca_file = "/a/ca.pem"\n` +
      `cert_file = "/a/a.crt"\nkey_file = "/a/a.key"\nauth_token_path = "/a/a.token"\n` +
      `[[oci.registries]]\nname = "b"\nregistry = "reg.lan:5000"\ninsecure = true\n`,
    expect: { net: ["a.example.com:443", "localhost:5000", "reg.lan:5000"] },
    readIncludes: ["/a/ca.pem", "/a/a.crt", "/a/a.key", "/a/a.token"],
  },
  {
    name: "--registry replaces [oci] registry",
    flags: { registry: "b.example.com" },
    expect: { net: ["b.example.com:443"] },
  },
  {
    name: "an insecure remote registry gets port 80",
    userConfig: `[oci]\nregistry = "reg.lan"\ninsecure = true\n`,
    expect: { net: ["reg.lan:80"] },
  },
  {
    name: "git remotes let git run; the remotes are not net grants (git is a subprocess)",
    userConfig: `[git]\nremotes = ["https://git.example.com/aws.git"]\n`,
    expect: { run: ["git"], net: ["localhost:5000"] },
  },
  {
    name: "Gitea: its host and token file; no remotes, no git",
    userConfig: `[gitea]\nurl = "http://127.0.0.1:3000"\ntoken_path = "/g/gitea.token"\n`,
    expect: { net: ["127.0.0.1:3000", "localhost:5000"], run: [] },
    readIncludes: ["/g/gitea.token"],
  },
  {
    name: "--cache-dir outside the config folder is granted too",
    flags: { cacheDir: "/srv/cache" },
    expect: { write: ["$H/.provisioning", "/srv/cache"] },
    readIncludes: ["/srv/cache"],
  },
  {
    name: "what the command line names is added",
    grants: { read: ["/src/aws"], write: ["/out"], net: ["ghcr.io:443"], run: ["xdg-open"] },
    expect: {
      write: ["$H/.provisioning", "/out"],
      net: ["ghcr.io:443", "localhost:5000"],
      run: ["xdg-open"],
    },
    readIncludes: ["/src/aws", "/out"],
  },
  {
    name:
      "redirect_hosts join the registry in net: a bare host gets HTTPS's port, host:port as written",
    userConfig: `[oci]\nregistry = "ghcr.io"\nredirect_hosts = ` +
      `["pkg-containers.githubusercontent.com", "CDN.example.com:8443"]\n`,
    expect: {
      net: ["cdn.example.com:8443", "ghcr.io:443", "pkg-containers.githubusercontent.com:443"],
    },
  },
  {
    name: "[gitea] redirect_hosts (SERVE_DIRECT object storage) join the Gitea host in net",
    userConfig: `[gitea]\nurl = "https://git.example.com"\norganization = "exts"\n` +
      `redirect_hosts = ["minio.example.com", "127.0.0.1:9000"]\n`,
    expect: {
      net: ["127.0.0.1:9000", "git.example.com:443", "localhost:5000", "minio.example.com:443"],
    },
  },
  {
    name: "mirrors of a registry are reached too",
    userConfig: `[oci]\nregistry = "r.example.com"\n[[oci.mirrors]]\nprefix = "r.example.com"\n` +
      `locations = ["127.0.0.1:6000"]\n`,
    expect: { net: ["127.0.0.1:6000", "r.example.com:443"] },
  },
  {
    name: "the Docker credential helpers config.json names may run",
    dockerConfig: `{"credsStore":"pass","credHelpers":{"ghcr.io":"gh"}}`,
    expect: { run: ["docker-credential-gh", "docker-credential-pass"] },
  },
  {
    name: "a workspace grants its overrides file and its extensions folder",
    workspaceConfig: `[extensions]\nsource_type = "local"\n`,
    expect: { net: ["localhost:5000"] },
    readIncludes: ["$W/workspace/config/local-overrides.toml", "$W/workspace/extensions"],
  },
];

Deno.test("planPermissions() grants what the configuration and the command line name", async (t) => {
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
        if (c.dockerConfig !== undefined) {
          await Deno.mkdir(`${home}/.docker`);
          await Deno.writeTextFile(`${home}/.docker/config.json`, c.dockerConfig);
        }
        if (c.workspaceConfig !== undefined) {
          await Deno.writeTextFile(
            `${cwd}/workspace/config/local-overrides.toml`,
            c.workspaceConfig,
          );
        }
        const config = await loadConfig({ cwd, home, env: c.env ?? {}, flags: c.flags ?? {} });
        const set = await planPermissions(
          config,
          { home, cwd, examplesDir: "/examples" },
          c.grants,
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

Deno.test("planPermissions() grants the token realm a registry named before, and no other", async () => {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "perm-home-" }));
  try {
    const config = await loadConfig({ cwd: home, home, env: {} });
    await rememberRealm(home, "http://localhost:5000", ["auth.example.com:443"]);
    await rememberRealm(home, "https://elsewhere.example.com", ["evil.example.com:443"]);
    await rememberRealm(home, "ftp://odd", ["odd.example.com:443"]);
    const set = await planPermissions(config, { home, cwd: home });
    assert.deepEqual(set.net, ["auth.example.com:443", "localhost:5000"]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("planPermissions() grants a cache root reached through a link at its real path", async () => {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "perm-home-" }));
  try {
    await Deno.mkdir(`${home}/real-cache`);
    await Deno.symlink(`${home}/real-cache`, `${home}/cache-link`);
    const config = await loadConfig({
      cwd: home,
      home,
      env: {},
      flags: { cacheDir: `${home}/cache-link` },
    });
    const set = await planPermissions(config, { home, cwd: home });
    for (const path of [`${home}/cache-link`, `${home}/real-cache`]) {
      assert.ok(set.write.includes(path), set.write.join());
      assert.ok(set.read.includes(path), set.read.join());
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

Deno.test("examplesDirForPermissions() names the folder the local source falls back to", () => {
  assert.equal(examplesDirForPermissions(), bundledExamplesDir());
});
