/**
 * The start-up fast path of `ext load NAME --version X.Y.Z`: when the answer is certainly a
 * cache hit, print it with Deno APIs alone, before commander, YAML, semver and the config
 * loader (which bring in Deno's Node compatibility layer) are loaded. The output is exactly
 * the full path's.
 *
 * It answers only when every input the full path would read is known to be at its default or
 * simple enough to mirror: no user or workspace config file, no environment variable but
 * `PROVISIONING_CACHE_DIR` and `PROVISIONING_EXTENSIONS_PATH`, no global flag but
 * `--cache-dir`, a plain `MAJOR.MINOR.PATCH` version, `-o, --format json|table`, the `auto`
 * source (then no local extension may mention the name, since `local` comes first) or
 * `--source oci`, and a cache entry of the default registry and namespace that {@linkcode fastCacheHit} is sure of. In
 * every other case it returns undefined and `main.ts` runs the full CLI. File system calls are
 * synchronous: a handful of small reads, where the async machinery would cost more.
 *
 * @module
 */

import type { ExitCode } from "../errors.ts";
import { fastCacheHit } from "../loader/fast_hit.ts";
import type { ExtensionType } from "../manifest/types.ts";
import type { CliContext } from "./io.ts";

/**
 * The configuration variables that make the fast path step aside when set (every one the
 * config loader reads except `PROVISIONING_CACHE_DIR` and `PROVISIONING_EXTENSIONS_PATH`,
 * which it mirrors). A test keeps this in step with `CONFIG_ENV_VARS`.
 */
export const FAST_PATH_BLOCKING_VARS: readonly string[] = [
  "PROVISIONING_CONFIG",
  "PROVISIONING_WORKSPACE",
  "PROVISIONING_OCI_REGISTRY",
  "PROVISIONING_OCI_NAMESPACE",
  "PROVISIONING_OCI_INSECURE",
  "PROVISIONING_SOURCE_TYPE",
  "PROVISIONING_GITEA_URL",
  "PROVISIONING_GITEA_TOKEN",
];

/**
 * The default registry and namespace (`DEFAULT_REGISTRY`, `DEFAULT_NAMESPACE`; not imported,
 * since that module loads `node:path`; a test keeps them in step).
 */
export const FAST_PATH_ORIGIN = {
  registry: "localhost:5000",
  namespace: "provisioning-extensions",
} as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const RELEASE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const TYPES = ["provider", "taskserv", "cluster"];
const MAX_SCAN_DEPTH = 4;

/** The parsed command line of a fast-path candidate. */
interface FastRequest {
  name: string;
  version: string;
  type: ExtensionType | undefined;
  source: "auto" | "oci";
  format: "json" | "table";
  cacheDir: string | undefined;
}

/**
 * Answers `ext load NAME --version X.Y.Z` from the cache when that is certainly what the full
 * CLI would print; otherwise does nothing.
 *
 * @example
 * ```ts
 * import { tryFastLoad } from "./ext_load_fast.ts";
 * import assert from "node:assert/strict";
 *
 * const ctx = {
 *   out: () => {}, err: () => {}, stderrIsTerminal: false, color: false,
 *   cwd: "/", home: "/nonexistent", getEnv: () => undefined,
 * };
 * assert.equal(await tryFastLoad(["ext", "list"], ctx), undefined);
 * ```
 *
 * @param argv Arguments after the program name.
 * @param ctx Output streams and environment.
 * @returns 0 after printing the result, or undefined to run the full CLI.
 */
export async function tryFastLoad(
  argv: readonly string[],
  ctx: CliContext,
): Promise<ExitCode | undefined> {
  try {
    if (Deno.build.os === "windows") return undefined;
    const request = parseArgv(argv);
    if (request === undefined) return undefined;
    if (FAST_PATH_BLOCKING_VARS.some((name) => (ctx.getEnv(name) ?? "") !== "")) return undefined;
    if (!isAbsolute(ctx.cwd) || !isAbsolute(ctx.home)) return undefined;
    if (exists(`${normalize(ctx.home)}/.provisioning/config.toml`)) return undefined;
    if (workspaceAbove(normalize(ctx.cwd))) return undefined;
    const cacheFlag = request.cacheDir;
    const cacheEnv = ctx.getEnv("PROVISIONING_CACHE_DIR") ?? "";
    const root = cacheFlag !== undefined
      ? resolve(cacheFlag, ctx.cwd, ctx.home)
      : cacheEnv !== ""
      ? resolve(cacheEnv, ctx.cwd, ctx.home)
      : `${normalize(ctx.home)}/.provisioning/cache`;
    if (request.source === "auto") {
      const paths = (ctx.getEnv("PROVISIONING_EXTENSIONS_PATH") ?? "").split(":")
        .filter((p) => p !== "").map((p) => resolve(p, ctx.cwd, ctx.home));
      // The bundled examples come after the registry: they never shadow its entry.
      if (paths.some((r) => r === undefined)) return undefined;
      for (const dir of paths) {
        if (mayHoldLocally(dir!, request.name, 0)) return undefined;
      }
    }
    const hit = await fastCacheHit(root, request.type, request.name, request.version);
    // With no configuration the only cached source is the default registry: an entry of any
    // other origin must not answer (the full path ignores it too).
    if (
      hit === undefined || hit.source !== "oci" || hit.registry !== FAST_PATH_ORIGIN.registry ||
      hit.repository !== `${FAST_PATH_ORIGIN.namespace}/${request.name}`
    ) return undefined;
    const shown = {
      success: true,
      name: hit.name,
      type: hit.type,
      version: hit.version,
      source: hit.source,
      path: hit.path,
      digest: hit.digest ?? null,
      reference: hit.digest === undefined
        ? null
        : `${hit.registry}/${hit.repository}@${hit.digest}`,
    };
    ctx.out(
      request.format === "json"
        ? JSON.stringify(shown, null, 2) + "\n"
        : `Loaded ${hit.type} ${hit.name} ${hit.version} from ${hit.source}: ${hit.path}\n`,
    );
    return 0;
  } catch {
    return undefined;
  }
}

/** The short spellings of `ext load`'s flags (`src/cli/commands/options.ts`). */
const SHORT_FLAGS: Readonly<Record<string, string>> = {
  "-t": "--type",
  "-s": "--source",
  "-o": "--format",
};

/** `[--cache-dir D] ext load NAME` with `--version`, `--type`, `--source`, `--format`. */
function parseArgv(argv: readonly string[]): FastRequest | undefined {
  const values = new Map<string, string>();
  const positional: string[] = [];
  const known = new Set(["--cache-dir", "--version", "--type", "--source", "--format"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("-")) {
      const eq = arg.indexOf("=");
      const given = eq > 0 ? arg.slice(0, eq) : arg;
      // `-t`, `-s`, `-o` as separate words (attached values take the full path).
      const flag = SHORT_FLAGS[given] ?? given;
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (!known.has(flag) || value === undefined || values.has(flag)) return undefined;
      if (value.startsWith("-")) return undefined;
      // `--cache-dir` is global: before `ext`; the others belong to `load`, after it.
      if (flag === "--cache-dir" ? positional.length !== 0 : positional.length < 2) {
        return undefined;
      }
      values.set(flag, value);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 3 || positional[0] !== "ext" || positional[1] !== "load") {
    return undefined;
  }
  const name = positional[2]!;
  const version = values.get("--version");
  const type = values.get("--type");
  const source = values.get("--source") ?? "auto";
  const format = values.get("--format") ?? "table";
  if (!NAME.test(name) || version === undefined || !RELEASE.test(version)) return undefined;
  if (type !== undefined && !TYPES.includes(type)) return undefined;
  if (source !== "auto" && source !== "oci") return undefined;
  if (format !== "json" && format !== "table") return undefined;
  return {
    name,
    version,
    type: type as ExtensionType | undefined,
    source,
    format,
    cacheDir: values.get("--cache-dir"),
  };
}

/**
 * Whether the local source might have (or fail on) `name` under `dir`, walked exactly like
 * its scanner: a manifest folder named like it, a manifest mentioning it, one it cannot
 * read, or escapes it cannot see through all count as "might".
 */
function mayHoldLocally(dir: string, name: string, depth: number): boolean {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory);
  }
  if (entries.some((e) => e.name === "extension.yaml" && !e.isDirectory)) {
    const parts = dir.split("/");
    if (parts.at(-1) === name || parts.at(-2) === name) return true;
    let text: string;
    try {
      text = Deno.readTextFileSync(`${dir}/extension.yaml`);
    } catch {
      return true;
    }
    return text.includes(name) || text.includes("\\");
  }
  if (depth >= MAX_SCAN_DEPTH) return false;
  for (const entry of entries) {
    if (!entry.isDirectory || entry.name.startsWith(".") || entry.name === "node_modules") continue;
    if (mayHoldLocally(`${dir}/${entry.name}`, name, depth + 1)) return true;
  }
  return false;
}

/** Whether a `workspace/config/local-overrides.toml` exists here or in a parent. */
function workspaceAbove(cwd: string): boolean {
  let dir = cwd;
  while (true) {
    const prefix = dir === "/" ? "" : dir;
    // A workspace config, or a workspace lock (whose version and digest a load must keep to).
    if (exists(`${prefix}/workspace/config/local-overrides.toml`)) return true;
    if (exists(`${prefix}/extensions.toml`)) return true;
    if (dir === "/") return false;
    dir = dir.slice(0, dir.lastIndexOf("/")) || "/";
  }
}

/** Whether anything is at `path` (any error but "not found" counts as yes). */
function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory);
  }
}

function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/** POSIX `path.resolve(base, path)` with a leading `~` meaning `home`, like the config's. */
function resolve(path: string, base: string, home: string): string {
  if (path === "~") return normalize(home);
  if (path.startsWith("~/")) return normalize(`${home}/${path.slice(2)}`);
  return normalize(isAbsolute(path) ? path : `${base}/${path}`);
}

/** Collapses `.`, `..`, repeated and trailing slashes of an absolute path. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}
