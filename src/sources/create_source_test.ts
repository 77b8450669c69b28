import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../config/mod.ts";
import { selectSources } from "../discovery/select_sources.ts";
import { openSources } from "../discovery/_open_sources.ts";
import { createSource, unavailableError } from "./create_source.ts";

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

Deno.test("the local source scans once and reports an invalid manifest once", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(root, "good"));
    await Deno.writeTextFile(
      join(root, "good", "extension.yaml"),
      "extension:\n  name: good\n  version: 1.0.0\n  type: provider\n",
    );
    await Deno.mkdir(join(root, "bad"));
    await Deno.writeTextFile(join(root, "bad", "extension.yaml"), "extension: {}\n");
    const config = await loadConfig({
      cwd: root,
      home: root,
      env: { PROVISIONING_EXTENSIONS_PATH: root },
    });
    const warnings: string[] = [];
    const local = createSource("local", { config });
    const context = { signal: new AbortController().signal, warn: (m: string) => warnings.push(m) };
    const listing = await local.discover(context);
    assert.deepEqual(listing.extensions.map((e) => e.name), ["good"]);
    assert.deepEqual(await local.lookup("nope", context), []);
    const [good] = await local.lookup("good", context);
    await assert.rejects(local.describe(good!, "9.9.9", context), { code: "VERSION_NOT_FOUND" });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^skipping ".*bad"/);
    assert.equal(local.label, root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("discovery skips OCI without network permission in auto mode", async () => {
  const home = await Deno.makeTempDir();
  try {
    const config = await loadConfig({ cwd: home, home, env: {} });
    const status = await Deno.permissions.query({ name: "net", host: "localhost:5000" });
    const { set } = openSources({ config, source: "auto", skipUnavailable: true });
    set.close();
    const read = set.sources.map((s) => [s.source.kind, s.optional]);
    if (status.state === "granted") {
      assert.deepEqual(
        read.filter(([kind]) => kind === "oci"),
        [["oci", true]],
        "the default registry is optional in auto mode",
      );
    } else {
      assert.ok(!read.some(([kind]) => kind === "oci"));
      assert.equal(set.skipped[0]?.reason.code, "USAGE");
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("a source that is not set up is left out of auto and refused when asked", async () => {
  const home = await Deno.makeTempDir();
  try {
    const config = await loadConfig({ cwd: home, home, env: {} });
    const { set } = openSources({ config, source: "auto" });
    set.close();
    const kinds = set.sources.map((s) => s.source.kind);
    for (const kind of ["oci-layout", "gitea", "git"] as const) {
      assert.ok(!kinds.includes(kind), `${kind} is not set up`);
      assert.ok(!set.skipped.some((s) => s.source === kind), `${kind} is not reported`);
      assert.throws(() => openSources({ config, source: kind }), { code: "INVALID_CONFIG" });
    }
    // git without remotes still loads a URL: only listing it is refused.
    const git = createSource("git", { config });
    assert.equal(git.unavailable, undefined);
    assert.match(unavailableError(git, "list").message, /\[git\] remotes/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
