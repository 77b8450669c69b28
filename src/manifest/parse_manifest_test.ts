import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { isProvisioningError } from "../errors.ts";
import { parseManifest } from "./mod.ts";
import { validateExtensionDir } from "./validate_extension_dir.ts";

const FILE = "providers/aws/extension.yaml";

const VALID = `extension:
  name: aws
  version: 2.4.1
  type: provider
requires:
  - aws-cli
`;

Deno.test("parseManifest() returns the validated manifest", () => {
  assert.deepEqual(parseManifest(VALID, FILE), {
    extension: { name: "aws", version: "2.4.1", type: "provider" },
    requires: ["aws-cli"],
  });
});

Deno.test("parseManifest() throws INVALID_MANIFEST with the problem as message", async (t) => {
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    [
      "a bad version",
      VALID.replace("2.4.1", "1.2"),
      `${FILE}: extension.version: "1.2" is not a semantic version; write "1.2.0"`,
    ],
    [
      "a YAML syntax error, with its line",
      VALID.replace("  type: provider", "  type: [provider"),
      `${FILE}: invalid YAML at line 5, column 1: Flow collection must be sufficiently ` +
      "indented and end with a ] or }",
    ],
  ];
  for (const [behaviour, text, line] of cases) {
    await t.step(behaviour, () => {
      assert.throws(() => parseManifest(text, FILE), (error: unknown) => {
        assert.ok(isProvisioningError(error, "INVALID_MANIFEST"));
        assert.equal(error.exitCode, 2);
        assert.equal(error.message, line);
        assert.deepEqual(error.details, [line]);
        assert.ok(error.hint?.includes("extension.type"));
        return true;
      });
    });
  }
});

Deno.test("parseManifest() counts several problems and lists each in details", () => {
  const text = `extension:
  name: Aws
  version: 1.2
  type: plugin
dependencies:
  kubernetes: 1.28
`;
  assert.throws(() => parseManifest(text, FILE), (error: unknown) => {
    assert.ok(isProvisioningError(error, "INVALID_MANIFEST"));
    assert.equal(error.message, `${FILE}: 4 problems found`);
    assert.deepEqual(error.details, [
      `${FILE}: extension.name: "Aws" is not a valid extension name; write "aws"`,
      `${FILE}: extension.version: "1.2" is not a semantic version; write "1.2.0"`,
      `${FILE}: extension.type: "plugin" is not an extension type; expected one of provider, ` +
      "taskserv, cluster",
      `${FILE}: dependencies.kubernetes: cannot parse version spec "1.28": "1.28" is a partial ` +
      'version; write "1.28.x" or "1.28.0"',
    ]);
    return true;
  });
});

Deno.test("parseManifest() hands warnings to onWarning", () => {
  const warnings: string[] = [];
  parseManifest(`${VALID}labels: {}\n`, FILE, { onWarning: (w) => warnings.push(w) });
  assert.deepEqual(warnings, [`${FILE}: labels: unknown top-level key, ignored`]);
});

Deno.test("parseManifest() hands warnings over even when it throws", () => {
  const warnings: string[] = [];
  assert.throws(() =>
    parseManifest(`${VALID.replace("2.4.1", "x")}labels: {}\n`, FILE, {
      onWarning: (w) => warnings.push(w),
    })
  );
  assert.equal(warnings.length, 1);
});

/** The design's example manifest, byte for byte (tests/fixtures/seed_manifest/extension.yaml). */
const SEED_EXAMPLE = `extension:
  name: my-extension
  version: 1.0.0
  type: taskserv
  description: My custom extension
  author: Your Name <you@example.com>

requires:
  - docker
  - kubernetes

dependencies:
  - containerd
  - etcd

metadata:
  homepage: https://example.com
  repository: https://github.com/example/my-extension
  license: MIT
`;

const SEED_DIR = fileURLToPath(new URL("../../tests/fixtures/seed_manifest", import.meta.url));

const SEED_MANIFEST = {
  extension: {
    name: "my-extension",
    version: "1.0.0",
    type: "taskserv",
    description: "My custom extension",
    author: "Your Name <you@example.com>",
  },
  requires: ["docker", "kubernetes"],
  dependencies: { containerd: "*", etcd: "*" },
  metadata: {
    homepage: "https://example.com",
    repository: "https://github.com/example/my-extension",
    license: "MIT",
  },
};

Deno.test("parseManifest() accepts the design's example manifest", async (t) => {
  const text = await Deno.readTextFile(`${SEED_DIR}/extension.yaml`);
  await t.step("the fixture is the example byte for byte", () => {
    assert.equal(text, SEED_EXAMPLE);
  });
  await t.step("dependencies as a list of names mean any version", () => {
    const warnings: string[] = [];
    const manifest = parseManifest(text, "extension.yaml", { onWarning: (w) => warnings.push(w) });
    assert.deepEqual(manifest, SEED_MANIFEST);
    assert.deepEqual(manifest.dependencies, { containerd: "*", etcd: "*" });
    assert.deepEqual(manifest.requires, ["docker", "kubernetes"]);
    assert.deepEqual(warnings, []);
  });
  await t.step("its folder is a valid extension directory", async () => {
    assert.deepEqual(await validateExtensionDir(SEED_DIR), SEED_MANIFEST);
  });
});
