import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../config/mod.ts";
import { createDiscoverers, createLocalDiscoverer, selectSources } from "./discoverers.ts";

Deno.test("selectSources() expands auto in auto_order, and takes one source as given", () => {
  assert.deepEqual(selectSources("auto", ["oci", "gitea", "local"]), [
    "oci",
    "gitea",
    "local",
    "oci-layout",
    "git",
  ]);
  assert.deepEqual(selectSources("auto", ["gitea"]), [
    "gitea",
    "local",
    "oci-layout",
    "oci",
    "git",
  ]);
  assert.deepEqual(selectSources("local", []), ["local"]);
  assert.deepEqual(selectSources("oci-layout", []), ["oci-layout"]);
});

Deno.test("createLocalDiscoverer() scans once and reports an invalid manifest once", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(root, "good"));
    await Deno.writeTextFile(
      join(root, "good", "extension.yaml"),
      "extension:\n  name: good\n  version: 1.0.0\n  type: provider\n",
    );
    await Deno.mkdir(join(root, "bad"));
    await Deno.writeTextFile(join(root, "bad", "extension.yaml"), "extension: {}\n");
    const warnings: string[] = [];
    const local = createLocalDiscoverer([root]);
    const context = { signal: new AbortController().signal, warn: (m: string) => warnings.push(m) };
    const listing = await local.discover(context);
    assert.deepEqual(listing.extensions.map((e) => e.name), ["good"]);
    assert.deepEqual(await local.lookup("nope", context), []);
    const [good] = await local.lookup("good", context);
    await assert.rejects(local.describe(good!, "9.9.9", context), { code: "VERSION_NOT_FOUND" });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^skipping ".*bad"/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("createDiscoverers() skips OCI without network permission in auto mode", async () => {
  const home = await Deno.makeTempDir();
  try {
    const config = await loadConfig({ cwd: home, home, env: {} });
    const status = await Deno.permissions.query({ name: "net", host: "localhost:5000" });
    const set = await createDiscoverers(config, ["local", "oci"], { skipUnavailable: true });
    set.close();
    if (status.state === "granted") {
      assert.deepEqual(set.discoverers.map((d) => [d.source, d.optional ?? false]), [
        ["local", false],
        ["oci", true],
      ], "the default registry is optional in auto mode");
    } else {
      assert.deepEqual(set.discoverers.map((d) => d.source), ["local"]);
      assert.equal(set.skipped[0]?.reason.code, "USAGE");
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
