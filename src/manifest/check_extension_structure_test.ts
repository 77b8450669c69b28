import assert from "node:assert/strict";
import { join } from "node:path";
import { type Layout, makeExtensionDir, MINIMAL_MANIFEST } from "./_test_fs.ts";
import { checkExtensionStructure } from "./check_extension_structure.ts";

/** [behaviour, layout, expected problems with `<dir>` standing for the extension dir]. */
const CASES: ReadonlyArray<readonly [string, Layout, readonly string[]]> = [
  ["accepts a manifest alone", { files: { "extension.yaml": MINIMAL_MANIFEST } }, []],
  [
    "accepts every optional folder",
    {
      files: { "extension.yaml": MINIMAL_MANIFEST, "kcl/aws.k": "", "docs/README.md": "" },
      dirs: ["scripts", "templates"],
    },
    [],
  ],
  [
    "accepts other entries",
    { files: { "extension.yaml": MINIMAL_MANIFEST, "LICENSE": "", "tests/x.sh": "" } },
    [],
  ],
  [
    "follows symbolic links to folders",
    {
      files: { "extension.yaml": MINIMAL_MANIFEST },
      dirs: ["shared-kcl"],
      links: { kcl: "shared-kcl" },
    },
    [],
  ],
  ["requires extension.yaml", { dirs: ["kcl"] }, [
    "<dir>/extension.yaml: required file is missing",
  ]],
  [
    "requires extension.yaml to be a file",
    { dirs: ["extension.yaml"] },
    ["<dir>/extension.yaml: must be a file"],
  ],
  [
    "reports a broken link as extension.yaml",
    { links: { "extension.yaml": "nowhere.yaml" } },
    ["<dir>/extension.yaml: is a broken symbolic link"],
  ],
  ...["kcl", "scripts", "templates", "docs"].map((name) =>
    [
      `requires ${name} to be a folder`,
      { files: { "extension.yaml": MINIMAL_MANIFEST, [name]: "oops" } },
      [`<dir>/${name}: must be a directory`],
    ] as const
  ),
  [
    "reports a broken link as a folder",
    { files: { "extension.yaml": MINIMAL_MANIFEST }, links: { scripts: "gone" } },
    ["<dir>/scripts: is a broken symbolic link"],
  ],
  [
    "reports every problem at once",
    { files: { kcl: "", docs: "" } },
    [
      "<dir>/extension.yaml: required file is missing",
      "<dir>/kcl: must be a directory",
      "<dir>/docs: must be a directory",
    ],
  ],
];

Deno.test("checkExtensionStructure() checks the extension layout", async (t) => {
  for (const [behaviour, layout, expected] of CASES) {
    await t.step(`checkExtensionStructure() ${behaviour}`, async () => {
      const dir = await makeExtensionDir(layout);
      try {
        const problems = await checkExtensionStructure(dir);
        assert.deepEqual(problems, expected.map((line) => line.replace("<dir>", dir)));
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
});

Deno.test("checkExtensionStructure() reports a missing or non-directory root", async (t) => {
  const parent = await makeExtensionDir({ files: { "file.txt": "" } });
  try {
    await t.step("a missing directory", async () => {
      const dir = join(parent, "nope");
      assert.deepEqual(await checkExtensionStructure(dir), [
        `${dir}: extension directory does not exist`,
      ]);
    });
    await t.step("a file", async () => {
      const file = join(parent, "file.txt");
      assert.deepEqual(await checkExtensionStructure(file), [`${file}: must be a directory`]);
    });
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
