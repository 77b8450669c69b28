/**
 * The guard that keeps start-up cheap: what the launcher and the config load evaluate must not
 * reach a `node:` module (the first one boots Deno's Node layer, ~10 ms per isolate) or an npm
 * package outside a short list of ESM-only ones (CommonJS packages cost 30-60 ms each). Both
 * threads of a broad launch pay for these modules on every command, `--help` included.
 *
 * The module graph comes from `deno info --json`; only static edges are followed, since a
 * dynamic `import()` is evaluated only when it runs (a rare path may keep one).
 */

import assert from "node:assert/strict";

/** npm packages the hot path may evaluate: ESM-only and cheap (add only such a package). */
const ALLOWED_NPM: readonly string[] = ["smol-toml"];

/** What a broad launch evaluates before its command runs, in either thread. */
const ENTRIES: readonly string[] = [
  // Both threads: the entry point's static imports (the worker loads it again).
  "main.ts",
  // The launcher thread: the plan (config, registry places, realms, credential helpers)...
  "src/permissions/launch_least_privilege.ts",
  // ...and the error reporter main.ts imports beside it.
  "src/cli/report_error.ts",
  // The worker: the config load of every command, and the scoped-worker plumbing.
  "src/cli/config.ts",
  "src/permissions/run_scoped.ts",
  "src/permissions/ensure_permissions.ts",
  // The worker: the command tree, which `--help` and every command evaluate.
  "src/cli/program.ts",
];

const ROOT = new URL("../../", import.meta.url);

interface InfoModule {
  specifier: string;
  kind?: string;
  npmPackage?: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

interface Info {
  roots: string[];
  modules: InfoModule[];
  redirects?: Record<string, string>;
}

async function moduleGraph(path: string, cwd: string | URL = ROOT): Promise<Info> {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", path],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(success, `deno info ${path}: ${new TextDecoder().decode(stderr)}`);
  return JSON.parse(new TextDecoder().decode(stdout));
}

/** The package name of `name@version` (`@scope/name@version` too). */
function packageName(npmPackage: string): string {
  return npmPackage.slice(0, npmPackage.lastIndexOf("@"));
}

/**
 * Every static import of a forbidden module the root reaches, each as the chain of imports
 * that leads to it (`a.ts -> b.ts -> node:path`; file URLs below `base` shortened). Each
 * importing module is named, so one run lists every import to remove.
 */
function forbiddenChains(info: Info, allowedNpm: readonly string[], base = ROOT.href): string[] {
  const modules = new Map(info.modules.map((module) => [module.specifier, module]));
  const follow = (specifier: string) => {
    for (let seen = 0; info.redirects?.[specifier] !== undefined && seen < 10; seen++) {
      specifier = info.redirects[specifier]!;
    }
    return specifier;
  };
  const forbidden = (specifier: string) => {
    const module = modules.get(specifier);
    if (specifier.startsWith("node:") || module?.kind === "node") return true;
    if (module?.kind !== "npm" && !specifier.startsWith("npm:")) return false;
    const name = module?.npmPackage === undefined ? specifier : packageName(module.npmPackage);
    return !allowedNpm.includes(name);
  };
  const root = follow(info.roots[0]!);
  const parent = new Map<string, string | undefined>([[root, undefined]]);
  const queue = [root];
  const found: string[] = [];
  const chain = (specifier: string) => {
    const links: string[] = [];
    for (let at: string | undefined = specifier; at !== undefined; at = parent.get(at)) {
      links.unshift(at.startsWith(base) ? at.slice(base.length) : at);
    }
    return links.join(" -> ");
  };
  while (queue.length > 0) {
    const specifier = queue.shift()!;
    // An npm package's own imports are not in the graph; node: modules have none.
    if (!specifier.startsWith("file:")) continue;
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      if (dependency.isDynamic || dependency.code === undefined) continue;
      const target = follow(dependency.code.specifier);
      if (forbidden(target)) found.push(`${chain(specifier)} -> ${target}`);
      if (parent.has(target)) continue;
      parent.set(target, specifier);
      queue.push(target);
    }
  }
  return found;
}

for (const entry of ENTRIES) {
  Deno.test(`${entry} evaluates no node: module and no npm package but ${ALLOWED_NPM}`, async () => {
    const found = forbiddenChains(await moduleGraph(entry), ALLOWED_NPM);
    assert.deepEqual(found, [], `static imports reach:\n  ${found.join("\n  ")}`);
  });
}

Deno.test("forbiddenChains() names the chain to a node: module and to an npm package", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // a.ts -> b.ts -> node:path and smol-toml; a.ts's dynamic node:os is not evaluated up front.
    await Deno.writeTextFile(`${dir}/a.ts`, `import "./b.ts";\nawait import("node:os");\n`);
    await Deno.writeTextFile(`${dir}/b.ts`, `import "node:path";\nimport "npm:smol-toml@1.9.1";\n`);
    const info = await moduleGraph("a.ts", dir);
    const base = info.roots[0]!.slice(0, info.roots[0]!.lastIndexOf("/") + 1);
    assert.deepEqual(forbiddenChains(info, [], base), [
      "a.ts -> b.ts -> node:path",
      "a.ts -> b.ts -> npm:/smol-toml@1.9.1",
    ]);
    assert.deepEqual(forbiddenChains(info, ["smol-toml"], base), ["a.ts -> b.ts -> node:path"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
