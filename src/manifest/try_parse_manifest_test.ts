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
    message: "invalid YAML at line 2, column 1: Flow collection must be sufficiently " +
      "indented and end with a ] or }",
  }]],
  ["a duplicate key", "extension:\n  name: a\n  name: b\n", [{
    path: "",
    message: "invalid YAML at line 3, column 3: Map keys must be unique",
  }]],
  ["bad indentation", "extension:\n  name: a\n version: 1.0.0\n", [{
    path: "",
    message: "invalid YAML at line 3, column 2: All mapping items must start at the same column",
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
  ["an unclosed quote at the end of the file", "extension:\n  name: 'aws", [{
    path: "",
    message: "invalid YAML at line 2, column 13: Missing closing 'quote",
  }]],
  ["an unclosed flow mapping", "extension: {name: x,\nversion: 1\n", [{
    path: "",
    message: "invalid YAML at line 2, column 1: Flow collection must be sufficiently " +
      "indented and end with a ] or }",
  }]],
  ["keys that are the same once read", VALID.replace("kubernetes: ^1.28.0", "'1': a\n  1: b"), [{
    path: "",
    message: "invalid YAML at line 9, column 3: Map keys must be unique",
  }]],
  ["a second document after an end marker", "extension: {}\n...\nother: 1\n", [{
    path: "",
    message: "invalid YAML at line 3, column 1: the file holds more than one YAML document",
  }]],
  ["a version that is an alias of a YAML number", `x: &v 1.20\n${VALID.replace("0.12.0", "*v")}`, [{
    path: "extension.version",
    message: '"1.2" is not a semantic version; write "1.2.0"',
  }]],
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

/** A manifest whose `requires` nests `levels` lists of `width` aliases of the list before. */
function aliasBomb(levels: number, width: number): string {
  let text = `${VALID}requires:\n  l0: &l0 [x]\n`;
  for (let level = 1; level <= levels; level++) {
    text += `  l${level}: &l${level} [${Array(width).fill(`*l${level - 1}`).join(", ")}]\n`;
  }
  return text;
}

Deno.test("tryParseManifest() refuses aliases that multiply the document", async (t) => {
  await t.step("a billion laughs", () => {
    assert.deepEqual(tryParseManifest(aliasBomb(9, 9), FILE).problems, [{
      path: "",
      message: "invalid YAML at line 15, column 12: Excessive alias count indicates a " +
        "resource exhaustion attack",
    }]);
  });
  await t.step("nine lists of nine copies stay within the limit", () => {
    assert.deepEqual(tryParseManifest(aliasBomb(2, 9), FILE).problems, []);
  });
  await t.step("a scalar used 99 times besides its anchor, not 100", () => {
    const uses = (n: number) =>
      `${VALID}requires:\n  a: &a x\n  b: [${Array(n).fill("*a").join(", ")}]\n`;
    assert.deepEqual(tryParseManifest(uses(99), FILE).problems, []);
    assert.equal(
      tryParseManifest(uses(100), FILE).problems[0]?.message,
      "invalid YAML at line 13, column 403: Excessive alias count indicates a resource " +
        "exhaustion attack",
    );
  });
});

Deno.test("tryParseManifest() reads an alias of a version written as a number as its text", () => {
  const text = VALID.replace("kubernetes: ^1.28.0", "kubernetes: &v 1.28\n  k8s-tools: *v");
  assert.deepEqual(tryParseManifest(text, FILE).problems.map((problem) => problem.path), [
    "dependencies.kubernetes",
    "dependencies.k8s-tools",
  ]);
  assert.match(tryParseManifest(text, FILE).problems[1]!.message, /"1\.28" is a partial/);
});

Deno.test("tryParseManifest() reads YAML 1.2: merge keys are plain keys, no timestamps", () => {
  const text = `${VALID.replace("  license: Apache-2.0", "  license: 2024-01-01")}<<: {a: 1}\n`;
  const result = tryParseManifest(text, FILE);
  assert.equal(result.manifest?.metadata?.license, "2024-01-01");
  assert.deepEqual(result.warnings, [`${FILE}: ["<<"]: unknown top-level key, ignored`]);
});
