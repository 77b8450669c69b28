import { matchesVersionSpec } from "./_matches.ts";
import { isSemver } from "./is_semver.ts";
import { parseVersionSpec } from "./parse_version_spec.ts";

/**
 * Tells whether a version satisfies a version spec (see {@linkcode parseVersionSpec} for the
 * forms). A pre-release satisfies a range only when the spec names a pre-release of the same
 * `MAJOR.MINOR.PATCH`; `*` and `latest` are satisfied by every version.
 *
 * @example
 * ```ts
 * import { satisfiesConstraint } from "./satisfies_constraint.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(satisfiesConstraint("1.29.1", "^1.28.0"));
 * assert.ok(!satisfiesConstraint("2.0.0", "^1.28.0"));
 * assert.ok(satisfiesConstraint("1.5.0", "1.2.0-1.5.0"));
 * assert.ok(!satisfiesConstraint("1.3.0-rc.1", "^1.2.0"));
 * ```
 *
 * @param version A strict semantic version; anything else satisfies nothing.
 * @param spec A version spec.
 * @returns Whether `version` satisfies `spec`.
 * @throws {ProvisioningError} `INVALID_VERSION_SPEC` when the spec is not valid.
 */
export function satisfiesConstraint(version: string, spec: string): boolean {
  const parsed = parseVersionSpec(spec);
  return isSemver(version) && matchesVersionSpec(version, parsed);
}
