import assert from "node:assert/strict";
import type { ExtensionManifest, ExtensionType, ManifestProblem } from "./types.ts";
import { validateManifest } from "./mod.ts";

const FILE = "taskservs/kubernetes/extension.yaml";

/** A complete, valid manifest; cases below change one thing at a time. */
function base(): Record<string, unknown> {
  return {
    extension: {
      name: "kubernetes",
      version: "1.28.0",
      type: "taskserv",
      description: "Kubernetes control plane and kubelet",
      author: "Provisioning Team",
    },
    requires: { kcl: ">=0.9.0", tools: ["curl", "systemctl"] },
    dependencies: { containerd: "^1.7.0", etcd: "3.5.0-3.5.15" },
    metadata: {
      homepage: "https://kubernetes.io",
      repository: "https://github.com/kubernetes/kubernetes",
      license: "Apache-2.0",
    },
  };
}

/** `base()` with `path` (dotted) set to `value`, or deleted when `value` is `DELETE`. */
function withField(path: string, value: unknown): Record<string, unknown> {
  const data = base();
  const keys = path.split(".");
  const last = keys.pop() ?? "";
  let target = data;
  for (const key of keys) target = target[key] as Record<string, unknown>;
  if (value === DELETE) delete target[last];
  else target[last] = value;
  return data;
}
const DELETE = Symbol("delete");

Deno.test("validateManifest() accepts valid manifests", async (t) => {
  const cases: ReadonlyArray<readonly [string, unknown, ExtensionManifest]> = [
    ["a complete manifest", base(), base() as unknown as ExtensionManifest],
    [
      "the minimal manifest",
      { extension: { name: "aws", version: "2.4.1", type: "provider" } },
      { extension: { name: "aws", version: "2.4.1", type: "provider" } },
    ],
    [
      "requires as a list",
      { extension: { name: "aws", version: "2.4.1", type: "provider" }, requires: ["jq"] },
      { extension: { name: "aws", version: "2.4.1", type: "provider" }, requires: ["jq"] },
    ],
    [
      "empty optional values as absent",
      {
        extension: { name: "aws", version: "2.4.1", type: "provider", description: null },
        requires: null,
        dependencies: null,
        metadata: { license: null },
      },
      { extension: { name: "aws", version: "2.4.1", type: "provider" }, metadata: {} },
    ],
    [
      "pre-release and build versions",
      { extension: { name: "aws", version: "2.5.0-rc.1+build.7", type: "provider" } },
      { extension: { name: "aws", version: "2.5.0-rc.1+build.7", type: "provider" } },
    ],
    [
      "every version spec form in dependencies",
      {
        extension: { name: "buildkit", version: "0.12.0", type: "cluster" },
        dependencies: {
          a: "1.2.3",
          b: "^1.2.0",
          c: "~1.2.0",
          d: "1.2.0-1.5.0",
          e: "1.2.0 - 1.5.0",
          f: ">=1.2.0 <2.0.0",
          g: "1.x",
          h: "*",
          i: "latest",
          j: "^1.0.0 || ^2.0.0",
        },
      },
      {
        extension: { name: "buildkit", version: "0.12.0", type: "cluster" },
        dependencies: {
          a: "1.2.3",
          b: "^1.2.0",
          c: "~1.2.0",
          d: "1.2.0-1.5.0",
          e: "1.2.0 - 1.5.0",
          f: ">=1.2.0 <2.0.0",
          g: "1.x",
          h: "*",
          i: "latest",
          j: "^1.0.0 || ^2.0.0",
        },
      },
    ],
  ];
  for (const [behaviour, data, expected] of cases) {
    await t.step(`validateManifest() accepts ${behaviour}`, () => {
      const result = validateManifest(data, FILE);
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.manifest, expected);
    });
  }
});

Deno.test("validateManifest() accepts every extension type", async (t) => {
  for (const type of ["provider", "taskserv", "cluster"]) {
    await t.step(type, () => {
      assert.equal(
        validateManifest(withField("extension.type", type), FILE).manifest?.extension.type,
        type,
      );
    });
  }
});

/** [behaviour, data, the one expected problem]. */
const INVALID: ReadonlyArray<readonly [string, unknown, ManifestProblem]> = [
  ["an empty document", null, {
    path: "",
    message: 'the manifest is empty, expected an "extension:" block',
  }],
  ["a list at the top level", [1], {
    path: "",
    message: "expected a mapping at the top level, got a list",
  }],
  ["a string at the top level", "extension", {
    path: "",
    message: 'expected a mapping at the top level, got a string ("extension")',
  }],
  ["a missing extension block", withField("extension", DELETE), {
    path: "extension",
    message: "is required",
  }],
  ["an extension block that is a list", withField("extension", ["aws"]), {
    path: "extension",
    message: "expected a mapping with name, version and type, got a list",
  }],
  // name
  ["a missing name", withField("extension.name", DELETE), {
    path: "extension.name",
    message: "is required",
  }],
  ["an empty name", withField("extension.name", ""), {
    path: "extension.name",
    message: "must not be empty",
  }],
  ["a name that is a number", withField("extension.name", 42), {
    path: "extension.name",
    message: "expected a string, got a number (42)",
  }],
  ["an upper-case name", withField("extension.name", "Kubernetes"), {
    path: "extension.name",
    message: '"Kubernetes" is not a valid extension name; write "kubernetes"',
  }],
  ["a name with a dot", withField("extension.name", "my.ext"), {
    path: "extension.name",
    message: '"my.ext" is not a valid extension name; use lower-case letters and digits, ' +
      'separated by "-" or "_"',
  }],
  ["a name with a leading dash", withField("extension.name", "-k8s"), {
    path: "extension.name",
    message: '"-k8s" is not a valid extension name; use lower-case letters and digits, ' +
      'separated by "-" or "_"',
  }],
  ["a name over 128 characters", withField("extension.name", "a".repeat(129)), {
    path: "extension.name",
    message: "is 129 characters long, the limit is 128",
  }],
  // version
  ["a missing version", withField("extension.version", DELETE), {
    path: "extension.version",
    message: "is required",
  }],
  ["a partial version", withField("extension.version", "1.2"), {
    path: "extension.version",
    message: '"1.2" is not a semantic version; write "1.2.0"',
  }],
  ["a version that YAML read as a number", withField("extension.version", 1.2), {
    path: "extension.version",
    message: '"1.2" is not a semantic version; write "1.2.0"',
  }],
  ["a v-prefixed version", withField("extension.version", "v1.28.0"), {
    path: "extension.version",
    message: '"v1.28.0" is not a semantic version; write "1.28.0"',
  }],
  ["a version with four parts", withField("extension.version", "1.2.3.4"), {
    path: "extension.version",
    message: '"1.2.3.4" is not a semantic version; expected MAJOR.MINOR.PATCH such as "1.2.0"',
  }],
  ["a version range", withField("extension.version", "^1.2.0"), {
    path: "extension.version",
    message: '"^1.2.0" is not a semantic version; expected MAJOR.MINOR.PATCH such as "1.2.0"',
  }],
  ["a version that is a list", withField("extension.version", ["1.2.0"]), {
    path: "extension.version",
    message: "expected a string, got a list",
  }],
  // type
  ["a missing type", withField("extension.type", DELETE), {
    path: "extension.type",
    message: "is required (provider, taskserv, cluster)",
  }],
  ["an unknown type", withField("extension.type", "plugin"), {
    path: "extension.type",
    message: '"plugin" is not an extension type; expected one of provider, taskserv, cluster',
  }],
  ["a type in the wrong case", withField("extension.type", "Taskserv"), {
    path: "extension.type",
    message: '"Taskserv" is not an extension type; expected one of provider, taskserv, cluster',
  }],
  ["a type that is a boolean", withField("extension.type", true), {
    path: "extension.type",
    message: "expected one of provider, taskserv, cluster, got a boolean (true)",
  }],
  // description, author
  ["a description that is a mapping", withField("extension.description", { a: 1 }), {
    path: "extension.description",
    message: "expected a string, got a mapping",
  }],
  ["an author that is a list", withField("extension.author", ["a", "b"]), {
    path: "extension.author",
    message: "expected a string, got a list",
  }],
  // requires
  ["requires that is a string", withField("requires", "kcl"), {
    path: "requires",
    message: 'expected a mapping or a list, got a string ("kcl")',
  }],
  // dependencies
  ["dependencies that are a string", withField("dependencies", "etcd"), {
    path: "dependencies",
    message:
      'expected a list, or a mapping of extension name to version spec, got a string ("etcd")',
  }],
  ["a dependency with a bad spec", withField("dependencies.etcd", ">>3"), {
    path: "dependencies.etcd",
    message: 'cannot parse version spec ">>3": expected a version or a range',
  }],
  ["a dependency with a partial spec", withField("dependencies.etcd", 3.5), {
    path: "dependencies.etcd",
    message:
      'cannot parse version spec "3.5": "3.5" is a partial version; write "3.5.x" or "3.5.0"',
  }],
  ["a dependency without a spec", withField("dependencies.etcd", null), {
    path: "dependencies.etcd",
    message: 'is required (a version spec such as "^1.2.0" or "*")',
  }],
  ["a dependency spec that is a list", withField("dependencies.etcd", ["3.5.0"]), {
    path: "dependencies.etcd",
    message: "expected a version spec, got a list",
  }],
  ["a dependency with a bad name", withField("dependencies.Etcd", "^3.5.0"), {
    path: "dependencies.Etcd",
    message: '"Etcd" is not a valid extension name; write "etcd"',
  }],
  ["a dependency name with a space", withField("dependencies", { "my ext": "*" }), {
    path: 'dependencies["my ext"]',
    message: '"my ext" is not a valid extension name; use lower-case letters and digits, ' +
      'separated by "-" or "_"',
  }],
  ["a dependency on itself", withField("dependencies.kubernetes", "*"), {
    path: "dependencies.kubernetes",
    message: "an extension cannot depend on itself",
  }],
  // metadata
  ["metadata that is a list", withField("metadata", ["x"]), {
    path: "metadata",
    message: "expected a mapping (homepage, repository, license), got a list",
  }],
  ["a homepage that is a number", withField("metadata.homepage", 3), {
    path: "metadata.homepage",
    message: "expected a string, got a number (3)",
  }],
  ["a repository that is a mapping", withField("metadata.repository", { url: "x" }), {
    path: "metadata.repository",
    message: "expected a string, got a mapping",
  }],
  ["an empty license", withField("metadata.license", "  "), {
    path: "metadata.license",
    message: "must not be empty",
  }],
];

Deno.test("validateManifest() reports each rule with its field path", async (t) => {
  for (const [behaviour, data, expected] of INVALID) {
    await t.step(`validateManifest() refuses ${behaviour}`, () => {
      const result = validateManifest(data, FILE);
      assert.equal(result.manifest, undefined);
      assert.deepEqual(result.problems, [expected]);
    });
  }
});

/** A manifest of kubernetes with `dependencies` set to `value`. */
function withDependencies(value: unknown): Record<string, unknown> {
  return withField("dependencies", value);
}

/** `base()`'s expected manifest with these dependencies (and their types, when given). */
function expectDependencies(
  dependencies: Record<string, string>,
  dependencyTypes?: Record<string, ExtensionType>,
): ExtensionManifest {
  const manifest = base() as unknown as ExtensionManifest;
  manifest.dependencies = dependencies;
  if (dependencyTypes !== undefined) {
    // Key order of the result: dependencyTypes comes right after dependencies.
    const { metadata, ...rest } = manifest;
    return { ...rest, dependencyTypes, ...(metadata === undefined ? {} : { metadata }) };
  }
  return manifest;
}

Deno.test("validateManifest() normalises every dependencies form", async (t) => {
  const cases: ReadonlyArray<readonly [string, unknown, ExtensionManifest]> = [
    [
      "a list of names, any version",
      withDependencies(["containerd", "etcd"]),
      expectDependencies({ containerd: "*", etcd: "*" }),
    ],
    [
      "name@spec items",
      withDependencies(["etcd@^3.5.0", "containerd@>=1.7.0 <2.0.0", "cni@*"]),
      expectDependencies({ etcd: "^3.5.0", containerd: ">=1.7.0 <2.0.0", cni: "*" }),
    ],
    [
      "name@spec items with spaces around the @",
      withDependencies(["etcd @ ^3.5.0"]),
      expectDependencies({ etcd: "^3.5.0" }),
    ],
    [
      "{name, version, type} items",
      withDependencies([
        { name: "containerd", version: "^1.7.0", type: "taskserv" },
        { name: "aws", type: "provider" },
        { name: "etcd", version: "3.5.0-3.5.15" },
        { name: "cni" },
      ]),
      expectDependencies(
        { containerd: "^1.7.0", aws: "*", etcd: "3.5.0-3.5.15", cni: "*" },
        { containerd: "taskserv", aws: "provider" },
      ),
    ],
    [
      "{name, version} items with empty version and type as absent",
      withDependencies([{ name: "etcd", version: null, type: null }]),
      expectDependencies({ etcd: "*" }),
    ],
    [
      "every item form in one list",
      withDependencies(["containerd", "etcd@^3.5.0", { name: "buildkit", type: "cluster" }]),
      expectDependencies(
        { containerd: "*", etcd: "^3.5.0", buildkit: "*" },
        { buildkit: "cluster" },
      ),
    ],
    ["an empty list", withDependencies([]), expectDependencies({})],
    [
      "a mapping of name to spec, as before",
      withDependencies({ containerd: "^1.7.0", etcd: "*" }),
      expectDependencies({ containerd: "^1.7.0", etcd: "*" }),
    ],
    [
      "a mapping with dependencyTypes (the normalised form of a config blob)",
      { ...withDependencies({ aws: "*" }), dependencyTypes: { aws: "provider" } },
      expectDependencies({ aws: "*" }, { aws: "provider" }),
    ],
    [
      "dependencyTypes agreeing with the types of the items",
      {
        ...withDependencies([{ name: "aws", type: "provider" }]),
        dependencyTypes: { aws: "provider" },
      },
      expectDependencies({ aws: "*" }, { aws: "provider" }),
    ],
  ];
  for (const [behaviour, data, expected] of cases) {
    await t.step(`validateManifest() accepts ${behaviour}`, () => {
      const result = validateManifest(data, FILE);
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.warnings, []);
      assert.deepEqual(result.manifest, expected);
    });
  }
});

Deno.test("validateManifest() reads back its own manifest serialised as JSON", () => {
  const first = validateManifest(
    withDependencies(["etcd@^3.5.0", { name: "aws", version: "^2.0.0", type: "provider" }]),
    FILE,
  );
  assert.ok(first.manifest !== undefined);
  const again = validateManifest(JSON.parse(JSON.stringify(first.manifest)), FILE);
  assert.deepEqual(again.warnings, []);
  assert.deepEqual(again.manifest, first.manifest);
});

/** [behaviour, dependencies (or a whole manifest), every expected problem]. */
const INVALID_DEPENDENCIES: ReadonlyArray<
  readonly [string, unknown, readonly ManifestProblem[]]
> = [
  ["an item that is a number", [42], [{
    path: "dependencies[0]",
    message: 'expected an extension name, "name@spec" or a mapping with name, version and ' +
      "type, got a number (42)",
  }]],
  ["an item that is a list", ["etcd", ["containerd"]], [{
    path: "dependencies[1]",
    message: 'expected an extension name, "name@spec" or a mapping with name, version and ' +
      "type, got a list",
  }]],
  ["an empty item", ["etcd", null], [{
    path: "dependencies[1]",
    message: 'expected an extension name, "name@spec" or a mapping with name, version and ' +
      "type, got nothing",
  }]],
  ["an empty name", [""], [{ path: "dependencies[0]", message: "must not be empty" }]],
  ["a bad name", ["containerd", "Etcd"], [{
    path: "dependencies[1]",
    message: '"Etcd" is not a valid extension name; write "etcd"',
  }]],
  ["a bad name before @", ["my.ext@^1.0.0"], [{
    path: "dependencies[0]",
    message: '"my.ext" is not a valid extension name; use lower-case letters and digits, ' +
      'separated by "-" or "_"',
  }]],
  ["a bad spec after @", ["containerd", "etcd@>>3"], [{
    path: "dependencies[1]",
    message: 'cannot parse version spec ">>3": expected a version or a range',
  }]],
  ["a partial spec after @", ["etcd@3.5"], [{
    path: "dependencies[0]",
    message:
      'cannot parse version spec "3.5": "3.5" is a partial version; write "3.5.x" or "3.5.0"',
  }]],
  ["nothing after @", ["etcd@"], [{
    path: "dependencies[0]",
    message: '"etcd@" has no version spec after "@"; write "etcd" for any version',
  }]],
  ["nothing before @", ["@^3.5.0"], [{
    path: "dependencies[0]",
    message: '"@^3.5.0" has no extension name before "@"',
  }]],
  ["a name listed twice", ["etcd", "containerd", "etcd@^3.5.0"], [{
    path: "dependencies[2]",
    message: '"etcd" is already listed at dependencies[0]',
  }]],
  ["a name listed twice in two forms", ["etcd", { name: "etcd", version: "^3.5.0" }], [{
    path: "dependencies[1].name",
    message: '"etcd" is already listed at dependencies[0]',
  }]],
  ["a dependency on itself by name", ["etcd", "kubernetes"], [{
    path: "dependencies[1]",
    message: "an extension cannot depend on itself",
  }]],
  ["a dependency on itself by name@spec", ["kubernetes@^1.0.0"], [{
    path: "dependencies[0]",
    message: "an extension cannot depend on itself",
  }]],
  ["a dependency on itself by {name}", [{ name: "kubernetes" }], [{
    path: "dependencies[0].name",
    message: "an extension cannot depend on itself",
  }]],
  ["an item without a name", [{ version: "^3.5.0" }], [{
    path: "dependencies[0].name",
    message: "is required",
  }]],
  ["an item with a bad name", ["etcd", { name: "Containerd" }], [{
    path: "dependencies[1].name",
    message: '"Containerd" is not a valid extension name; write "containerd"',
  }]],
  ["an item with a bad version", ["etcd", { name: "containerd", version: ">>1" }], [{
    path: "dependencies[1].version",
    message: 'cannot parse version spec ">>1": expected a version or a range',
  }]],
  ["an item with a partial version number", [{ name: "etcd", version: 3.5 }], [{
    path: "dependencies[0].version",
    message:
      'cannot parse version spec "3.5": "3.5" is a partial version; write "3.5.x" or "3.5.0"',
  }]],
  ["an item with a version that is a list", [{ name: "etcd", version: ["3.5.0"] }], [{
    path: "dependencies[0].version",
    message: "expected a version spec, got a list",
  }]],
  ["an item with an unknown type", [{ name: "etcd", type: "plugin" }], [{
    path: "dependencies[0].type",
    message: '"plugin" is not an extension type; expected one of provider, taskserv, cluster',
  }]],
  ["an item with a type that is a number", [{ name: "etcd", type: 1 }], [{
    path: "dependencies[0].type",
    message: "expected one of provider, taskserv, cluster, got a number (1)",
  }]],
  ["several bad items, each at its index", ["Etcd", { name: "cni", version: "1.2" }, 7], [
    { path: "dependencies[0]", message: '"Etcd" is not a valid extension name; write "etcd"' },
    {
      path: "dependencies[1].version",
      message:
        'cannot parse version spec "1.2": "1.2" is a partial version; write "1.2.x" or "1.2.0"',
    },
    {
      path: "dependencies[2]",
      message: 'expected an extension name, "name@spec" or a mapping with name, version and ' +
        "type, got a number (7)",
    },
  ]],
  [
    "dependencyTypes that are a list",
    { ...withDependencies(["aws"]), dependencyTypes: ["provider"] },
    [{
      path: "dependencyTypes",
      message: "expected a mapping of dependency name to extension type, got a list",
    }],
  ],
  [
    "dependencyTypes naming something that is not a dependency",
    { ...withDependencies(["aws"]), dependencyTypes: { gcp: "provider" } },
    [{ path: "dependencyTypes.gcp", message: '"gcp" is not one of the dependencies' }],
  ],
  [
    "dependencyTypes with a bad type",
    { ...withDependencies(["aws"]), dependencyTypes: { aws: "plugin" } },
    [{
      path: "dependencyTypes.aws",
      message: '"plugin" is not an extension type; expected one of provider, taskserv, cluster',
    }],
  ],
  [
    "dependencyTypes contradicting an item",
    {
      ...withDependencies([{ name: "aws", type: "provider" }]),
      dependencyTypes: { aws: "cluster" },
    },
    [{
      path: "dependencyTypes.aws",
      message: '"cluster" contradicts dependencies[0].type ("provider")',
    }],
  ],
];

Deno.test("validateManifest() reports dependencies problems by item", async (t) => {
  for (const [behaviour, value, expected] of INVALID_DEPENDENCIES) {
    await t.step(`validateManifest() refuses ${behaviour}`, () => {
      const data = Array.isArray(value) ? withDependencies(value) : value;
      const result = validateManifest(data, FILE);
      assert.equal(result.manifest, undefined);
      assert.deepEqual(result.problems, expected);
    });
  }
});

Deno.test("validateManifest() reports every problem at once", () => {
  const result = validateManifest({
    extension: { name: "Aws", version: "1.2", type: "plugin", author: 7 },
    requires: "kcl",
    dependencies: { Etcd: "1.2", ok: "^1.0.0" },
    metadata: { homepage: false },
  }, FILE);
  assert.equal(result.manifest, undefined);
  assert.deepEqual(result.problems.map((problem) => problem.path), [
    "extension.name",
    "extension.version",
    "extension.type",
    "extension.author",
    "requires",
    "dependencies.Etcd",
    "dependencies.Etcd",
    "metadata.homepage",
  ]);
});

Deno.test("validateManifest() warns about unknown keys and drops them", async (t) => {
  const cases: ReadonlyArray<readonly [string, string, unknown, string]> = [
    ["top level", "maintainers", ["a"], `${FILE}: maintainers: unknown top-level key, ignored`],
    ["extension", "extension.tags", ["k8s"], `${FILE}: extension.tags: unknown key, ignored`],
    ["metadata", "metadata.docs", "x", `${FILE}: metadata.docs: unknown key, ignored`],
  ];
  for (const [where, path, value, warning] of cases) {
    await t.step(`an unknown key in ${where}`, () => {
      const result = validateManifest(withField(path, value), FILE);
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.warnings, [warning]);
      assert.deepEqual(result.manifest, base());
    });
  }
  await t.step("an unknown key in a dependencies item", () => {
    const result = validateManifest(
      withDependencies(["containerd", { name: "etcd", version: "^3.5.0", optional: true }]),
      FILE,
    );
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.warnings, [
      `${FILE}: dependencies[1].optional: unknown key, ignored`,
    ]);
    assert.deepEqual(result.manifest, expectDependencies({ containerd: "*", etcd: "^3.5.0" }));
  });
  await t.step("warnings come with problems too", () => {
    const data = withField("extension.version", "1.2");
    data["extra"] = true;
    const result = validateManifest(data, FILE);
    assert.equal(result.problems.length, 1);
    assert.deepEqual(result.warnings, [`${FILE}: extra: unknown top-level key, ignored`]);
  });
});
