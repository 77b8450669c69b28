import assert from "node:assert/strict";
import { join } from "node:path";
import { isProvisioningError } from "../errors.ts";
import { makeExtensionDir, MINIMAL_MANIFEST } from "./_test_fs.ts";
import { readManifest } from "./read_manifest.ts";

Deno.test("readManifest() reads dir/extension.yaml", async () => {
  const dir = await makeExtensionDir({ files: { "extension.yaml": MINIMAL_MANIFEST } });
  try {
    assert.deepEqual(await readManifest(dir), {
      extension: { name: "aws", version: "2.4.1", type: "provider" },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readManifest() refuses what it cannot read, naming the path", async (t) => {
  const cases = [
    ["a missing manifest", {}, "is missing"],
    ["a manifest that is a directory", { dirs: ["extension.yaml"] }, "is a directory, not a file"],
  ] as const;
  for (const [behaviour, layout, reason] of cases) {
    await t.step(`readManifest() refuses ${behaviour}`, async () => {
      const dir = await makeExtensionDir(layout);
      try {
        await assert.rejects(readManifest(dir), (error: unknown) => {
          assert.ok(isProvisioningError(error, "INVALID_EXTENSION"));
          assert.equal(error.exitCode, 2);
          assert.equal(
            error.message,
            `Extension manifest ${JSON.stringify(join(dir, "extension.yaml"))} ${reason}`,
          );
          return true;
        });
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
  await t.step("readManifest() refuses a missing directory", async () => {
    await assert.rejects(
      readManifest("/nonexistent/provisioning/ext"),
      (error: unknown) =>
        isProvisioningError(error, "INVALID_EXTENSION") &&
        error.message.includes('"/nonexistent/provisioning/ext/extension.yaml"'),
    );
  });
});

Deno.test("readManifest() reports every problem with the file path", async () => {
  const dir = await makeExtensionDir({
    files: { "extension.yaml": "extension:\n  name: AWS\n  version: 2\n  type: provider\n" },
  });
  const file = join(dir, "extension.yaml");
  try {
    await assert.rejects(readManifest(dir), (error: unknown) => {
      assert.ok(isProvisioningError(error, "INVALID_MANIFEST"));
      assert.equal(error.message, `${file}: 2 problems found`);
      assert.deepEqual(error.details, [
        `${file}: extension.name: "AWS" is not a valid extension name; write "aws"`,
        `${file}: extension.version: "2" is not a semantic version; write "2.0.0"`,
      ]);
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readManifest() hands warnings to onWarning", async () => {
  const dir = await makeExtensionDir({ files: { "extension.yaml": `${MINIMAL_MANIFEST}x: 1\n` } });
  const warnings: string[] = [];
  try {
    await readManifest(dir, { onWarning: (warning) => warnings.push(warning) });
    assert.deepEqual(warnings, [
      `${join(dir, "extension.yaml")}: x: unknown top-level key, ignored`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readManifest() loads the range engine (semver) only for a dependency range", async () => {
  const { loadedRangeEngine, RangeEngineNeeded } = await import("../versions/_range_engine.ts");
  const manifest = (deps: string) => `${MINIMAL_MANIFEST}dependencies:\n${deps}`;
  const plain = await makeExtensionDir({
    files: { "extension.yaml": manifest('  kubernetes: "1.28.0"\n  etcd: latest\n') },
  });
  const ranged = await makeExtensionDir({
    files: { "extension.yaml": manifest('  kubernetes: "^1.28.0"\n') },
  });
  const bad = await makeExtensionDir({ files: { "extension.yaml": manifest('  etcd: "^^1"\n') } });
  try {
    assert.deepEqual((await readManifest(plain)).dependencies, {
      kubernetes: "1.28.0",
      etcd: "latest",
    });
    // Nothing in this file loaded it, and plain specs did not need it.
    assert.throws(() => loadedRangeEngine(), RangeEngineNeeded);
    assert.deepEqual((await readManifest(ranged)).dependencies, { kubernetes: "^1.28.0" });
    await assert.rejects(readManifest(bad), (error) => {
      assert.ok(isProvisioningError(error, "INVALID_MANIFEST"));
      assert.match(
        error.details.join("\n"),
        /dependencies\.etcd: cannot parse version spec "\^\^1"/,
      );
      return true;
    });
  } finally {
    for (const dir of [plain, ranged, bad]) await Deno.remove(dir, { recursive: true });
  }
});
