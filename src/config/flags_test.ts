import assert from "node:assert/strict";
import { isProvisioningError } from "../errors.ts";
import { configFromFlags } from "./flags.ts";

const OPTIONS = { cwd: "/work/project", home: "/home/ada" };

Deno.test("configFromFlags() maps each flag to its setting with a flag origin", async (t) => {
  const cases = [
    {
      flags: { registry: "zot:5000" },
      source: "--registry",
      key: "oci.registry",
      want: "zot:5000",
    },
    { flags: { namespace: "team" }, source: "--namespace", key: "oci.namespace", want: "team" },
    { flags: { insecure: true }, source: "--insecure", key: "oci.insecure", want: true },
    { flags: { insecure: false }, source: "--insecure", key: "oci.insecure", want: false },
    {
      flags: { source: "gitea" },
      source: "--source",
      key: "extensions.source_type",
      want: "gitea",
    },
    {
      flags: { cacheDir: "tmp/cache" },
      source: "--cache-dir",
      key: "cache.dir",
      want: "/work/project/tmp/cache",
    },
  ];
  for (const { flags, source, key, want } of cases) {
    await t.step(source, () => {
      assert.deepEqual(configFromFlags(flags, OPTIONS), [
        { origin: { kind: "flag", source }, values: { [key]: want } },
      ]);
    });
  }
});

Deno.test("configFromFlags() skips undefined flags", () => {
  assert.deepEqual(configFromFlags({ registry: undefined, source: undefined }, OPTIONS), []);
});

Deno.test("configFromFlags() rejects bad values as usage errors naming the flag", async (t) => {
  const cases = [
    {
      flags: { source: "ftp" },
      message:
        'Flag --source: extensions.source_type must be one of "auto", "local", "oci-layout", "oci", "gitea", "git", "examples", got "ftp"',
    },
    {
      flags: { registry: "localhost:5000/ns" },
      message:
        'Flag --registry: oci.registry must be host[:port] (like "localhost:5000"), got "localhost:5000/ns"',
    },
    {
      flags: { cacheDir: "" },
      message: 'Flag --cache-dir: cache.dir must be a non-empty path, got ""',
    },
  ];
  for (const { flags, message } of cases) {
    await t.step(message, () => {
      assert.throws(() => configFromFlags(flags, OPTIONS), (error) => {
        assert.ok(isProvisioningError(error, "USAGE"));
        assert.equal(error.exitCode, 2);
        assert.equal(error.message, message);
        return true;
      });
    });
  }
});
