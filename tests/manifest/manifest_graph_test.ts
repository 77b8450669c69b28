/**
 * Reading a manifest must not boot Deno's Node layer nor evaluate an npm CommonJS package:
 * every local `ext load` and `ext list` parses `extension.yaml` files, and the `yaml` package
 * alone cost ~60 ms there. The module graph is walked along static imports only (a dynamic
 * `import()` is evaluated when called, not when the module loads).
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

/** npm packages that ship ESM, which Deno evaluates cheaply. */
const ESM_PACKAGES = new Set(["js-yaml"]);

/**
 * Reached through modules another change is moving off this path: package → the one module
 * allowed to import it statically, and why it still does.
 */
const ELSEWHERE: Readonly<Record<string, { importer: string; why: string }>> = {
  semver: {
    importer: "src/versions/_version_spec.ts",
    why: "dependency specs are checked with semver's ranges (src/versions is not this change's)",
  },
};

interface Dependency {
  specifier: string;
  code?: { specifier: string };
  isDynamic?: boolean;
}

interface GraphModule {
  specifier: string;
  kind?: string;
  npmPackage?: string;
  dependencies?: Dependency[];
}

const ROOT = new URL("../../", import.meta.url);

/** The modules `entry` evaluates, each with the chain of imports that reaches it. */
async function staticGraph(entry: string): Promise<Map<string, string[]>> {
  const file = fileURLToPath(new URL(entry, ROOT));
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", file],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  const info: {
    roots: string[];
    modules: GraphModule[];
    redirects: Record<string, string>;
  } = JSON.parse(new TextDecoder().decode(output.stdout));
  const modules = new Map(info.modules.map((module) => [module.specifier, module]));
  const chains = new Map<string, string[]>();
  const queue: [string, string[]][] = [[info.roots[0]!, []]];
  while (queue.length > 0) {
    const [specifier, before] = queue.shift()!;
    if (chains.has(specifier)) continue;
    const chain = [...before, short(specifier, modules.get(specifier))];
    chains.set(specifier, chain);
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      if (dependency.isDynamic || !dependency.code) continue;
      const target = dependency.code.specifier;
      queue.push([info.redirects[target] ?? target, chain]);
    }
  }
  return new Map([...chains].map(([specifier, chain]) => [
    short(specifier, modules.get(specifier)),
    chain,
  ]));
}

/** A module's name for messages: a repository path, `node:x`, or `npm:package`. */
function short(specifier: string, module: GraphModule | undefined): string {
  if (module?.kind === "npm" && module.npmPackage) {
    return `npm:${module.npmPackage.replace(/(.)@.*$/, "$1")}`;
  }
  return specifier.startsWith("file:") ? specifier.slice(ROOT.href.length) : specifier;
}

/** Every `node:` module and every npm package not known as ESM, with its import chain. */
function offenders(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  for (const [name, chain] of graph) {
    if (name.startsWith("node:")) found.push(chain.join(" → "));
    if (!name.startsWith("npm:")) continue;
    const pkg = name.slice("npm:".length);
    if (ESM_PACKAGES.has(pkg)) continue;
    if (ELSEWHERE[pkg]?.importer === chain.at(-2)) continue;
    found.push(chain.join(" → "));
  }
  return found;
}

const ENTRIES = [
  "src/manifest/try_parse_manifest.ts",
  "src/manifest/parse_manifest.ts",
  "src/manifest/read_manifest.ts",
  "src/manifest/validate_extension_dir.ts",
  "src/manifest/mod.ts",
];

Deno.test("reading a manifest evaluates no node: module and no CommonJS package", async (t) => {
  for (const entry of ENTRIES) {
    await t.step(entry, async () => {
      const graph = await staticGraph(entry);
      assert.ok(graph.has("npm:js-yaml"), "the walk reaches the YAML parser");
      assert.deepEqual(offenders(graph), []);
    });
  }
});

Deno.test("the local source reads manifests without the CommonJS yaml package", async () => {
  for (const entry of ["src/sources/local.ts", "src/sources/local_source.ts"]) {
    const graph = await staticGraph(entry);
    assert.ok(graph.has("src/manifest/try_parse_manifest.ts"), `${entry} parses manifests`);
    assert.equal(graph.get("npm:yaml")?.join(" → "), undefined);
  }
});
