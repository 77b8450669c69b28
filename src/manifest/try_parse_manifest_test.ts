import assert from "node:assert/strict";
import { tryParseManifest } from "./mod.ts";
import type { ManifestProblem } from "./types.ts";

const FILE = "clusters/buildkit/extension.yaml";

const VALID = `# BuildKit cluster
extension:
  name: buildkit
  version: 0.12.0
  type: cluster
  description: BuildKit daemons on Kubernetes
dependencies:
  kubernetes: ^1.28.0
metadata:
  license: Apache-2.0
`;

Deno.test("tryParseManifest() parses a valid manifest", () => {
  assert.deepEqual(tryParseManifest(VALID, FILE), {
    manifest: {
      extension: {
        name: "buildkit",
        version: "0.12.0",
        type: "cluster",
        description: "BuildKit daemons on Kubernetes",
      },
      dependencies: { kubernetes: "^1.28.0" },
      metadata: { license: "Apache-2.0" },
    },
    problems: [],
    warnings: [],
  });
});

/** [behaviour, YAML text, expected problems]. */
const CASES: ReadonlyArray<readonly [string, string, readonly ManifestProblem[]]> = [
  ["an unclosed flow sequence", "extension: [1,\nname: x\n", [{
    path: "",
    message: "invalid YAML at line 2, column 1: Flow sequence in block collection must be " +
      "sufficiently indented and end with a ]",
  }]],
  ["a duplicate key", "extension:\n  name: a\n  name: b\n", [{
    path: "",
    message: "invalid YAML at line 3, column 3: Map keys must be unique",
  }]],
  ["bad indentation", "extension:\n  name: a\n version: 1.0.0\n", [{
    path: "",
    message: "invalid YAML at line 3, column 1: All mapping items must start at the same column",
  }]],
  ["an unclosed quote", "extension:\n  name: 'aws\n", [{
    path: "",
    message: "invalid YAML at line 3, column 1: Missing closing 'quote",
  }]],
  ["tabs as indentation", "extension:\n\tname: aws\n", [{
    path: "",
    message: "invalid YAML at line 2, column 1: Tabs are not allowed as indentation",
  }]],
  ["two documents", "extension: {}\n---\nextension: {}\n", [{
    path: "",
    message: "invalid YAML at line 2, column 1: the file holds more than one YAML document",
  }]],
  ["an alias without an anchor", "extension:\n  name: aws\n  version: *v\n", [{
    path: "",
    message: "invalid YAML at line 3, column 12: Unresolved alias (the anchor must be set " +
      "before the alias): v",
  }]],
  ["an empty file", "", [{
    path: "",
    message: 'the manifest is empty, expected an "extension:" block',
  }]],
  ["a file with only comments", "# nothing here\n", [{
    path: "",
    message: 'the manifest is empty, expected an "extension:" block',
  }]],
  ["a version written as a YAML number", VALID.replace("0.12.0", "0.12"), [{
    path: "extension.version",
    message: '"0.12" is not a semantic version; write "0.12.0"',
  }]],
  ["a version whose YAML number drops a zero", VALID.replace("0.12.0", "1.20"), [{
    path: "extension.version",
    message: '"1.20" is not a semantic version; write "1.20.0"',
  }]],
  ["a dependency spec written as a YAML number", VALID.replace("^1.28.0", "1.28"), [{
    path: "dependencies.kubernetes",
    message: 'cannot parse version spec "1.28": "1.28" is a partial version; write "1.28.x" or ' +
      '"1.28.0"',
  }]],
  [
    "a dependency item version written as a YAML number",
    VALID.replace("  kubernetes: ^1.28.0", "  - name: kubernetes\n    version: 1.20"),
    [{
      path: "dependencies[0].version",
      message: 'cannot parse version spec "1.20": "1.20" is a partial version; write "1.20.x" ' +
        'or "1.20.0"',
    }],
  ],
  ["a quoted partial version", VALID.replace("0.12.0", '"1.2"'), [{
    path: "extension.version",
    message: '"1.2" is not a semantic version; write "1.2.0"',
  }]],
];

Deno.test("tryParseManifest() reports YAML and field problems with their place", async (t) => {
  for (const [behaviour, text, expected] of CASES) {
    await t.step(`tryParseManifest() reports ${behaviour}`, () => {
      const result = tryParseManifest(text, FILE);
      assert.equal(result.manifest, undefined);
      assert.deepEqual(result.problems, expected);
    });
  }
});

Deno.test("tryParseManifest() keeps anchors and aliases working", () => {
  const text = VALID.replace("kubernetes: ^1.28.0", "kubernetes: &k8s ^1.28.0\n  k8s-tools: *k8s");
  assert.deepEqual(tryParseManifest(text, FILE).manifest?.dependencies, {
    kubernetes: "^1.28.0",
    "k8s-tools": "^1.28.0",
  });
});

Deno.test("tryParseManifest() returns warnings for unknown keys", () => {
  const result = tryParseManifest(`${VALID}maintainers:\n  - ops\n`, FILE);
  assert.ok(result.manifest !== undefined);
  assert.deepEqual(result.warnings, [`${FILE}: maintainers: unknown top-level key, ignored`]);
});
