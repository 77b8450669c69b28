// @ts-types="npm:@types/semver@^7.7.1"
import semver from "semver";

/**
 * Tells whether `value` is a semantic version exactly as written: `MAJOR.MINOR.PATCH` with an
 * optional `-pre.release` and `+build` part. No `v` prefix, no `=`, no white space, no partial
 * versions (`1.2`), no leading zeros.
 *
 * Tags such as `v1.2.3` are read with {@linkcode tagToVersion}, not here.
 *
 * @example
 * ```ts
 * import { isSemver } from "./is_semver.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isSemver("1.2.3-rc.1+build.5"));
 * assert.ok(!isSemver("v1.2.3"));
 * assert.ok(!isSemver("1.2"));
 * ```
 *
 * @param value Anything; only strings can be versions.
 * @returns Whether `value` is a strict semantic version.
 */
export function isSemver(value: string): boolean {
  return typeof value === "string" &&
    value.length > 0 &&
    value === value.trim() &&
    /^\d/.test(value) &&
    semver.valid(value) !== null;
}
