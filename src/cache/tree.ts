/**
 * Walks over an unpacked tree: totals, the extension root inside an archive, and the
 * symlink check after a subtree is moved to become the root.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { lstatOrUndefined, readDirOrEmpty } from "./_fs.ts";
import { normalizeEntryName, symlinkTargetProblem } from "./archive_paths.ts";

/** The manifest file every extension root holds. */
export const MANIFEST_FILE = "extension.yaml";

/** Totals of a tree. */
export interface TreeTotals {
  /** Non-directory entries (files, symlinks). */
  files: number;
  /** Bytes of regular-file content. */
  bytes: number;
}

async function walk(
  dir: string,
  parts: string[],
  visit: (parts: string[], full: string, info: Deno.FileInfo) => Promise<void> | void,
): Promise<void> {
  for (const entry of await readDirOrEmpty(dir)) {
    const full = join(dir, entry.name);
    const info = await Deno.lstat(full);
    const childParts = [...parts, entry.name];
    await visit(childParts, full, info);
    if (info.isDirectory) await walk(full, childParts, visit);
  }
}

/**
 * Counts the non-directory entries and file bytes of a tree, never following symlinks.
 *
 * @example
 * ```ts
 * import { treeTotals } from "./tree.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a`, "abc");
 * assert.deepEqual(await treeTotals(dir), { files: 1, bytes: 3 });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The tree's root.
 * @returns The totals.
 */
export async function treeTotals(dir: string): Promise<TreeTotals> {
  const totals = { files: 0, bytes: 0 };
  await walk(dir, [], (_parts, _full, info) => {
    if (info.isDirectory) return;
    totals.files++;
    if (info.isFile) totals.bytes += info.size;
  });
  return totals;
}

/**
 * Checks every symlink in a tree against the extraction rule (relative, climbing only at the
 * start and never above `dir`). Needed after a subdirectory of an extracted archive becomes
 * the extension root, since a link that stayed inside the archive may leave the subtree.
 *
 * @example
 * ```ts
 * import { assertLinksInside } from "./tree.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.symlink("../outside", `${dir}/link`);
 * await assert.rejects(assertLinksInside(dir), { code: "UNSAFE_ARCHIVE" });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The tree's root.
 * @throws {ProvisioningError} `UNSAFE_ARCHIVE` naming the first offending link.
 */
export async function assertLinksInside(dir: string): Promise<void> {
  await walk(dir, [], async (parts, full, info) => {
    if (!info.isSymlink) return;
    const problem = symlinkTargetProblem(parts, await Deno.readLink(full));
    if (problem) {
      throw new ProvisioningError(
        "UNSAFE_ARCHIVE",
        `Refusing archive entry "${parts.join("/")}": ${problem}`,
      );
    }
  });
}

async function hasManifest(dir: string): Promise<boolean> {
  return (await lstatOrUndefined(join(dir, MANIFEST_FILE)))?.isFile === true;
}

/**
 * Finds the extension root inside an extracted archive: the archive root when it holds
 * `extension.yaml`, else its single top-level directory when that holds it (ORAS and
 * `git archive --prefix` pack a directory as `name/…`). With `subdir`, that path below the
 * archive root or below the single top-level directory.
 *
 * @example
 * ```ts
 * import { locateExtensionRoot } from "./tree.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/aws`);
 * await Deno.writeTextFile(`${dir}/aws/extension.yaml`, "");
 * assert.deepEqual(await locateExtensionRoot(dir), ["aws"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The extracted archive.
 * @param subdir Where the extension lives, when not found automatically.
 * @returns Path components of the root relative to `dir` (`[]` for `dir` itself).
 * @throws {ProvisioningError} `INVALID_EXTENSION` when no root holds `extension.yaml`.
 */
export async function locateExtensionRoot(dir: string, subdir?: string): Promise<string[]> {
  const entries = await readDirOrEmpty(dir);
  const top = entries.length === 1 && entries[0]!.isDirectory ? entries[0]!.name : undefined;
  let candidates: string[][];
  if (subdir !== undefined) {
    const normalized = normalizeEntryName(subdir);
    if ("reason" in normalized) {
      throw new ProvisioningError(
        "USAGE",
        `Cannot use "${subdir}" as a subdirectory: ${normalized.reason}`,
      );
    }
    candidates = [normalized.parts];
    if (top !== undefined) candidates.push([top, ...normalized.parts]);
  } else {
    candidates = [[]];
    if (top !== undefined) candidates.push([top]);
  }
  for (const parts of candidates) {
    if (!(await isRealDirPath(dir, parts))) continue;
    if (await hasManifest(join(dir, ...parts))) return parts;
  }
  const where = subdir === undefined
    ? "at its root or in its single top-level directory"
    : `in "${subdir}"`;
  throw new ProvisioningError(
    "INVALID_EXTENSION",
    `Cannot find "${MANIFEST_FILE}" in the archive ${where}`,
    { hint: "An extension archive holds the extension directory with extension.yaml at its top" },
  );
}

/** Whether every component of `parts` below `dir` is a real directory (no symlink). */
async function isRealDirPath(dir: string, parts: string[]): Promise<boolean> {
  let current = dir;
  for (const part of parts) {
    current = join(current, part);
    if ((await lstatOrUndefined(current))?.isDirectory !== true) return false;
  }
  return true;
}
