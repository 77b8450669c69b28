// Private: does a strict version satisfy a parsed spec.
// @ts-types="npm:@types/semver@^7.7.1"
import semver from "semver";
import { matchesPlainSpec } from "./_resolve_plain.ts";
import type { VersionSpec } from "./types.ts";

/**
 * Whether a strict semantic version satisfies a parsed spec. `latest` matches everything; an
 * exact spec that names build metadata matches only that build; ranges follow `semver`
 * (pre-releases only when a comparator names one on the same `MAJOR.MINOR.PATCH`).
 */
export function matchesVersionSpec(version: string, spec: VersionSpec): boolean {
  return spec.kind === "range"
    ? semver.satisfies(version, spec.range)
    : matchesPlainSpec(version, spec);
}
