import assert from "node:assert/strict";
import { isProvisioningError } from "../errors.ts";
import { parseConfigText } from "./config_file.ts";

const FILE = "/home/ada/.provisioning/config.toml";
const OPTIONS = { file: FILE, home: "/home/ada", kind: "user" } as const;

function errorOf(text: string) {
  try {
    parseConfigText(text, OPTIONS);
  } catch (error) {
    assert.ok(isProvisioningError(error, "INVALID_CONFIG"), `unexpected error: ${error}`);
    assert.equal(error.exitCode, 2);
    return error;
  }
  assert.fail(`expected an error for:\n${text}`);
}

Deno.test("parseConfigText() reads every section of the schema", () => {
  const layer = parseConfigText(
    [
      "[oci]",
      'registry = "registry.example.com"',
      'namespace = "platform/extensions"',
      'auth_token_path = "registry.token"',
      "insecure = true",
      "timeout = 2.5",
      "retry_count = 0",
      'ca_file = "/etc/ssl/ca.pem"',
      'repositories = ["aws", "kubernetes"]',
      "concurrency = 4",
      "chunk_size = 1_048_576",
      'redirect_hosts = ["pkg-containers.githubusercontent.com", "cdn.example.com:8443"]',
      "[extensions]",
      'source_type = "oci"',
      'paths = ["ext", "~/src/ext", "/opt/ext"]',
      'auto_order = ["oci", "local"]',
      "discovery_ttl = 0",
      'layout_paths = ["../layout"]',
      "[cache]",
      'dir = "cache"',
      "max_age_days = 30",
      "max_size = 1000000",
      "max_extract_bytes = 1024",
      "max_extract_files = 10",
      "[gitea]",
      'url = "https://gitea.example.com"',
      'organization = "platform"',
      'token_path = "gitea.token"',
      'subpath = "extension"',
      "[git]",
      'remotes = ["https://git.example.com/a.git"]',
    ].join("\n"),
    OPTIONS,
  );
  assert.deepEqual(layer, {
    origin: { kind: "user", source: FILE },
    values: {
      "oci.registry": "registry.example.com",
      "oci.namespace": "platform/extensions",
      "oci.auth_token_path": "/home/ada/.provisioning/registry.token",
      "oci.insecure": true,
      "oci.timeout": 2.5,
      "oci.retry_count": 0,
      "oci.ca_file": "/etc/ssl/ca.pem",
      "oci.repositories": ["aws", "kubernetes"],
      "oci.concurrency": 4,
      "oci.chunk_size": 1048576,
      "oci.redirect_hosts": ["pkg-containers.githubusercontent.com", "cdn.example.com:8443"],
      "extensions.source_type": "oci",
      "extensions.paths": [
        "/home/ada/.provisioning/ext",
        "/home/ada/src/ext",
        "/opt/ext",
      ],
      "extensions.auto_order": ["oci", "local"],
      "extensions.discovery_ttl": 0,
      "extensions.layout_paths": ["/home/ada/layout"],
      "cache.dir": "/home/ada/.provisioning/cache",
      "cache.max_age_days": 30,
      "cache.max_size": 1000000,
      "cache.max_extract_bytes": 1024,
      "cache.max_extract_files": 10,
      "gitea.url": "https://gitea.example.com",
      "gitea.organization": "platform",
      "gitea.token_path": "/home/ada/.provisioning/gitea.token",
      "gitea.subpath": "extension",
      "git.remotes": ["https://git.example.com/a.git"],
    },
  });
});

Deno.test("parseConfigText() accepts an empty file, dotted keys and inline tables", () => {
  assert.deepEqual(parseConfigText("# nothing\n", OPTIONS).values, {});
  assert.deepEqual(
    parseConfigText('oci.registry = "a:1"\ncache = { dir = "/c" }\n', OPTIONS).values,
    { "oci.registry": "a:1", "cache.dir": "/c" },
  );
});

Deno.test("parseConfigText() accepts registry and namespace forms", async (t) => {
  const registries = [
    "localhost",
    "localhost:5000",
    "127.0.0.1:5000",
    "[::1]:5000",
    "ghcr.io",
    "my-registry.example.com:443",
  ];
  for (const registry of registries) {
    await t.step(`registry ${registry}`, () => {
      const text = `[oci]\nregistry = "${registry}"\n`;
      assert.equal(parseConfigText(text, OPTIONS).values["oci.registry"], registry);
    });
  }
  for (const namespace of ["", "team", "a/b-c/d_e", "a.b__c"]) {
    await t.step(`namespace "${namespace}"`, () => {
      const text = `[oci]\nnamespace = "${namespace}"\n`;
      assert.equal(parseConfigText(text, OPTIONS).values["oci.namespace"], namespace);
    });
  }
});

Deno.test("parseConfigText() reports a TOML syntax error as file:line:col", async (t) => {
  const cases = [
    {
      name: "missing value",
      text: '[oci]\nregistry = "a"\ntimeout = \n',
      message: `${FILE}:3:11: invalid value`,
    },
    { name: "unclosed table header", text: "\n[oci\n", message: `${FILE}:2:5:` },
    { name: "duplicate key", text: "[oci]\ntimeout = 1\ntimeout = 2\n", message: `${FILE}:3:1:` },
    { name: "unterminated string", text: '[oci]\nregistry = "abc\n', message: `${FILE}:2:` },
  ];
  for (const { name, text, message } of cases) {
    await t.step(name, () => {
      const error = errorOf(text);
      assert.ok(error.message.startsWith(message), error.message);
      assert.ok(!error.message.includes("\n"), "one line");
    });
  }
});

Deno.test("parseConfigText() names unknown keys with line and a did-you-mean hint", async (t) => {
  const cases = [
    {
      name: "misspelt key",
      text: '[oci]\nregistry = "a"\nregsitry = "b"\n',
      message: `${FILE}:3: unknown key "oci.regsitry"`,
      hint: 'Did you mean "oci.registry"?',
    },
    {
      name: "key in the wrong section",
      text: '[cache]\nsource_type = "oci"\n',
      message: `${FILE}:2: unknown key "cache.source_type"`,
      hint: 'Did you mean "extensions.source_type"?',
    },
    {
      name: "key outside any section",
      text: 'registry = "a:1"\n',
      message: `${FILE}:1: unknown key "registry"`,
      hint: 'Did you mean "oci.registry"?',
    },
    {
      name: "misspelt section",
      text: '\n[ocii]\nregistry = "a"\n',
      message: `${FILE}:2: unknown section "ocii"`,
      hint: 'Did you mean "oci"?',
    },
    {
      name: "nothing close",
      text: "[oci]\nfrobnicate = 1\n",
      message: `${FILE}:2: unknown key "oci.frobnicate"`,
      hint: undefined,
    },
    {
      name: "nested table under a section",
      text: '[oci.auth]\nuser = "a"\n',
      message: `${FILE}:1: unknown section "oci.auth"`,
      hint: undefined,
    },
    {
      name: "dotted key",
      text: "oci.timout = 5\n",
      message: `${FILE}:1: unknown key "oci.timout"`,
      hint: 'Did you mean "oci.timeout"?',
    },
  ];
  for (const { name, text, message, hint } of cases) {
    await t.step(name, () => {
      const error = errorOf(text);
      assert.equal(error.message, message);
      assert.equal(error.hint, hint);
    });
  }
});

Deno.test("parseConfigText() reports wrong types and bad values with file, line and key", async (t) => {
  const cases = [
    {
      name: "string for a number",
      text: '[oci]\n\ntimeout = "abc"\n',
      message: `${FILE}:3: oci.timeout must be a number, got string "abc"`,
    },
    {
      name: "negative timeout",
      text: "[oci]\ntimeout = -1\n",
      message: `${FILE}:2: oci.timeout must be greater than 0, got -1`,
    },
    {
      name: "a timeout past an hour (it would overflow the timer)",
      text: "[oci]\ntimeout = 3000000\n",
      message: `${FILE}:2: oci.timeout must be at most 3600, got 3000000`,
    },
    {
      name: "a retry count past 20",
      text: "[oci]\nretry_count = 100000000\n",
      message: `${FILE}:2: oci.retry_count must be at most 20, got 100000000`,
    },
    {
      name: "zero concurrency",
      text: "[oci]\nconcurrency = 0\n",
      message: `${FILE}:2: oci.concurrency must be greater than 0, got 0`,
    },
    {
      name: "fractional retry count",
      text: "[oci]\nretry_count = 1.5\n",
      message: `${FILE}:2: oci.retry_count must be a whole number, got 1.5`,
    },
    {
      name: "negative retry count",
      text: "[oci]\nretry_count = -1\n",
      message: `${FILE}:2: oci.retry_count must be 0 or more, got -1`,
    },
    {
      name: "negative chunk size (0 means one streamed PUT)",
      text: "[oci]\nchunk_size = -1\n",
      message: `${FILE}:2: oci.chunk_size must be 0 or more, got -1`,
    },
    {
      name: "infinite timeout",
      text: "[oci]\ntimeout = inf\n",
      message: `${FILE}:2: oci.timeout must be a finite number, got inf`,
    },
    {
      name: "string for a boolean",
      text: '[oci]\ninsecure = "yes"\n',
      message: `${FILE}:2: oci.insecure must be true or false, got string "yes"`,
    },
    {
      name: "number for a string",
      text: "[oci]\nregistry = 5000\n",
      message: `${FILE}:2: oci.registry must be a string, got number 5000`,
    },
    {
      name: "date for a string",
      text: "[gitea]\norganization = 1979-05-27\n",
      message: `${FILE}:2: gitea.organization must be a string, got date 1979-05-27`,
    },
    {
      name: "string for an array",
      text: '[extensions]\npaths = "a:b"\n',
      message: `${FILE}:2: extensions.paths must be an array, got string "a:b"`,
    },
    {
      name: "number inside a string array",
      text: '[oci]\nrepositories = ["a", 5]\n',
      message: `${FILE}:2: oci.repositories[1] must be a string, got number 5`,
    },
    {
      name: "redirect host that is a string, not an array",
      text: '[oci]\nredirect_hosts = "cdn.example.com"\n',
      message: `${FILE}:2: oci.redirect_hosts must be an array, got string "cdn.example.com"`,
    },
    {
      name: "redirect host with a scheme",
      text: '[oci]\nredirect_hosts = ["cdn.example.com", "https://cdn.example.net"]\n',
      message:
        `${FILE}:2: oci.redirect_hosts[1] must be host[:port] (like "pkg-containers.githubusercontent.com"), got "https://cdn.example.net"`,
    },
    {
      name: "redirect host with a port out of range",
      text: '[oci]\nredirect_hosts = ["cdn.example.com:70000"]\n',
      message:
        `${FILE}:2: oci.redirect_hosts[0] must be host[:port] (like "pkg-containers.githubusercontent.com"), got "cdn.example.com:70000"`,
    },
    {
      name: "empty redirect host",
      text: '[oci]\nredirect_hosts = [""]\n',
      message:
        `${FILE}:2: oci.redirect_hosts[0] must be host[:port] (like "pkg-containers.githubusercontent.com"), got ""`,
    },
    {
      name: "number as a redirect host",
      text: "[oci]\nredirect_hosts = [443]\n",
      message: `${FILE}:2: oci.redirect_hosts[0] must be a string, got number 443`,
    },
    {
      name: "empty path",
      text: '[cache]\ndir = ""\n',
      message: `${FILE}:2: cache.dir must be a non-empty path, got ""`,
    },
    {
      name: "bad source type",
      text: '[extensions]\nsource_type = "ftp"\n',
      message:
        `${FILE}:2: extensions.source_type must be one of "auto", "local", "oci-layout", "oci", "gitea", "git", "examples", got "ftp"`,
    },
    {
      name: "auto inside auto_order",
      text: '[extensions]\nauto_order = ["local", "auto"]\n',
      message:
        `${FILE}:2: extensions.auto_order[1] must be one of "local", "oci-layout", "oci", "gitea", "git", "examples", got "auto"`,
    },
    {
      name: "repeated auto_order entry",
      text: '[extensions]\nauto_order = ["oci", "local", "oci"]\n',
      message: `${FILE}:2: extensions.auto_order must not repeat a source, got "oci" twice`,
    },
    {
      name: "empty auto_order",
      text: "[extensions]\nauto_order = []\n",
      message: `${FILE}:2: extensions.auto_order must name at least one source, got []`,
    },
    {
      name: "registry with a scheme",
      text: '[oci]\nregistry = "http://localhost:5000"\n',
      message:
        `${FILE}:2: oci.registry must be host[:port] (like "localhost:5000"), got "http://localhost:5000"`,
      hint: 'Write the registry without a scheme; set "oci.insecure = true" for plain HTTP',
    },
    {
      name: "registry with a path",
      text: '[oci]\nregistry = "ghcr.io/acme"\n',
      message:
        `${FILE}:2: oci.registry must be host[:port] (like "localhost:5000"), got "ghcr.io/acme"`,
      hint: 'Put the path prefix in "oci.namespace"',
    },
    {
      name: "registry port out of range",
      text: '[oci]\nregistry = "localhost:70000"\n',
      message:
        `${FILE}:2: oci.registry must be host[:port] (like "localhost:5000"), got "localhost:70000"`,
    },
    {
      name: "upper-case namespace",
      text: '[oci]\nnamespace = "Team"\n',
      message:
        `${FILE}:2: oci.namespace must be lower-case path components like "team/extensions", got "Team"`,
    },
    {
      name: "gitea url without scheme",
      text: '[gitea]\nurl = "gitea.lan"\n',
      message: `${FILE}:2: gitea.url must be an http:// or https:// URL, got "gitea.lan"`,
    },
    {
      name: "section that is not a table",
      text: 'oci = "localhost"\n',
      message: `${FILE}:1: oci must be a table, got string "localhost"`,
    },
    {
      name: "array of tables",
      text: '[[oci]]\nregistry = "a"\n',
      message: `${FILE}:1: oci must be a table, got array`,
    },
    {
      name: "key inside an inline table points at the table's line",
      text: "\ncache = { dir = 5 }\n",
      message: `${FILE}:2: cache.dir must be a string, got number 5`,
    },
  ];
  for (const { name, text, message, ...rest } of cases) {
    await t.step(name, () => {
      const error = errorOf(text);
      assert.equal(error.message, message);
      if ("hint" in rest) assert.equal(error.hint, rest.hint);
    });
  }
});

Deno.test("parseConfigText() reports every problem in a file at once", () => {
  const error = errorOf('[oci]\ntimeout = "x"\nregsitry = "a"\n[extensions]\nsource_type = "y"\n');
  assert.equal(error.message, `${FILE}:2: oci.timeout must be a number, got string "x"`);
  assert.deepEqual(error.details, [
    `${FILE}:3: unknown key "oci.regsitry" (did you mean "oci.registry"?)`,
    `${FILE}:5: extensions.source_type must be one of "auto", "local", "oci-layout", "oci", "gitea", "git", "examples", got "y"`,
  ]);
});
