import assert from "node:assert/strict";
import { loadConfig } from "../config/mod.ts";
import { createSource, unavailableError } from "../sources/create_source.ts";
import { openSources } from "./_open_sources.ts";

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
