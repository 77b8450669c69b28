/**
 * File system paths without `node:path`: importing any `node:` module boots Deno's Node
 * compatibility layer (~10 ms per isolate, measured in `docs/benchmarks.md`), and the modules
 * every command loads (configuration, permission plan, cache lookup) need only these few
 * operations. POSIX semantics are Node's `path.posix` (a test compares them input by input);
 * on Windows every function is `node:path`'s own, loaded only there.
 *
 * @example
 * ```ts
 * import { basename, dirname, join, relative, resolve } from "./path.ts";
 * import assert from "node:assert/strict";
 *
 * if (Deno.build.os !== "windows") {
 *   assert.equal(join("/a/b", "../c", "d/"), "/a/c/d/");
 *   assert.equal(dirname("/a/b/c"), "/a/b");
 *   assert.equal(basename("/a/b.txt"), "b.txt");
 *   assert.equal(resolve("/a", "b", "/c", "d"), "/c/d");
 *   assert.equal(relative("/a/b", "/a/c/d"), "../c/d");
 * }
 * ```
 *
 * @module
 */

type NodePath = typeof import("node:path");

/** `node:path` on Windows (drive letters, `\`), undefined elsewhere. */
const windows: NodePath | undefined = Deno.build.os === "windows"
  ? await import("node:path")
  : undefined;

/** The separator between path segments (`/`, or `\` on Windows). */
export const sep: string = windows?.sep ?? "/";

/** The separator between entries of `PATH` (`:`, or `;` on Windows). */
export const delimiter: string = windows?.delimiter ?? ":";

/** `.` and `..` resolved, repeated slashes collapsed; `allowAboveRoot` keeps leading `..`. */
function normalizeSegments(path: string, allowAboveRoot: boolean): string {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (allowAboveRoot) out.push("..");
      continue;
    }
    out.push(segment);
  }
  return out.join("/");
}

/**
 * Whether `path` is absolute.
 *
 * @param path A path.
 * @returns True when it starts at a root.
 */
export function isAbsolute(path: string): boolean {
  return windows ? windows.isAbsolute(path) : path.startsWith("/");
}

/**
 * `path` with `.`, `..` and repeated separators resolved (a trailing separator kept).
 *
 * @param path A path.
 * @returns The normalized path (`.` for an empty one).
 */
export function normalize(path: string): string {
  return windows ? windows.normalize(path) : normalizePosix(path);
}

/**
 * The segments joined by the separator, then normalized.
 *
 * @param segments Path segments (empty ones are skipped).
 * @returns The joined path (`.` when every segment is empty).
 */
export function join(...segments: string[]): string {
  if (windows) return windows.join(...segments);
  const joined = segments.filter((s) => s !== "").join("/");
  return joined === "" ? "." : normalize(joined);
}

/**
 * An absolute path: the segments resolved right to left until one is absolute, then against
 * the current directory.
 *
 * @param segments Path segments.
 * @returns The absolute, normalized path without a trailing separator.
 */
export function resolve(...segments: string[]): string {
  if (windows) return windows.resolve(...segments);
  let resolved = "";
  for (let i = segments.length - 1; i >= -1 && !resolved.startsWith("/"); i--) {
    const segment = i >= 0 ? segments[i]! : Deno.cwd();
    if (segment === "") continue;
    resolved = resolved === "" ? segment : `${segment}/${resolved}`;
  }
  return `/${normalizeSegments(resolved, false)}`;
}

/**
 * The folder of `path` (trailing separators ignored).
 *
 * @param path A path.
 * @returns Its parent (`.` for a bare name, `/` for the root).
 */
export function dirname(path: string): string {
  if (windows) return windows.dirname(path);
  if (path === "") return ".";
  // The last separator that follows a name; separators before it stay as written (Node).
  let end = -1;
  let sawName = false;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] !== "/") sawName = true;
    else if (sawName) {
      end = i;
      break;
    }
  }
  if (end === -1) return path.startsWith("/") ? "/" : ".";
  return path.startsWith("/") && end === 1 ? "//" : path.slice(0, end);
}

/**
 * The last segment of `path` (trailing separators ignored), without `suffix` if it ends so.
 *
 * @param path A path.
 * @param suffix An extension to drop (`.toml`).
 * @returns The last segment.
 */
export function basename(path: string, suffix?: string): string {
  if (windows) return windows.basename(path, suffix);
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  const base = path.slice(path.lastIndexOf("/", end - 1) + 1, end);
  return suffix !== undefined && suffix !== base && base.endsWith(suffix)
    ? base.slice(0, base.length - suffix.length)
    : base;
}

/**
 * The path from `from` to `to` (both resolved first).
 *
 * @param from The starting folder.
 * @param to The target.
 * @returns A relative path (`""` when they are the same).
 */
export function relative(from: string, to: string): string {
  if (windows) return windows.relative(from, to);
  const a = resolve(from).split("/").filter((s) => s !== "");
  const b = resolve(to).split("/").filter((s) => s !== "");
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...Array(a.length - common).fill(".."), ...b.slice(common)].join("/");
}

/**
 * `path` normalized by POSIX rules on every system (`node:path`'s `posix.normalize`): for
 * paths written with `/` wherever they are read, such as module paths inside an extension.
 *
 * @example
 * ```ts
 * import { normalizePosix } from "./path.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(normalizePosix("./hooks/../lib//a.ts"), "lib/a.ts");
 * ```
 *
 * @param path A `/`-separated path.
 * @returns The normalized path (`.` for an empty one, a trailing `/` kept).
 */
export function normalizePosix(path: string): string {
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  let result = normalizeSegments(path, !absolute);
  if (result === "" && !absolute) result = ".";
  if (result !== "" && path.endsWith("/")) result += "/";
  return absolute ? `/${result}` : result;
}
