// The guard that keeps the hot paths cheap: an exact cache hit of `ext load NAME --version
// X.Y.Z` (source `auto` or `oci`) and `ext cache list` must evaluate no `node:` module (each
// boots Deno's Node compatibility layer) and no CommonJS npm package (`semver`, `yaml`,
// `commander` cost 30-60 ms each). Evaluating a module evaluates its static imports, so the
// walk follows `deno info`'s static edges only; dynamic imports are what keeps the rest off.

import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

/** The modules a hit (and a cache listing) evaluates, with why each is one. */
const ENTRIES: Record<string, string> = {
  "src/cli/ext_load.ts": "runLoad up to printing the result",
  "src/loader/load.ts": "loadExtension and the resolution chain",
  "src/sources/_source_of_kind.ts": "openSource, which the chain opens every source with",
  "src/sources/local_source.ts": "auto asks the local folders first",
  "src/sources/oci_layout_source.ts": "auto asks the OCI layouts next",
  "src/sources/oci_source.ts": "the registry whose cache entry answers",
  "src/cache/get.ts": "the cache lookup",
  "src/sources/from_cache_entry.ts": "the hit as a loaded extension (its manifest read)",
  "src/manifest/extension_name.ts": "imported by runLoad on every load",
  "src/workspace/locked_version.ts": "imported by runLoad for every extension name",
  "src/cli/ext_cache.ts": "runCacheList",
};

/** Loading the configuration has its own guard (the launcher's), which covers these. */
const CHECKED_ELSEWHERE = new Set(["src/cli/config.ts"]);

/** npm packages that are ES modules and cheap to evaluate. */
const ESM_PACKAGES = new Set(["smol-toml", "@noble/hashes", "modern-tar", "js-yaml"]);

/**
 * The manifest parser still uses npm `yaml` (CommonJS) while it is moved to `js-yaml`: drop
 * it from here once that is done, so the guard covers it too.
 */
const NOT_YET_REPLACED = new Set(["yaml"]);

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier?: string }; isDynamic?: boolean }[];
}

interface Info {
  roots: string[];
  modules: InfoModule[];
  redirects: Record<string, string>;
}

async function moduleGraph(entry: string): Promise<Info> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

/** `semver` for `npm:/semver@7.8.6`, `@noble/hashes` for `npm:/@noble/hashes@2.4.0/sha2.js`. */
function packageName(specifier: string): string {
  const path = specifier.replace(/^npm:\/?/, "");
  const parts = path.split("/");
  const name = path.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  return name.replace(/(?<=.)@.*$/, "");
}

/** Why `specifier` may not be evaluated on a hot path, or undefined when it may. */
function refusal(specifier: string): string | undefined {
  if (specifier.startsWith("node:")) return "a node: module";
  if (!specifier.startsWith("npm:")) return undefined;
  const name = packageName(specifier);
  if (ESM_PACKAGES.has(name) || NOT_YET_REPLACED.has(name)) return undefined;
  return `npm package "${name}", not one of the cheap ES modules`;
}

/** Every refused module reached from the graph's root by static imports, with its chain. */
function offendingChains(info: Info): string[] {
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const local = (specifier: string) => specifier.replace(ROOT.href, "");
  const parent = new Map<string, string | undefined>([[info.roots[0]!, undefined]]);
  const queue = [info.roots[0]!];
  const found: string[] = [];
  while (queue.length > 0) {
    const current = queue.shift()!;
    const why = refusal(current);
    if (why !== undefined || CHECKED_ELSEWHERE.has(local(current))) {
      if (why === undefined) continue;
      const chain: string[] = [];
      for (let at: string | undefined = current; at !== undefined; at = parent.get(at)) {
        chain.unshift(local(at));
      }
      found.push(`${chain.join(" → ")} (${why})`);
      continue;
    }
    for (const dependency of modules.get(current)?.dependencies ?? []) {
      const target = dependency.code?.specifier;
      if (target === undefined || dependency.isDynamic === true) continue;
      const resolved = info.redirects[target] ?? target;
      if (parent.has(resolved)) continue;
      parent.set(resolved, current);
      queue.push(resolved);
    }
  }
  return found;
}

Deno.test("a cache hit and the cache listing evaluate no node: module nor CommonJS package", async () => {
  const graphs = await Promise.all(Object.keys(ENTRIES).map(moduleGraph));
  const problems = Object.entries(ENTRIES).flatMap(([entry, why], i) =>
    offendingChains(graphs[i]!).map((chain) => `${entry} (${why}): ${chain}`)
  );
  assert.deepEqual(problems, [], `static imports reach:\n${problems.join("\n")}`);
});

Deno.test("the walk finds a refused module and names its chain", () => {
  const info: Info = {
    roots: [`${ROOT.href}a.ts`],
    modules: [
      { specifier: `${ROOT.href}a.ts`, dependencies: [{ code: { specifier: "./b.ts" } }] },
      {
        specifier: `${ROOT.href}b.ts`,
        dependencies: [
          { code: { specifier: "node:path" } },
          { code: { specifier: "npm:semver@^7" }, isDynamic: true },
          { code: { specifier: "npm:/@noble/hashes@2.4.0/sha2.js" } },
          { code: { specifier: "npm:js-yaml@^5" } },
        ],
      },
    ],
    redirects: { "./b.ts": `${ROOT.href}b.ts`, "npm:js-yaml@^5": "npm:/js-yaml@5.5.0" },
  };
  assert.deepEqual(offendingChains(info), ["a.ts → b.ts → node:path (a node: module)"]);
  info.modules[1]!.dependencies!.push({ code: { specifier: "npm:/commander@14.0.3" } });
  assert.deepEqual(offendingChains(info), [
    "a.ts → b.ts → node:path (a node: module)",
    'a.ts → b.ts → npm:/commander@14.0.3 (npm package "commander", not one of the cheap ES modules)',
  ]);
});
