// Validates every bundled example extension (examples/extensions) with the real validator,
// so the examples the CLI loads by default can never drift out of the manifest rules.
import assert from "node:assert/strict";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveVersion } from "../versions/resolve_version.ts";
import { OPTIONAL_EXTENSION_DIRS } from "./check_extension_structure.ts";
import type { ExtensionManifest } from "./types.ts";
import { validateExtensionDir } from "./validate_extension_dir.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/extensions", import.meta.url));

/** Every directory under `root` that holds an `extension.yaml`. */
async function findExtensionDirs(root: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await Array.fromAsync(Deno.readDir(root));
  if (entries.some((entry) => entry.isFile && entry.name === "extension.yaml")) return [root];
  for (
    const entry of entries.filter((e) => e.isDirectory).sort((a, b) => a.name < b.name ? -1 : 1)
  ) {
    found.push(...await findExtensionDirs(join(root, entry.name)));
  }
  return found;
}

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...await filesUnder(path));
    else files.push(path);
  }
  return files;
}

interface Example {
  dir: string;
  manifest: ExtensionManifest;
  warnings: string[];
}

async function loadExamples(): Promise<Example[]> {
  const examples: Example[] = [];
  for (const dir of await findExtensionDirs(EXAMPLES)) {
    const warnings: string[] = [];
    const manifest = await validateExtensionDir(dir, { onWarning: (w) => warnings.push(w) });
    examples.push({ dir, manifest, warnings });
  }
  return examples;
}

Deno.test("examples: every bundled extension validates without warnings", async (t) => {
  const dirs = await findExtensionDirs(EXAMPLES);
  assert.ok(dirs.length >= 4, `found ${dirs.length} examples`);
  for (const dir of dirs) {
    await t.step(relative(EXAMPLES, dir), async () => {
      const warnings: string[] = [];
      await validateExtensionDir(dir, { onWarning: (w) => warnings.push(w) });
      assert.deepEqual(warnings, []);
    });
  }
});

Deno.test("examples: the documented extensions are present", async (t) => {
  const examples = await loadExamples();
  const expected = [
    ["taskservs/kubernetes/1.28.0", "taskserv", "kubernetes", "1.28.0"],
    ["taskservs/kubernetes/1.29.1", "taskserv", "kubernetes", "1.29.1"],
    ["providers/aws", "provider", "aws", "2.4.1"],
    ["clusters/buildkit", "cluster", "buildkit", "0.12.0"],
  ] as const;
  for (const [path, type, name, version] of expected) {
    await t.step(`${path} is ${type} ${name} ${version}`, () => {
      const example = examples.find((e) => relative(EXAMPLES, e.dir) === path);
      assert.ok(example !== undefined, `missing ${path}`);
      assert.deepEqual(
        [
          example.manifest.extension.type,
          example.manifest.extension.name,
          example.manifest.extension.version,
        ],
        [type, name, version],
      );
    });
  }
});

Deno.test("examples: folders follow <type>s/<name>[/<version>]", async (t) => {
  for (const { dir, manifest } of await loadExamples()) {
    const { type, name, version } = manifest.extension;
    await t.step(relative(EXAMPLES, dir), () => {
      const parts = relative(EXAMPLES, dir).split("/");
      assert.equal(parts[0], `${type}s`);
      assert.equal(parts[1], name);
      if (parts.length === 3) assert.equal(parts[2], version);
      else assert.equal(parts.length, 2);
    });
  }
});

Deno.test("examples: each has kcl, scripts, templates and docs with content", async (t) => {
  for (const { dir, manifest } of await loadExamples()) {
    await t.step(relative(EXAMPLES, dir), async () => {
      for (const folder of OPTIONAL_EXTENSION_DIRS) {
        const files = await filesUnder(join(dir, folder));
        assert.ok(files.length > 0, `${folder}/ is empty`);
      }
      for (const script of await filesUnder(join(dir, "scripts"))) {
        const { mode } = await Deno.stat(script);
        assert.ok(mode !== null && (mode & 0o111) !== 0, `${basename(script)} is executable`);
        assert.match(await Deno.readTextFile(script), /^#!\/usr\/bin\/env bash\n/);
      }
      const kclMod = await Deno.readTextFile(join(dir, "kcl", "kcl.mod"));
      assert.match(kclMod, new RegExp(`^version = "${manifest.extension.version}"$`, "m"));
      assert.match(kclMod, new RegExp(`^name = "${manifest.extension.name}"$`, "m"));
      assert.ok((await Deno.readTextFile(join(dir, "docs", "README.md"))).includes(
        `${manifest.extension.name} ${manifest.extension.type} ${manifest.extension.version}`,
      ));
    });
  }
});

Deno.test("examples: dependencies resolve among the examples", async (t) => {
  const examples = await loadExamples();
  const versionsOf = (name: string) =>
    examples.filter((e) => e.manifest.extension.name === name).map((e) =>
      e.manifest.extension.version
    );
  const withDependencies = examples.filter((e) => e.manifest.dependencies !== undefined);
  assert.ok(withDependencies.length > 0);
  for (const { dir, manifest } of withDependencies) {
    for (const [name, spec] of Object.entries(manifest.dependencies ?? {})) {
      await t.step(`${relative(EXAMPLES, dir)} needs ${name} ${spec}`, () => {
        assert.ok(resolveVersion(spec, versionsOf(name)) !== undefined);
      });
    }
  }
  await t.step("buildkit's kubernetes ^1.28.0 resolves to 1.29.1", () => {
    const buildkit = examples.find((e) => e.manifest.extension.name === "buildkit");
    assert.equal(buildkit?.manifest.dependencies?.["kubernetes"], "^1.28.0");
    assert.equal(resolveVersion("^1.28.0", versionsOf("kubernetes")), "1.29.1");
    assert.equal(resolveVersion("~1.28.0", versionsOf("kubernetes")), "1.28.0");
  });
});

Deno.test("examples: no secrets in any file", async () => {
  const secretPatterns = [
    /AKIA[0-9A-Z]{16}/,
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    /aws_secret_access_key\s*=/i,
    /ghp_[A-Za-z0-9]{36}/,
  ];
  for (const file of await filesUnder(EXAMPLES)) {
    const text = await Deno.readTextFile(file);
    for (const pattern of secretPatterns) {
      assert.ok(!pattern.test(text), `${relative(EXAMPLES, file)} matches ${pattern}`);
    }
  }
});
