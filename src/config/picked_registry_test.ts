import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "./load_config.ts";

const TOML = [
  "[oci]",
  'registry = "write.example:5000"',
  'auth_token_path = "/etc/oci-token"',
  "[[oci.registries]]",
  'name = "internal"',
  'registry = "registry.internal:5000"',
  'namespace = "platform"',
  'ca_file = "/etc/internal-ca.pem"',
  "[[oci.registries]]",
  'name = "public"',
  'registry = "ghcr.io"',
  "",
].join("\n");

async function withConfig(
  run: (
    load: (
      options: { env?: Record<string, string>; flags?: Record<string, string> },
    ) => ReturnType<typeof loadConfig>,
  ) => Promise<void>,
): Promise<void> {
  const home = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(home, ".provisioning"));
    await Deno.writeTextFile(join(home, ".provisioning", "config.toml"), TOML);
    await run(({ env = {}, flags = {} }) => loadConfig({ cwd: home, home, env, flags }));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("--registry NAME picks a listed registry, which brings its own settings", async () => {
  await withConfig(async (load) => {
    const { settings, origins } = await load({ flags: { registry: "internal" } });
    assert.equal(settings.oci.registry, "registry.internal:5000");
    assert.deepEqual(origins["oci.registry"], { kind: "flag", source: "--registry" });
    assert.equal(settings.oci.namespace, "platform");
    assert.equal(settings.oci.ca_file, "/etc/internal-ca.pem");
    // Credentials belong to their registry: [oci]'s token file is not sent to another.
    assert.equal(settings.oci.auth_token_path, undefined);
    assert.equal(origins["oci.ca_file"]?.kind, "user");
  });
});

Deno.test("PROVISIONING_OCI_REGISTRY=NAME picks too; --namespace and --ca-file still win", async () => {
  await withConfig(async (load) => {
    const { settings } = await load({
      env: { PROVISIONING_OCI_REGISTRY: "internal" },
      flags: { namespace: "mine", caFile: "/tmp/other-ca.pem" },
    });
    assert.equal(settings.oci.registry, "registry.internal:5000");
    assert.equal(settings.oci.namespace, "mine");
    assert.equal(settings.oci.ca_file, "/tmp/other-ca.pem");
  });
});

Deno.test("a --registry that is no listed name is a host, as before", async () => {
  await withConfig(async (load) => {
    const { settings } = await load({ flags: { registry: "zot.lan:5000" } });
    assert.equal(settings.oci.registry, "zot.lan:5000");
    assert.equal(settings.oci.auth_token_path, "/etc/oci-token");
    assert.equal(settings.oci.ca_file, undefined);
    // Without a flag nothing is picked: [oci] keeps its own values.
    const unpicked = await load({});
    assert.equal(unpicked.settings.oci.registry, "write.example:5000");
    assert.equal(unpicked.settings.oci.auth_token_path, "/etc/oci-token");
  });
});
