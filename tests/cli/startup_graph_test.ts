/**
 * The guard that keeps start-up cheap: what the hot paths evaluate must not reach a `node:`
 * module (the first one boots Deno's Node compatibility layer, ~10 ms per isolate) or an npm
 * package outside a short list of ES-module ones (CommonJS packages such as `semver`, `yaml`
 * or Commander cost 30-60 ms each). The hot paths: both threads of a broad launch before the
 * command runs (entry point, configuration, permission plan, worker plumbing), the command
 * tree (`--help`), an exact cache hit of `ext load` (source `auto` or `oci`), `ext cache list`,
 * and reading the manifests of local folders.
 *
 * Evaluating a module evaluates its static imports, so the walk follows `deno info`'s static
 * edges only; a dynamic `import()` is evaluated when it runs, which is what keeps the rest
 * (ranges, registries, YAML output, …) off these paths.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

/** npm packages the hot paths may evaluate: ES modules, cheap (add only such a package). */
const ESM_PACKAGES = new Set(["smol-toml", "@noble/hashes", "modern-tar", "js-yaml"]);

/** The modules on a hot path, with why each is one. */
const ENTRIES: Readonly<Record<string, string>> = {
  "main.ts": "both threads of every launch (the worker loads it again)",
  "src/permissions/launch_least_privilege.ts": "the launcher: configuration and plan",
  "src/cli/report_error.ts": "the error reporter main.ts loads beside it",
  "src/cli/config.ts": "every command's configuration load",
  "src/permissions/run_scoped.ts": "the scoped worker's plumbing",
  "src/permissions/ensure_permissions.ts": "every command's permission check",
  "src/cli/program.ts": "the command tree (--help and every command)",
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
  "src/manifest/read_manifest.ts": "every local extension.yaml",
  "src/manifest/validate_extension_dir.ts": "a local folder checked before use",
};

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier?: string }; isDynamic?: boolean }[];
}

/** What `deno info --json` prints (the parts the walk reads). */
interface ModuleInfo {
  roots: string[];
  modules: InfoModule[];
  redirects: Record<string, string>;
}

async function moduleInfo(entry: string): Promise<ModuleInfo> {
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
  if (!specifier.startsWith("npm:") || ESM_PACKAGES.has(packageName(specifier))) return undefined;
  return `npm package "${packageName(specifier)}", not one of the ES-module ones`;
}

/** Every refused module the root reaches by static imports, with its chain of imports. */
function offendingChains(info: ModuleInfo): string[] {
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const local = (specifier: string) => specifier.replace(ROOT.href, "");
  const parent = new Map<string, string | undefined>([[info.roots[0]!, undefined]]);
  const queue = [info.roots[0]!];
  const found: string[] = [];
  while (queue.length > 0) {
    const current = queue.shift()!;
    const why = refusal(current);
    if (why !== undefined) {
      const chain: string[] = [];
      for (let at: string | undefined = current; at !== undefined; at = parent.get(at)) {
        chain.unshift(local(at));
      }
      found.push(`${chain.join(" → ")} (${why})`);
      continue;
    }
    for (const dependency of modules.get(current)?.dependencies ?? []) {
      const target = dependency.code?.specifier;
      if (dependency.isDynamic || target === undefined) continue;
      const resolved = info.redirects[target] ?? target;
      if (parent.has(resolved)) continue;
      parent.set(resolved, current);
      queue.push(resolved);
    }
  }
  return found;
}

Deno.test("the hot paths evaluate no node: module and no CommonJS npm package", async (t) => {
  for (const [entry, why] of Object.entries(ENTRIES)) {
    await t.step(`${entry} (${why})`, async () => {
      const chains = offendingChains(await moduleInfo(entry));
      assert.deepEqual(chains, [], `${entry} reaches:\n${chains.join("\n")}`);
    });
  }
});

Deno.test("the walk names the chain to a refused module and skips dynamic imports", () => {
  const file = (name: string) => `${ROOT.href}${name}`;
  const info: ModuleInfo = {
    roots: [file("a.ts")],
    redirects: { "npm:semver@^7": "npm:/semver@7.8.6" },
    modules: [
      {
        specifier: file("a.ts"),
        dependencies: [
          { code: { specifier: file("b.ts") } },
          { code: { specifier: "npm:/yaml@2.9.1" }, isDynamic: true },
          { code: { specifier: "npm:/js-yaml@5.5.0" } },
        ],
      },
      {
        specifier: file("b.ts"),
        dependencies: [{ code: { specifier: "node:path" } }, {
          code: { specifier: "npm:semver@^7" },
        }],
      },
    ],
  };
  assert.deepEqual(offendingChains(info), [
    "a.ts → b.ts → node:path (a node: module)",
    'a.ts → b.ts → npm:/semver@7.8.6 (npm package "semver", not one of the ES-module ones)',
  ]);
});
