/**
 * Parsing and ordering versions without the `semver` package, whose CommonJS evaluation
 * costs ~30 ms at start-up: a cache hit and `ext cache list` only parse and order versions,
 * never resolve a range. Same expressions, numbers and comparisons as `semver`'s `SemVer`
 * class (strict, or `loose` as the cache listing parses); `_precedence_test.ts` pins every
 * function against `semver` itself. Ranges stay with `semver`. Private to src/versions and
 * src/cache.
 *
 * @module
 */

/** A parsed version, with the fields of `semver`'s `SemVer` that ordering uses. */
export interface ParsedVersion {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers; numeric ones below `MAX_SAFE_INTEGER` are numbers. */
  prerelease: (string | number)[];
  /** Build metadata identifiers. */
  build: string[];
  /** `MAJOR.MINOR.PATCH[-PRERELEASE]`, as `SemVer.version`. */
  version: string;
}

/** `semver`'s `MAX_LENGTH`: longer strings are not versions. */
const MAX_LENGTH = 256;

// semver's internal/re.js tokens in their "safe" form (bounded repetitions).
const NUMERIC = "0|[1-9]\\d{0,256}";
const NUMERIC_LOOSE = "\\d{1,256}";
const NON_NUMERIC = "\\d{0,256}[a-zA-Z-][a-zA-Z0-9-]{0,250}";
const MAIN = `(${NUMERIC})\\.(${NUMERIC})\\.(${NUMERIC})`;
const MAIN_LOOSE = `(${NUMERIC_LOOSE})\\.(${NUMERIC_LOOSE})\\.(${NUMERIC_LOOSE})`;
const PRE_ID = `(?:${NON_NUMERIC}|${NUMERIC})`;
const PRE_ID_LOOSE = `(?:${NON_NUMERIC}|${NUMERIC_LOOSE})`;
const PRERELEASE = `(?:-(${PRE_ID}(?:\\.${PRE_ID})*))`;
const PRERELEASE_LOOSE = `(?:-?(${PRE_ID_LOOSE}(?:\\.${PRE_ID_LOOSE})*))`;
const BUILD_ID = "[a-zA-Z0-9-]{1,250}";
const BUILD = `(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))`;
const FULL = new RegExp(`^v?${MAIN}${PRERELEASE}?${BUILD}?$`);
const LOOSE = new RegExp(`^[v=\\s]*${MAIN_LOOSE}${PRERELEASE_LOOSE}?${BUILD}?$`);
const DIGITS = /^[0-9]+$/;

/**
 * Parses a version as `semver.parse(value, { loose })` does; null when it is not one.
 *
 * @example
 * ```ts
 * import { parseVersion } from "./_precedence.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseVersion("v1.2.3-rc.1+b.5")?.version, "1.2.3-rc.1");
 * assert.equal(parseVersion("1.2.3beta"), null);
 * assert.equal(parseVersion("1.2.3beta", true)?.version, "1.2.3-beta");
 * ```
 *
 * @param value The text.
 * @param loose Accept `=1.2.3`, `01.2.3`, `1.2.3beta` as `semver`'s loose mode does.
 * @returns The parsed version, or null.
 */
export function parseVersion(value: string, loose = false): ParsedVersion | null {
  if (typeof value !== "string" || value.length > MAX_LENGTH) return null;
  const m = value.trim().match(loose ? LOOSE : FULL);
  if (m === null) return null;
  const [major, minor, patch] = [+m[1]!, +m[2]!, +m[3]!];
  if ([major, minor, patch].some((n) => n > Number.MAX_SAFE_INTEGER)) return null;
  const prerelease = m[4] === undefined || m[4] === "" ? [] : m[4].split(".").map((id) => {
    if (DIGITS.test(id)) {
      const num = +id;
      if (num >= 0 && num < Number.MAX_SAFE_INTEGER) return num;
    }
    return id;
  });
  const build = m[5] ? m[5].split(".") : [];
  const main = `${major}.${minor}.${patch}`;
  const version = prerelease.length > 0 ? `${main}-${prerelease.join(".")}` : main;
  return { major, minor, patch, prerelease, build, version };
}

/**
 * Precedence of two parsed versions, build metadata ignored (`SemVer.compare`).
 *
 * @example
 * ```ts
 * import { comparePrecedence, parseVersion } from "./_precedence.ts";
 * import assert from "node:assert/strict";
 *
 * const v = (text: string) => parseVersion(text)!;
 * assert.equal(comparePrecedence(v("1.0.0-rc.1"), v("1.0.0")), -1);
 * assert.equal(comparePrecedence(v("1.0.0+a"), v("1.0.0+b")), 0);
 * ```
 *
 * @param a A parsed version.
 * @param b Another.
 * @returns -1, 0 or 1.
 */
export function comparePrecedence(a: ParsedVersion, b: ParsedVersion): -1 | 0 | 1 {
  if (a.version === b.version) return 0;
  return compareMain(a, b) || compareLists(a.prerelease, b.prerelease, true);
}

/**
 * Total order: precedence, then build metadata (`semver.compareBuild`).
 *
 * @example
 * ```ts
 * import { compareWithBuildParsed, parseVersion } from "./_precedence.ts";
 * import assert from "node:assert/strict";
 *
 * const v = (text: string) => parseVersion(text)!;
 * assert.equal(compareWithBuildParsed(v("1.0.0+a"), v("1.0.0+b")), -1);
 * ```
 *
 * @param a A parsed version.
 * @param b Another.
 * @returns -1, 0 or 1.
 */
export function compareWithBuildParsed(a: ParsedVersion, b: ParsedVersion): -1 | 0 | 1 {
  return comparePrecedence(a, b) || compareLists(a.build, b.build, false);
}

function compareMain(a: ParsedVersion, b: ParsedVersion): -1 | 0 | 1 {
  for (const part of ["major", "minor", "patch"] as const) {
    if (a[part] < b[part]) return -1;
    if (a[part] > b[part]) return 1;
  }
  return 0;
}

/**
 * Identifier lists compared as `SemVer.comparePre` (`prerelease`: an empty list ranks
 * above a non-empty one) and `SemVer.compareBuild` (an empty list ranks below).
 */
function compareLists(
  a: readonly (string | number)[],
  b: readonly (string | number)[],
  prerelease: boolean,
): -1 | 0 | 1 {
  if (prerelease) {
    if (a.length > 0 && b.length === 0) return -1;
    if (a.length === 0 && b.length > 0) return 1;
  }
  for (let i = 0;; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined && y === undefined) return 0;
    if (y === undefined) return 1;
    if (x === undefined) return -1;
    if (x !== y) return compareIdentifiers(x, y);
  }
}

/** `semver`'s `compareIdentifiers`: numeric identifiers rank below alphanumeric ones. */
function compareIdentifiers(a: string | number, b: string | number): -1 | 0 | 1 {
  if (typeof a === "number" && typeof b === "number") return a === b ? 0 : a < b ? -1 : 1;
  const aNumeric = DIGITS.test(String(a));
  const bNumeric = DIGITS.test(String(b));
  let x = a;
  let y = b;
  if (aNumeric && bNumeric) {
    x = +a;
    y = +b;
  }
  if (x === y) return 0;
  if (aNumeric && !bNumeric) return -1;
  if (bNumeric && !aNumeric) return 1;
  return x < y ? -1 : 1;
}
