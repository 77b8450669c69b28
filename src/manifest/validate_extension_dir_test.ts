import assert from "node:assert/strict";
import { join } from "node:path";
import { type ErrorCode, isProvisioningError } from "../errors.ts";
import { type Layout, makeExtensionDir, MINIMAL_MANIFEST } from "./_test_fs.ts";
import { validateExtensionDir } from "./validate_extension_dir.ts";

Deno.test("validateExtensionDir() returns the manifest of a valid extension", async () => {
  const dir = await makeExtensionDir({
    files: {
      "extension.yaml": MINIMAL_MANIFEST,
      "kcl/aws.k": "schema Aws:\n    region: str\n",
      "scripts/install.sh": "#!/bin/sh\n",
      "templates/user-data.j2": "",
      "docs/README.md": "# aws\n",
    },
  });
  try {
    assert.equal((await validateExtensionDir(dir)).extension.name, "aws");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** [behaviour, layout, code, message (`<dir>`, `<file>` substituted), details]. */
const CASES: ReadonlyArray<
  readonly [string, Layout, ErrorCode, string, readonly string[]]
> = [
  [
    "a missing manifest",
    { dirs: ["kcl"] },
    "INVALID_EXTENSION",
    "<file>: required file is missing",
    ["<file>: required file is missing"],
  ],
  [
    "a bad manifest alone",
    { files: { "extension.yaml": MINIMAL_MANIFEST.replace("2.4.1", "1.2") } },
    "INVALID_MANIFEST",
    '<file>: extension.version: "1.2" is not a semantic version; write "1.2.0"',
    ['<file>: extension.version: "1.2" is not a semantic version; write "1.2.0"'],
  ],
  [
    "layout and manifest problems together",
    {
      files: {
        "extension.yaml": MINIMAL_MANIFEST.replace("2.4.1", "1.2").replace("provider", "x"),
        scripts: "",
      },
    },
    "INVALID_EXTENSION",
    "<dir>: 3 problems found",
    [
      "<dir>/scripts: must be a directory",
      '<file>: extension.version: "1.2" is not a semantic version; write "1.2.0"',
      '<file>: extension.type: "x" is not an extension type; expected one of provider, ' +
      "taskserv, cluster",
    ],
  ],
  [
    "a manifest that is a directory",
    { dirs: ["extension.yaml", "docs"] },
    "INVALID_EXTENSION",
    "<file>: must be a file",
    ["<file>: must be a file"],
  ],
];

Deno.test("validateExtensionDir() reports layout and manifest problems at once", async (t) => {
  for (const [behaviour, layout, code, message, details] of CASES) {
    await t.step(`validateExtensionDir() refuses ${behaviour}`, async () => {
      const dir = await makeExtensionDir(layout);
      const file = join(dir, "extension.yaml");
      const fill = (line: string) => line.replace("<file>", file).replace("<dir>", dir);
      try {
        await assert.rejects(validateExtensionDir(dir), (error: unknown) => {
          assert.ok(isProvisioningError(error, code), String(error));
          assert.equal(error.exitCode, 2);
          assert.equal(error.message, fill(message));
          assert.deepEqual(error.details, details.map(fill));
          return true;
        });
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
});

Deno.test("validateExtensionDir() refuses a missing directory", async () => {
  await assert.rejects(
    validateExtensionDir("/nonexistent/provisioning/ext"),
    (error: unknown) =>
      isProvisioningError(error, "INVALID_EXTENSION") &&
      error.message === "/nonexistent/provisioning/ext: extension directory does not exist",
  );
});

Deno.test("validateExtensionDir() hands warnings to onWarning", async () => {
  const dir = await makeExtensionDir({ files: { "extension.yaml": `${MINIMAL_MANIFEST}x: 1\n` } });
  const warnings: string[] = [];
  try {
    await validateExtensionDir(dir, { onWarning: (warning) => warnings.push(warning) });
    assert.equal(warnings.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
