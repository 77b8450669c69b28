/**
 * Pure checks of tar entry names and link targets: what an extractor must refuse before it
 * touches the disk.
 *
 * @module
 */

/** A name split into safe components, or the reason it is refused. */
export type NormalizedName = { parts: string[] } | { reason: string };

const BACKSLASH = "backslashes are not allowed (a path separator on Windows)";
/** A leading Windows drive (`C:`, `C:/x`): absolute or drive-relative there. */
const DRIVE = /^[A-Za-z]:/;
const DRIVE_REASON = 'a leading drive ("C:") is not allowed (another drive on Windows)';

/**
 * Splits a tar entry name into path components, dropping empty and `.` components (so
 * `./a//b/` is `["a", "b"]`; `./` alone is `[]`, the root). Refuses absolute names, `..`
 * components, NUL bytes, backslashes and a leading Windows drive (`C:`) on every platform:
 * Windows reads `\` as a separator and `C:` as another drive, so `..\x` would escape there
 * (Go's `archive/tar` treats both as insecure paths too).
 *
 * @example
 * ```ts
 * import { normalizeEntryName } from "./archive_paths.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(normalizeEntryName("./kcl//main.k"), { parts: ["kcl", "main.k"] });
 * assert.ok("reason" in normalizeEntryName("../x"));
 * assert.ok("reason" in normalizeEntryName("/etc/x"));
 * assert.ok("reason" in normalizeEntryName("..\\..\\x"));
 * ```
 *
 * @param name The entry's name as the archive gives it.
 * @returns The components, or the reason for refusing the name.
 */
export function normalizeEntryName(name: string): NormalizedName {
  if (name.includes("\0")) return { reason: "the name contains a NUL byte" };
  if (name.includes("\\")) return { reason: BACKSLASH };
  if (name.startsWith("/")) return { reason: "absolute paths are not allowed" };
  const parts = name.split("/").filter((part) => part !== "" && part !== ".");
  if (DRIVE.test(parts[0] ?? "")) return { reason: DRIVE_REASON };
  if (parts.includes("..")) return { reason: '".." path components are not allowed' };
  return { parts };
}

/**
 * Checks a symbolic link's target. Allowed: a relative target that climbs only at its start
 * (`../../lib/x`), never above the extension root, and then only descends. Because the
 * link's own directory is a real directory (never a symlink) and every other link obeys the
 * same rule, the target resolves inside the root whatever links it passes through; `a/..`
 * style targets are refused since `a` might itself be a link. Backslashes and a leading
 * Windows drive (`C:`) are refused as in {@linkcode normalizeEntryName}.
 *
 * @example
 * ```ts
 * import { symlinkTargetProblem } from "./archive_paths.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(symlinkTargetProblem(["bin", "tool"], "../lib/tool.sh"), undefined);
 * assert.match(symlinkTargetProblem(["tool"], "../etc/passwd") ?? "", /escapes/);
 * assert.match(symlinkTargetProblem(["tool"], "/etc/passwd") ?? "", /absolute/);
 * ```
 *
 * @param linkParts The link's own path components (from {@linkcode normalizeEntryName}).
 * @param target The link target as written in the archive.
 * @returns Undefined when the target is safe, otherwise why it is refused.
 */
export function symlinkTargetProblem(linkParts: string[], target: string): string | undefined {
  if (target === "") return "the symlink target is empty";
  if (target.includes("\0")) return "the symlink target contains a NUL byte";
  if (target.includes("\\")) {
    return `the symlink target "${target}" contains a backslash (a path separator on Windows)`;
  }
  if (target.startsWith("/")) return `the symlink target "${target}" is absolute`;
  const parts = target.split("/").filter((part) => part !== "" && part !== ".");
  if (DRIVE.test(parts[0] ?? "")) {
    return `the symlink target "${target}" starts with a drive (another drive on Windows)`;
  }
  let ups = 0;
  while (ups < parts.length && parts[ups] === "..") ups++;
  if (parts.slice(ups).includes("..")) {
    return `the symlink target "${target}" uses ".." after a name`;
  }
  if (ups > linkParts.length - 1) {
    return `the symlink target "${target}" escapes the extension root`;
  }
  return undefined;
}
