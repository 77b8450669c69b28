import assert from "node:assert/strict";
import { isProvisioningError } from "../errors.ts";
import { CONFIG_ENV_VARS, configFromEnv, ENV_SETTING_BINDINGS } from "./env_vars.ts";

const OPTIONS = { cwd: "/work/project", home: "/home/ada" };

Deno.test("configFromEnv() maps each variable to its setting with an env origin", async (t) => {
  const cases = [
    {
      name: "PROVISIONING_OCI_REGISTRY",
      value: "zot.lan:5000",
      key: "oci.registry",
      want: "zot.lan:5000",
    },
    {
      name: "PROVISIONING_OCI_NAMESPACE",
      value: "team/ext",
      key: "oci.namespace",
      want: "team/ext",
    },
    { name: "PROVISIONING_OCI_INSECURE", value: "true", key: "oci.insecure", want: true },
    { name: "PROVISIONING_OCI_INSECURE", value: "1", key: "oci.insecure", want: true },
    { name: "PROVISIONING_OCI_INSECURE", value: "Yes", key: "oci.insecure", want: true },
    { name: "PROVISIONING_OCI_INSECURE", value: "off", key: "oci.insecure", want: false },
    { name: "PROVISIONING_OCI_INSECURE", value: "0", key: "oci.insecure", want: false },
    {
      name: "PROVISIONING_EXTENSIONS_PATH",
      value: "/opt/ext:rel/ext::~/ext",
      key: "extensions.paths",
      want: ["/opt/ext", "/work/project/rel/ext", "/home/ada/ext"],
    },
    { name: "PROVISIONING_EXTENSIONS_PATH", value: ":", key: "extensions.paths", want: [] },
    {
      name: "PROVISIONING_SOURCE_TYPE",
      value: "oci-layout",
      key: "extensions.source_type",
      want: "oci-layout",
    },
    { name: "PROVISIONING_CACHE_DIR", value: "../cache", key: "cache.dir", want: "/work/cache" },
    { name: "PROVISIONING_CACHE_DIR", value: "~/cache", key: "cache.dir", want: "/home/ada/cache" },
    {
      name: "PROVISIONING_GITEA_URL",
      value: "http://gitea:3000",
      key: "gitea.url",
      want: "http://gitea:3000",
    },
  ];
  for (const { name, value, key, want } of cases) {
    await t.step(`${name}=${value}`, () => {
      assert.deepEqual(configFromEnv({ [name]: value }, OPTIONS), [
        { origin: { kind: "env", source: name }, values: { [key]: want } },
      ]);
    });
  }
});

Deno.test("configFromEnv() treats empty variables as unset and ignores others", () => {
  assert.deepEqual(
    configFromEnv(
      { PROVISIONING_OCI_REGISTRY: "", PROVISIONING_TIMEOUT: "5", HOME: "/x" },
      OPTIONS,
    ),
    [],
  );
});

Deno.test("configFromEnv() rejects bad values naming the variable", async (t) => {
  const cases = [
    {
      env: { PROVISIONING_SOURCE_TYPE: "foo" },
      message:
        'Environment variable PROVISIONING_SOURCE_TYPE: extensions.source_type must be one of "auto", "local", "oci-layout", "oci", "gitea", "git", "examples", got "foo"',
    },
    {
      env: { PROVISIONING_OCI_INSECURE: "maybe" },
      message:
        'Environment variable PROVISIONING_OCI_INSECURE: oci.insecure must be true or false, got "maybe"',
      hint: "Use true or false (also 1/0, yes/no, on/off)",
    },
    {
      env: { PROVISIONING_OCI_REGISTRY: "https://ghcr.io" },
      message:
        'Environment variable PROVISIONING_OCI_REGISTRY: oci.registry must be host[:port] (like "localhost:5000"), got "https://ghcr.io"',
      hint: 'Write the registry without a scheme; set "oci.insecure = true" for plain HTTP',
    },
    {
      env: { PROVISIONING_OCI_NAMESPACE: "Bad Name" },
      message:
        'Environment variable PROVISIONING_OCI_NAMESPACE: oci.namespace must be lower-case path components like "team/extensions", got "Bad Name"',
    },
    {
      env: { PROVISIONING_GITEA_URL: "ftp://x" },
      message:
        'Environment variable PROVISIONING_GITEA_URL: gitea.url must be an http:// or https:// URL, got "ftp://x"',
    },
  ];
  for (const { env, message, ...rest } of cases) {
    await t.step(Object.keys(env)[0] ?? "", () => {
      assert.throws(() => configFromEnv(env, OPTIONS), (error) => {
        assert.ok(isProvisioningError(error, "INVALID_CONFIG"));
        assert.equal(error.message, message);
        if ("hint" in rest) assert.equal(error.hint, rest.hint);
        return true;
      });
    });
  }
});

Deno.test("configFromEnv() reports every bad variable at once", () => {
  assert.throws(
    () => configFromEnv({ PROVISIONING_SOURCE_TYPE: "x", PROVISIONING_OCI_INSECURE: "y" }, OPTIONS),
    (error) => {
      assert.ok(isProvisioningError(error, "INVALID_CONFIG"));
      assert.ok(error.message.startsWith("Environment variable PROVISIONING_OCI_INSECURE:"));
      assert.equal(error.details.length, 1);
      assert.ok(error.details[0]?.startsWith("Environment variable PROVISIONING_SOURCE_TYPE:"));
      return true;
    },
  );
});

Deno.test("CONFIG_ENV_VARS lists every variable a binding reads", () => {
  for (const binding of ENV_SETTING_BINDINGS) {
    assert.ok((CONFIG_ENV_VARS as readonly string[]).includes(binding.name), binding.name);
  }
  assert.equal(new Set(CONFIG_ENV_VARS).size, CONFIG_ENV_VARS.length);
});
