/**
 * Types of the version module: a parsed version spec and an OCI tag match.
 *
 * @module
 */

/**
 * What a version spec asks for.
 *
 * - `latest`: any version, the highest release preferred (`latest`, `*`, `x`, `X`).
 * - `exact`: one version (`1.2.3`, `v1.2.3`, `=1.2.3`, `1.2.0-rc.1`, `1.2.3+build.5`).
 * - `range`: anything else (`^1.2.0`, `~1.2.0`, `1.2.0-1.5.0`, `>=1.2.0 <2.0.0`, `1.x`, `||`).
 */
export type VersionSpecKind = "latest" | "exact" | "range";

/** A version spec, checked and translated into a `semver` range. */
export interface VersionSpec {
  /** The spec as written, without surrounding white space. */
  raw: string;
  /** What the spec asks for. */
  kind: VersionSpecKind;
  /**
   * The equivalent range in `semver`'s normal form, e.g. `>=1.2.0 <2.0.0-0` for `^1.2.0`,
   * `>=1.2.0 <=1.5.0` for `1.2.0-1.5.0`, `*` for `latest`.
   */
  range: string;
  /**
   * For an `exact` spec only: the version, without `v` or `=`, build metadata kept
   * (`v1.2.3+build.5` → `1.2.3+build.5`).
   */
  version?: string;
}

/** The version an OCI tag list resolved to, and the tag that carries it. */
export interface OciVersionMatch {
  /** The semantic version, with `+` for build metadata (`1.2.3+build.5`). */
  version: string;
  /** The tag as it exists in the registry (`1.2.3_build.5`, `v1.2.3`). */
  tag: string;
}
