/**
 * The `local` source: extensions kept in folders on disk, loaded in place (no copy).
 *
 * Roots, highest precedence first: the configured `extensions.paths`
 * (`PROVISIONING_EXTENSIONS_PATH`), then the workspace's `extensions/` folder. The bundled
 * examples are not a local root: they are the separate `examples` source, tried last.
 *
 * Under a root, every directory holding an `extension.yaml` (up to four levels down) is an
 * extension; its manifest says its name, type and version, so any layout works
 * (`taskservs/kubernetes/1.28.0/`, `aws/`, …). Hidden directories are skipped and the
 * scanner does not descend into an extension.
 *
 * @module
 */

import { basename, dirname, join } from "../fs/path.ts";
import type { ResolvedConfig } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { parseManifest } from "../manifest/parse_manifest.ts";
import { withRangeEngine } from "../versions/_range_engine.ts";
import type { ExtensionManifest, ExtensionType } from "../manifest/types.ts";
import { isSemver } from "../versions/is_semver.ts";

/** How deep below a root the scanner looks for `extension.yaml`. */
const MAX_SCAN_DEPTH = 4;

/** An extension found on disk with a valid manifest. */
export interface LocalExtension {
  name: string;
  type: ExtensionType;
  version: string;
  /** The extension's directory (absolute when the root is). */
  path: string;
  manifest: ExtensionManifest;
  /** The manifest's warnings (unknown keys, with a did-you-mean), each a full line. */
  warnings?: readonly string[];
}

/** A directory with an `extension.yaml` that does not validate. */
export interface InvalidLocalExtension {
  path: string;
  /** The name the folder suggests (its own name, or its parent's when it is a version). */
  nameHint: string;
  error: ProvisioningError;
}

/** What a scan of the local roots found. */
export interface LocalScan {
  extensions: LocalExtension[];
  invalid: InvalidLocalExtension[];
  /** Roots that do not exist or are not folders (a typo in `PROVISIONING_EXTENSIONS_PATH`). */
  missingRoots?: string[];
}

/**
 * The warning for a configured extensions folder that is not there.
 *
 * @example
 * ```ts
 * import { missingRootWarning } from "./local.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(missingRootWarning("/srv/nope"), /^extensions folder "\/srv\/nope" does not exist/);
 * ```
 *
 * @param root The folder.
 * @returns One line.
 */
export function missingRootWarning(root: string): string {
  return `extensions folder "${root}" does not exist (PROVISIONING_EXTENSIONS_PATH / [extensions] paths); skipped`;
}

/**
 * The folders the local source reads, highest precedence first.
 *
 * @example
 * ```ts ignore
 * const roots = localRoots(config); // ["/srv/exts", "/home/me/ws/workspace/extensions"]
 * ```
 *
 * @param config The effective configuration.
 * @returns Existing-or-not folder paths; empty when nothing is configured.
 */
export async function localRoots(config: ResolvedConfig): Promise<string[]> {
  const roots = [...config.settings.extensions.paths];
  if (config.workspace !== undefined) {
    const workspaceExtensions = join(config.workspace, "extensions");
    if (await isDirectory(workspaceExtensions)) roots.push(workspaceExtensions);
  }
  return roots;
}

/** The two sources made of folders used in place. */
export type FolderSourceKind = "local" | "examples";

/**
 * The folders a folder source reads: {@linkcode localRoots} for `local`, the bundled
 * examples for `examples`.
 *
 * @example
 * ```ts
 * import { folderRoots } from "./local.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({ cwd: "/", home: "/nonexistent", env: {} });
 * assert.deepEqual(await folderRoots("local", config), []);
 * assert.match((await folderRoots("examples", config))[0]!, /examples[\\/]extensions$/);
 * ```
 *
 * @param kind Which source.
 * @param config The effective configuration.
 * @returns The folders, highest precedence first.
 */
export async function folderRoots(
  kind: FolderSourceKind,
  config: ResolvedConfig,
): Promise<string[]> {
  return kind === "examples" ? [bundledExamplesDir()] : await localRoots(config);
}

/**
 * The directory of the examples shipped with the tool (the `examples` source):
 * `examples/extensions` beside the sources, or beside `dist/` when running the one-file
 * bundle.
 *
 * @example
 * ```ts
 * import { bundledExamplesDir } from "./local.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(bundledExamplesDir(), /examples[\\/]extensions$/);
 * ```
 *
 * @returns An absolute path to `examples/extensions`.
 */
export function bundledExamplesDir(): string {
  // This module's folder as a path (not node:url's fileURLToPath: no node: module here).
  const here = import.meta.dirname;
  if (here === undefined) throw new TypeError(`The URL must be of scheme file: ${import.meta.url}`);
  const candidates = ["../../examples/extensions", "../examples/extensions"].map((rel) =>
    join(here, rel)
  );
  return candidates.find(isDirectorySync) ?? candidates[0]!;
}

function isDirectorySync(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Finds every extension under the given roots. Folders that do not exist are skipped;
 * manifests that do not validate are returned in `invalid`, not thrown.
 *
 * @example
 * ```ts
 * import { bundledExamplesDir, scanLocalExtensions } from "./local.ts";
 * import assert from "node:assert/strict";
 *
 * const scan = await scanLocalExtensions([bundledExamplesDir()]);
 * assert.ok(scan.extensions.some((e) => e.name === "kubernetes"));
 * ```
 *
 * @param roots Folders to scan, highest precedence first.
 * @returns Valid extensions in root order, then path order; invalid ones and missing roots
 *   separately.
 */
export async function scanLocalExtensions(roots: readonly string[]): Promise<LocalScan> {
  const perRoot = await Promise.all(roots.map((root) => findManifestDirs(root, 0)));
  const present = await Promise.all(roots.map(isDirectory));
  const dirs = perRoot.flat();
  const loaded = await Promise.all(dirs.map(readLocalExtension));
  const scan: LocalScan = {
    extensions: [],
    invalid: [],
    missingRoots: roots.filter((_, i) => !present[i]),
  };
  for (const item of loaded) {
    if ("error" in item) scan.invalid.push(item);
    else scan.extensions.push(item);
  }
  return scan;
}

/**
 * The versions of one extension found locally, de-duplicated (the first root wins).
 *
 * @param scan A scan result.
 * @param name Extension name.
 * @param type When given, only extensions of this type.
 * @returns Matching extensions, at most one per version.
 */
export function localCandidates(
  scan: LocalScan,
  name: string,
  type?: ExtensionType,
): LocalExtension[] {
  const seen = new Set<string>();
  const result: LocalExtension[] = [];
  for (const ext of scan.extensions) {
    if (ext.name !== name || (type !== undefined && ext.type !== type)) continue;
    const key = `${ext.type}/${ext.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(ext);
  }
  return result;
}

async function readLocalExtension(dir: string): Promise<LocalExtension | InvalidLocalExtension> {
  const file = join(dir, "extension.yaml");
  try {
    const warnings: string[] = [];
    const text = await Deno.readTextFile(file);
    const manifest = await withRangeEngine(() =>
      parseManifest(text, file, { onWarning: (warning) => warnings.push(warning) })
    );
    const { name, type, version } = manifest.extension;
    return { name, type, version, path: dir, manifest, warnings };
  } catch (error) {
    // A permission refusal is the caller's set-up, not a broken extension: let it surface.
    if (error instanceof Deno.errors.NotCapable) throw error;
    const wrapped = error instanceof ProvisioningError ? error : new ProvisioningError(
      "INVALID_MANIFEST",
      `Cannot read "${file}": ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
    return { path: dir, nameHint: folderNameHint(dir), error: wrapped };
  }
}

function folderNameHint(dir: string): string {
  const own = basename(dir);
  return isSemver(own.replace(/^v/, "")) ? basename(dirname(dir)) : own;
}

async function findManifestDirs(dir: string, depth: number): Promise<string[]> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return [];
    }
    throw error;
  }
  if (entries.some((e) => e.name === "extension.yaml" && !e.isDirectory)) return [dir];
  if (depth >= MAX_SCAN_DEPTH) return [];
  const subdirs = entries
    .filter((e) => e.isDirectory && !e.name.startsWith(".") && e.name !== "node_modules")
    .map((e) => e.name)
    .sort();
  const nested = await Promise.all(subdirs.map((n) => findManifestDirs(join(dir, n), depth + 1)));
  return nested.flat();
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}
