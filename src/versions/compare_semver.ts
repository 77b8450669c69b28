import { comparePrecedence } from "./_precedence.ts";
import { parseStrictVersion } from "./_semver.ts";

/**
 * Compares two semantic versions by precedence (semver §11): `-1` when `a` is lower, `1` when
 * higher, `0` when equal. Build metadata does not count (`1.2.3+a` equals `1.2.3+b`), and a
 * pre-release is lower than its release (`1.2.3-rc.1` < `1.2.3`).
 *
 * @example
 * ```ts
 * import { compareSemver } from "./compare_semver.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(compareSemver("1.10.0", "1.9.0"), 1);
 * assert.equal(compareSemver("1.2.3-rc.1", "1.2.3"), -1);
 * assert.equal(compareSemver("1.2.3+a", "1.2.3+b"), 0);
 * ```
 *
 * @param a A strict semantic version.
 * @param b A strict semantic version.
 * @returns `-1`, `0` or `1`.
 * @throws {ProvisioningError} `INVALID_VERSION` when either is not a semantic version.
 */
export function compareSemver(a: string, b: string): -1 | 0 | 1 {
  return comparePrecedence(parseStrictVersion(a), parseStrictVersion(b));
}
