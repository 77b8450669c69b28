/**
 * The specs that need no range engine: `latest` (and its synonyms) and one exact version.
 * The loader reads these without evaluating `semver` (CommonJS, ~30 ms at start-up), and
 * `analyseVersionSpec` reads them here too, so both agree by construction. Private.
 *
 * @module
 */

import { parseVersion } from "./_precedence.ts";
import type { VersionSpec } from "./types.ts";

/** Specs that mean "any version, the highest release preferred". */
const LATEST_WORDS: ReadonlySet<string> = new Set(["latest", "*", "x", "X"]);

/**
 * The seed's compact inclusive range `A-B`: a plain `MAJOR.MINOR.PATCH` (optional `v`), a dash,
 * and a second `MAJOR.MINOR.PATCH` (optional `v`, optional pre-release). Such a word is a
 * range even though `1.2.0-1.5.0` also reads as a semver pre-release; `=1.2.0-1.5.0` names
 * that pre-release exactly.
 */
export const COMPACT_RANGE = /^(v?\d+\.\d+\.\d+)-(v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;

/**
 * The spec when it is `latest` or one exact version (`1.2.3`, `=v1.2.3`, `1.2.3+b.1`);
 * undefined for a range or anything invalid (ask `parseVersionSpec`, which needs `semver`).
 *
 * @example
 * ```ts
 * import { plainVersionSpec } from "./_plain_spec.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(plainVersionSpec(" =v1.2.3+b "), {
 *   raw: "=v1.2.3+b", kind: "exact", range: "1.2.3", version: "1.2.3+b",
 * });
 * assert.equal(plainVersionSpec("latest")?.kind, "latest");
 * assert.equal(plainVersionSpec("^1.2.0"), undefined);
 * assert.equal(plainVersionSpec("1.2.0-1.5.0"), undefined);
 * ```
 *
 * @param input The spec as the user wrote it.
 * @returns The parsed spec, or undefined.
 */
export function plainVersionSpec(input: string): VersionSpec | undefined {
  if (typeof input !== "string") return undefined;
  const raw = input.trim();
  if (LATEST_WORDS.has(raw)) return { raw, kind: "latest", range: "*" };
  if (COMPACT_RANGE.test(raw)) return undefined;
  const parsed = parseVersion(raw.replace(/^=\s*/, ""));
  if (parsed === null) return undefined;
  const version = parsed.build.length > 0
    ? `${parsed.version}+${parsed.build.join(".")}`
    : parsed.version;
  return { raw, kind: "exact", range: parsed.version, version };
}
