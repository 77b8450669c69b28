import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../config/mod.ts";
import { createSource } from "./create_source.ts";

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
