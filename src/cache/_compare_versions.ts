/**
 * Version ordering for cache listings (private): semver order where both versions parse,
 * semver before anything else, then plain string order.
 *
 * @module
 */

// Not `semver` itself: `ext cache list` must not pay for evaluating it (CommonJS, ~30 ms).
import { comparePrecedence, type ParsedVersion, parseVersion } from "../versions/_precedence.ts";

/**
 * Returns an ascending version comparator that parses each distinct version once (sorting
 * 10,000 entries otherwise parses versions hundreds of thousands of times).
 */
export function versionComparator(): (a: string, b: string) => number {
  const parsed = new Map<string, ParsedVersion | null>();
  const valid = (v: string) => {
    let p = parsed.get(v);
    if (p === undefined) {
      p = parseVersion(v, true);
      parsed.set(v, p);
    }
    return p;
  };
  return (a, b) => {
    const va = valid(a);
    const vb = valid(b);
    if (va && vb) return comparePrecedence(va, vb) || (a < b ? -1 : a > b ? 1 : 0);
    if (va) return 1;
    if (vb) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

/** Compares two versions ascending. */
export function compareVersions(a: string, b: string): number {
  return versionComparator()(a, b);
}
