import { compareWithBuild } from "./_semver.ts";
import { isSemver } from "./is_semver.ts";

/**
 * Sorts versions in ascending semver order, dropping entries that are not semantic versions
 * (`latest`, `v1.2.3`, `1.2`) and duplicates. Versions equal by precedence are ordered by
 * their build metadata so the result is deterministic. The input is not modified.
 *
 * @example
 * ```ts
 * import { sortBySemver } from "./sort_by_semver.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(
 *   sortBySemver(["1.10.0", "latest", "1.2.0", "1.2.0-rc.1", "1.9.0"]),
 *   ["1.2.0-rc.1", "1.2.0", "1.9.0", "1.10.0"],
 * );
 * ```
 *
 * @param list Version strings, in any order.
 * @returns A new array, lowest version first.
 */
export function sortBySemver(list: readonly string[]): string[] {
  return [...new Set(list.filter(isSemver))].sort(compareWithBuild);
}
