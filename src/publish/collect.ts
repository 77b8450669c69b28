/**
 * Walks an extension directory in a fixed order and lists what will be packaged, refusing
 * anything unsafe before a single byte is written.
 *
 * @module
 */

import { posix } from "node:path";
import { ProvisioningError } from "../errors.ts";
import {
  createIgnoreMatcher,
  IGNORE_FILE_NAME,
  type IgnoreMatcher,
  type IgnoreRule,
  parseIgnoreRules,
  SECRET_RULES,
} from "./ignore.ts";
import { type CollectedEntry, DEFAULT_MAX_FILE_SIZE } from "./types.ts";

/** Options of {@linkcode collectExtensionFiles}. */
export interface CollectOptions {
  /** Largest file allowed, in bytes (default {@linkcode DEFAULT_MAX_FILE_SIZE}). */
  maxFileSize?: number;
  /** Which paths are left out (default: {@linkcode loadIgnoreMatcher} of the root). */
  ignore?: IgnoreMatcher;
  /**
   * Receives each path left out only because it looks like a secret (`.env`, `*.pem`…; see
   * `SECRET_PATTERNS`), so the caller can say so. Not called with `ignore` given.
   */
  onSecretLeftOut?: (path: string) => void;
}

/** One reason an entry cannot be packaged. */
interface Refusal {
  path: string;
  reason: string;
}

/**
 * Lists the entries of an extension directory that will be packaged, depth first with each
 * folder's children sorted by their UTF-8 bytes (the order `oras push` and
 * `tar --sort=name` use), skipping ignored paths (see `ignore.ts`).
 *
 * Refused, all reported at once: absolute symlinks; symlinks whose target leaves the
 * extension (lexically or after resolving other links), does not exist, or is not shipped;
 * files larger than `maxFileSize`; names with a backslash; fifos, sockets and devices.
 *
 * @example
 * ```ts
 * import { collectExtensionFiles } from "./collect.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/kcl`);
 * await Deno.writeTextFile(`${dir}/kcl/main.k`, "x = 1\n");
 * await Deno.writeTextFile(`${dir}/extension.yaml`, "extension: {}\n");
 * await Deno.mkdir(`${dir}/.git`);
 * const entries = await collectExtensionFiles(dir);
 * assert.deepEqual(entries.map((e) => e.path), ["extension.yaml", "kcl", "kcl/main.k"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param root The extension directory.
 * @param options Size limit and ignore matcher.
 * @returns The entries in tar order, paths relative to `root`.
 * @throws {ProvisioningError} `INVALID_EXTENSION` naming every refused path and its rule.
 */
export async function collectExtensionFiles(
  root: string,
  options: CollectOptions = {},
): Promise<CollectedEntry[]> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const realRoot = await resolveRoot(root);
  const rules = options.ignore === undefined ? await readIgnoreRules(realRoot) : [];
  const ignore = options.ignore ?? createIgnoreMatcher([...SECRET_RULES, ...rules]);
  // What the ignore file alone would leave out, to tell a secret left out by default.
  const byFileAlone = options.ignore === undefined ? createIgnoreMatcher(rules) : ignore;
  const entries: CollectedEntry[] = [];
  const refusals: Refusal[] = [];

  const walk = async (relDir: string): Promise<void> => {
    const absDir = relDir === "" ? realRoot : `${realRoot}/${relDir}`;
    const names: string[] = [];
    for await (const dirEntry of Deno.readDir(absDir)) names.push(dirEntry.name);
    names.sort(compareUtf8);
    for (const name of names) {
      const path = relDir === "" ? name : `${relDir}/${name}`;
      const abs = `${realRoot}/${path}`;
      const info = await Deno.lstat(abs);
      if (ignore(path, info.isDirectory)) {
        if (!byFileAlone(path, info.isDirectory)) options.onSecretLeftOut?.(path);
        continue;
      }
      // Loaders refuse `\` in entry names (a separator on Windows): never publish one.
      if (name.includes("\\")) {
        refusals.push({ path, reason: "the name contains a backslash, which loaders refuse" });
        continue;
      }
      if (info.isDirectory) {
        entries.push({ path, type: "directory", size: 0, mode: 0o755 });
        await walk(path);
      } else if (info.isFile) {
        if (info.size > maxFileSize) {
          refusals.push({
            path,
            reason: `file is ${info.size} bytes, over the ${maxFileSize}-byte limit`,
          });
        }
        const executable = ((info.mode ?? 0) & 0o111) !== 0;
        entries.push({ path, type: "file", size: info.size, mode: executable ? 0o755 : 0o644 });
      } else if (info.isSymlink) {
        const linkTarget = await Deno.readLink(abs);
        const reason = await checkSymlink(realRoot, path, linkTarget, ignore);
        if (reason !== undefined) refusals.push({ path, reason });
        entries.push({ path, type: "symlink", size: 0, mode: 0o777, linkTarget });
      } else {
        refusals.push({ path, reason: `${specialKind(info)} cannot be packaged` });
      }
    }
  };
  await walk("");

  if (refusals.length > 0) throw refusalError(root, refusals);
  return entries;
}

/**
 * Reads the optional `.extensionignore` at the extension root and builds the matcher: the
 * secret-looking names first (left out unless a `!` line ships them), then the file's lines.
 *
 * @example
 * ```ts
 * import { loadIgnoreMatcher } from "./collect.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/.extensionignore`, "*.log\n");
 * const ignored = await loadIgnoreMatcher(dir);
 * assert.ok(ignored("debug.log", false));
 * assert.ok(ignored(".env", false));
 * assert.ok(!ignored("extension.yaml", false));
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param root The extension directory.
 * @returns The matcher (only the built-in rules when there is no ignore file).
 */
export async function loadIgnoreMatcher(root: string): Promise<IgnoreMatcher> {
  return createIgnoreMatcher([...SECRET_RULES, ...await readIgnoreRules(root)]);
}

/** The rules of the root's `.extensionignore` (none when there is no such file). */
async function readIgnoreRules(root: string): Promise<IgnoreRule[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${root}/${IGNORE_FILE_NAME}`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw new ProvisioningError("INVALID_EXTENSION", `Cannot read "${IGNORE_FILE_NAME}"`, {
      cause: error,
      hint: `Make "${IGNORE_FILE_NAME}" a readable text file or remove it`,
    });
  }
  return parseIgnoreRules(text);
}

/** Compares two strings by their UTF-8 bytes (Go's and GNU tar's order, not UTF-16's). */
function compareUtf8(a: string, b: string): number {
  const encoder = new TextEncoder();
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; i++) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return x.length - y.length;
}

/** Resolves the root to its real path, refusing anything but a directory. */
async function resolveRoot(root: string): Promise<string> {
  try {
    const real = await Deno.realPath(root);
    if ((await Deno.stat(real)).isDirectory) return real;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  throw new ProvisioningError("INVALID_EXTENSION", `Cannot package "${root}": not a directory`, {
    hint: "Pass the folder that holds extension.yaml",
  });
}

/** Returns why a symlink cannot be packaged, or undefined when it is fine. */
async function checkSymlink(
  realRoot: string,
  path: string,
  target: string,
  ignore: IgnoreMatcher,
): Promise<string | undefined> {
  if (posix.isAbsolute(target)) return `symlink has an absolute target ("${target}")`;
  const lexical = posix.normalize(posix.join(posix.dirname(path), target));
  if (lexical === ".." || lexical.startsWith("../")) {
    return `symlink points outside the extension ("${target}")`;
  }
  let real: string;
  try {
    real = await Deno.realPath(`${realRoot}/${path}`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return `symlink target does not exist ("${target}")`;
    }
    return `symlink cannot be resolved ("${target}")`;
  }
  if (real !== realRoot && !real.startsWith(`${realRoot}/`)) {
    return `symlink points outside the extension through another link ("${target}")`;
  }
  const relative = real === realRoot ? "" : real.slice(realRoot.length + 1);
  if (relative !== "") {
    const isDirectory = (await Deno.stat(real)).isDirectory;
    if (ignore(relative, isDirectory)) {
      return `symlink points to "${relative}", which is not shipped`;
    }
  }
  return undefined;
}

/** Names the kind of a special file. */
function specialKind(info: Deno.FileInfo): string {
  if (info.isFifo) return "fifo";
  if (info.isSocket) return "socket";
  if (info.isCharDevice) return "character device";
  if (info.isBlockDevice) return "block device";
  return "special file";
}

/** One error naming the first refused path, with every refusal as a detail line. */
function refusalError(root: string, refusals: readonly Refusal[]): ProvisioningError {
  const [first] = refusals;
  const more = refusals.length > 1 ? ` (and ${refusals.length - 1} more)` : "";
  return new ProvisioningError(
    "INVALID_EXTENSION",
    `Cannot package "${first?.path}": ${first?.reason}${more}`,
    {
      details: refusals.map((r) => `${r.path}: ${r.reason}`),
      hint: `Fix or remove the listed entries under "${root}", or exclude them in ` +
        `${IGNORE_FILE_NAME}`,
    },
  );
}
