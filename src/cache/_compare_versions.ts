/**
 * Version ordering for cache listings (private): semver order where both versions parse,
 * semver before anything else, then plain string order.
 *
 * @module
 */

// @ts-types="npm:@types/semver@^7.7.1"
import semver from "semver";

/** Compares two versions ascending. */
export function compareVersions(a: string, b: string): number {
  const va = semver.valid(a, { loose: true });
  const vb = semver.valid(b, { loose: true });
  if (va && vb) return semver.compare(va, vb) || (a < b ? -1 : a > b ? 1 : 0);
  if (va) return 1;
  if (vb) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
