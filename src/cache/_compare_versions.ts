/**
 * Version ordering for cache listings (private): semver order where both versions parse,
 * semver before anything else, then plain string order.
 *
 * @module
 */

// @ts-types="npm:@types/semver@^7.7.1"
import semver from "semver";

/**
 * Returns an ascending version comparator that parses each distinct version once (sorting
 * 10,000 entries otherwise parses versions hundreds of thousands of times).
 */
export function versionComparator(): (a: string, b: string) => number {
  const parsed = new Map<string, semver.SemVer | null>();
  const valid = (v: string) => {
    let p = parsed.get(v);
    if (p === undefined) {
      p = semver.parse(v, { loose: true });
      parsed.set(v, p);
    }
    return p;
  };
  return (a, b) => {
    const va = valid(a);
    const vb = valid(b);
    if (va && vb) return va.compare(vb) || (a < b ? -1 : a > b ? 1 : 0);
    if (va) return 1;
    if (vb) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

/** Compares two versions ascending. */
export function compareVersions(a: string, b: string): number {
  return versionComparator()(a, b);
}
