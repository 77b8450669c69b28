/**
 * The grammar of SemVer 2.0.0, as the specification publishes it (semver.org, "Is there a
 * suggested regular expression (RegEx) to check a SemVer string?"): a regular expression, not
 * a parser, so this check costs nothing to import — the permission planner and the start-up
 * path use it without loading npm `semver` (CommonJS, ~26 ms through the Node layer). A test
 * keeps it in step with `semver.valid` on a corpus of edge cases.
 */
const SEMVER_RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** npm `semver`'s limits, kept so both agree: at most 256 characters, safe-integer parts. */
const MAX_LENGTH = 256;

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
  if (typeof value !== "string" || value.length > MAX_LENGTH) return false;
  const match = SEMVER_RE.exec(value);
  if (match === null) return false;
  return [match[1], match[2], match[3]].every((part) => Number(part) <= Number.MAX_SAFE_INTEGER);
}
