/**
 * Combining permission sets: the union of two, and the minimal form every set is kept in
 * (sorted, no duplicates, no path inside another listed path).
 *
 * @module
 */

import { resolve, sep } from "../fs/path.ts";
import type { PermissionSet } from "./types.ts";

/**
 * Two sets together, kind by kind.
 *
 * @example
 * ```ts
 * import { unionPermissions } from "./union_permissions.ts";
 * import assert from "node:assert/strict";
 *
 * const a = { read: ["/a"], write: [], net: [], env: [], run: [], ignoreEnv: true };
 * const b = { ...a, read: ["/a/b", "/c"], net: ["h:1"] };
 * assert.deepEqual(unionPermissions(a, b).read, ["/a", "/c"]);
 * ```
 *
 * @param a One set.
 * @param b Another set.
 * @returns Their union (sorted, no duplicates, no path inside another listed path).
 */
export function unionPermissions(a: PermissionSet, b: PermissionSet): PermissionSet {
  return {
    read: minimalPaths([...a.read, ...b.read]),
    write: minimalPaths([...a.write, ...b.write]),
    net: unique([...a.net, ...b.net]),
    env: unique([...a.env, ...b.env]),
    run: unique([...a.run, ...b.run]),
    ignoreEnv: a.ignoreEnv && b.ignoreEnv,
  };
}

/** Sorted, without duplicates. */
export function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Normalised, sorted, de-duplicated; a path inside another listed path is dropped. */
export function minimalPaths(paths: readonly string[]): string[] {
  const sorted = unique(paths.filter((path) => path !== "").map((path) => resolve(path)));
  return sorted.filter((path) =>
    !sorted.some((other) =>
      other !== path && path.startsWith(other.endsWith(sep) ? other : other + sep)
    )
  );
}
