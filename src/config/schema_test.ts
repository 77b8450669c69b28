import assert from "node:assert/strict";
import { defaultSettings } from "./defaults.ts";
import { SETTING_KEYS, SETTING_SECTIONS, SETTING_SPECS } from "./schema.ts";

Deno.test("SETTING_SPECS covers exactly the keys of Settings, in order", () => {
  const settings = defaultSettings("/home/ada");
  const keys = Object.entries(settings).flatMap(([section, values]) =>
    Object.keys(values).map((name) => `${section}.${name}`)
  );
  assert.deepEqual([...SETTING_KEYS], keys);
  assert.deepEqual([...SETTING_SECTIONS], Object.keys(settings));
});

Deno.test("SETTING_SPECS marks exactly the keys whose default is unset as optional", () => {
  const settings = defaultSettings("/home/ada") as unknown as Record<
    string,
    Record<string, unknown>
  >;
  for (const spec of SETTING_SPECS) {
    const [section = "", name = ""] = spec.key.split(".");
    assert.equal(spec.optional, settings[section]?.[name] === undefined, spec.key);
  }
});

Deno.test("defaultSettings() holds the documented defaults", () => {
  const settings = defaultSettings("/home/ada");
  assert.equal(settings.oci.registry, "localhost:5000");
  assert.equal(settings.oci.namespace, "provisioning-extensions");
  assert.equal(settings.oci.insecure, false);
  assert.equal(settings.oci.timeout, 30);
  assert.equal(settings.oci.retry_count, 3);
  assert.equal(settings.oci.concurrency, 8);
  assert.equal(settings.oci.chunk_size, 0); // one streamed PUT per blob
  assert.deepEqual(settings.extensions.auto_order, [
    "local",
    "oci-layout",
    "oci",
    "gitea",
    "git",
    "examples",
  ]);
  assert.equal(settings.extensions.discovery_ttl, 300);
  assert.equal(settings.cache.dir, "/home/ada/.provisioning/cache");
  assert.equal(settings.cache.max_extract_bytes, 1024 ** 3);
  assert.equal(settings.cache.max_extract_files, 100_000);
  // Fresh objects: mutating one result does not leak into the next.
  settings.extensions.auto_order.pop();
  assert.equal(defaultSettings("/h").extensions.auto_order.length, 6);
});
