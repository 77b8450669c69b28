import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempTree } from "./_testing.ts";
import { envEntries, envReport, formatEnvTable, formatOrigin } from "./env_report.ts";
import { loadConfig } from "./load_config.ts";
import { SETTING_KEYS } from "./schema.ts";

Deno.test("formatOrigin() gives the stable text form of each origin kind", async (t) => {
  const cases = [
    { origin: { kind: "default" as const }, want: "default" },
    { origin: { kind: "user" as const, source: "/h/c.toml" }, want: "user (/h/c.toml)" },
    { origin: { kind: "workspace" as const, source: "/w/o.toml" }, want: "workspace (/w/o.toml)" },
    {
      origin: { kind: "env" as const, source: "PROVISIONING_CACHE_DIR" },
      want: "env (PROVISIONING_CACHE_DIR)",
    },
    { origin: { kind: "flag" as const, source: "--registry" }, want: "flag (--registry)" },
    { origin: undefined, want: "default" },
  ];
  for (const { origin, want } of cases) {
    await t.step(want, () => assert.equal(formatOrigin(origin), want));
  }
});

Deno.test("envEntries() lists every setting in schema order with the secret in its section", async () => {
  await withTempTree({}, async (root) => {
    const entries = envEntries(await loadConfig({ cwd: root, home: root, env: {} }));
    const keys = entries.map((entry) => entry.key);
    const tokenPath = SETTING_KEYS.indexOf("gitea.token_path");
    assert.deepEqual(keys, [
      ...SETTING_KEYS.slice(0, tokenPath + 1),
      "gitea.token",
      ...SETTING_KEYS.slice(tokenPath + 1),
    ]);
  });
});

Deno.test("envReport() gives the JSON-ready report with values and origins", async () => {
  const tree = {
    "home/.provisioning/config.toml":
      '[oci]\ntimeout = 60\nrepositories = ["aws"]\nredirect_hosts = ["cdn.example.com"]\n',
    "p/workspace/config/local-overrides.toml": '[oci]\nregistry = "zot.lan:5000"\n',
  };
  await withTempTree(tree, async (root) => {
    const home = join(root, "home");
    const config = await loadConfig({
      cwd: join(root, "p"),
      home,
      env: { PROVISIONING_EXTENSIONS_PATH: "/x:/y", PROVISIONING_GITEA_TOKEN: "sekrit" },
      flags: { insecure: true },
    });
    const report = envReport(config);
    const userFile = join(home, ".provisioning/config.toml");
    const workspaceFile = join(root, "p/workspace/config/local-overrides.toml");
    assert.equal(report.workspace, join(root, "p/workspace"));
    assert.deepEqual(report.files, [
      { kind: "user", path: userFile, found: true },
      { kind: "workspace", path: workspaceFile, found: true },
    ]);
    const byKey = new Map(report.settings.map((entry) => [entry.key, entry]));
    const expected = [
      { key: "oci.registry", value: "zot.lan:5000", origin: `workspace (${workspaceFile})` },
      { key: "oci.auth_token_path", value: null, origin: "default" },
      { key: "oci.insecure", value: true, origin: "flag (--insecure)" },
      { key: "oci.timeout", value: 60, origin: `user (${userFile})` },
      { key: "oci.repositories", value: ["aws"], origin: `user (${userFile})` },
      { key: "oci.redirect_hosts", value: ["cdn.example.com"], origin: `user (${userFile})` },
      {
        key: "extensions.paths",
        value: ["/x", "/y"],
        origin: "env (PROVISIONING_EXTENSIONS_PATH)",
      },
      {
        key: "extensions.auto_order",
        value: ["local", "oci-layout", "oci", "gitea", "git", "examples"],
        origin: "default",
      },
      { key: "cache.dir", value: join(home, ".provisioning/cache"), origin: "default" },
      { key: "gitea.token", value: "(set)", origin: "env (PROVISIONING_GITEA_TOKEN)" },
    ];
    for (const entry of expected) assert.deepEqual(byKey.get(entry.key), entry);
    const json = JSON.stringify(report);
    assert.ok(!json.includes("sekrit"));
    assert.deepEqual(JSON.parse(json), report);
  });
});

Deno.test("envReport() shows a missing secret as (not set) and no workspace as null", async () => {
  await withTempTree({}, async (root) => {
    const report = envReport(await loadConfig({ cwd: root, home: root, env: {} }));
    assert.equal(report.workspace, null);
    assert.deepEqual(report.settings.find((entry) => entry.key === "gitea.token"), {
      key: "gitea.token",
      value: "(not set)",
      origin: "default",
    });
  });
});

Deno.test("formatEnvTable() renders aligned columns without trailing spaces", () => {
  const text = formatEnvTable({
    workspace: "/p/workspace",
    files: [
      { kind: "user", path: "/h/.provisioning/config.toml", found: false },
      { kind: "workspace", path: "/p/workspace/config/local-overrides.toml", found: true },
    ],
    settings: [
      { key: "oci.registry", value: "localhost:5000", origin: "default" },
      { key: "oci.namespace", value: "", origin: "flag (--namespace)" },
      { key: "oci.ca_file", value: null, origin: "default" },
      { key: "oci.repositories", value: [], origin: "default" },
      {
        key: "extensions.paths",
        value: ["/a", "/b"],
        origin: "env (PROVISIONING_EXTENSIONS_PATH)",
      },
      { key: "oci.timeout", value: 30, origin: "default" },
    ],
  });
  assert.equal(
    text,
    [
      "Workspace:         /p/workspace",
      "User config:       /h/.provisioning/config.toml (not found)",
      "Workspace config:  /p/workspace/config/local-overrides.toml",
      "",
      "KEY               VALUE           ORIGIN",
      "oci.registry      localhost:5000  default",
      'oci.namespace     ""              flag (--namespace)',
      "oci.ca_file       (none)          default",
      "oci.repositories  (none)          default",
      "extensions.paths  /a, /b          env (PROVISIONING_EXTENSIONS_PATH)",
      "oci.timeout       30              default",
      "",
    ].join("\n"),
  );
});

Deno.test("envReport() shows mirrors, blocked prefixes and trust rules as text", async () => {
  const tree = {
    "home/.provisioning/config.toml": [
      "[[oci.mirrors]]",
      'prefix = "r.io"',
      'locations = ["m1:5000", "m2:5000"]',
      "digest_only = true",
      "[[oci.mirrors]]",
      'prefix = "bad.io"',
      "blocked = true",
      "",
    ].join("\n"),
  };
  await withTempTree(tree, async (root) => {
    const home = join(root, "home");
    const config = await loadConfig({ cwd: root, home, env: {} });
    const mirrors = envReport(config).settings.find((entry) => entry.key === "oci.mirrors");
    assert.deepEqual(mirrors?.value, ["r.io → m1:5000, m2:5000 (digest only)", "bad.io blocked"]);
  });
});
