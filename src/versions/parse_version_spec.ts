import { ProvisioningError } from "../errors.ts";
import { ACCEPTED_VERSION_SPEC_FORMS, analyseVersionSpec } from "./_version_spec.ts";
import type { VersionSpec } from "./types.ts";

export { ACCEPTED_VERSION_SPEC_FORMS };

/**
 * Parses a version spec with the seed's semantics, on top of `semver`:
 *
 * | Spec | Meaning |
 * |---|---|
 * | `1.2.3`, `v1.2.3`, `=1.2.3` | exactly that version |
 * | `1.2.0-rc.1` | exactly that pre-release |
 * | `1.2.3+build.5` | exactly that version with that build metadata |
 * | `^1.2.0` | `>=1.2.0 <2.0.0`; `^0.2.3` is `>=0.2.3 <0.3.0`, `^0.0.3` is `0.0.3` only |
 * | `~1.2.0` | `>=1.2.0 <1.3.0` (`~>` is read the same) |
 * | `1.2.0-1.5.0`, `1.2.0 - 1.5.0` | inclusive range `>=1.2.0 <=1.5.0` |
 * | `>=1.2.0 <2.0.0`, `>`, `<=`, `<` | comparators; space means AND |
 * | `^1.2.0 \|\| ~2.1.0` | either |
 * | `1.x`, `1.2.x`, `1.2.*` | x-ranges |
 * | `*`, `x`, `latest` | any version, the highest release preferred |
 *
 * Decisions beyond `semver`:
 * - A single word `A-B` where `A` is `MAJOR.MINOR.PATCH` and `B` is `MAJOR.MINOR.PATCH`
 *   (optionally with a pre-release) is the seed's inclusive range, although `semver` would read
 *   `1.2.0-1.5.0` as a pre-release of `1.2.0`. Write `=1.2.0-1.5.0` to mean that pre-release.
 *   `1.2.0-rc.1` or `1.2.0-1.5` (no full version after the dash) stay pre-releases.
 * - Bare partial versions (`1.2`, `1`, `^1.2`, `>=1`) are refused: npm, Cargo and Terraform
 *   read them differently. Write `1.2.x`, `^1.2.0` or `>=1.0.0` instead.
 * - Empty specs, empty `||` alternatives and hyphen ranges whose lower bound is above the upper
 *   bound are refused.
 * - Pre-releases match only when the spec names one on the same `MAJOR.MINOR.PATCH` (semver's
 *   rule); `latest` and `*` match every version but prefer releases when resolving.
 *
 * @example
 * ```ts
 * import { parseVersionSpec } from "./parse_version_spec.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseVersionSpec("^1.2.0").range, ">=1.2.0 <2.0.0-0");
 * assert.equal(parseVersionSpec("1.2.0-1.5.0").range, ">=1.2.0 <=1.5.0");
 * assert.equal(parseVersionSpec("v1.2.3").kind, "exact");
 * assert.throws(() => parseVersionSpec("1.2"), { code: "INVALID_VERSION_SPEC" });
 * ```
 *
 * @param spec The spec as written by the user.
 * @returns The parsed spec.
 * @throws {ProvisioningError} `INVALID_VERSION_SPEC` (exit 2) quoting the spec, with the
 * accepted forms in the hint.
 */
export function parseVersionSpec(spec: string): VersionSpec {
  const analysis = analyseVersionSpec(spec);
  if (analysis.ok) return analysis.spec;
  throw new ProvisioningError(
    "INVALID_VERSION_SPEC",
    `Cannot parse version spec ${JSON.stringify(String(spec))}: ${analysis.reason}`,
    { hint: `Accepted forms: ${ACCEPTED_VERSION_SPEC_FORMS}` },
  );
}
