/**
 * What the tag-based sources (`oci`, `gitea`, `git`) share when listing versions: one
 * version per distinct version number, each with its preferred tag. Private to the sources.
 *
 * @module
 */

import { resolveOciVersion, sortBySemver } from "../versions/mod.ts";
import type { SourceVersion } from "./types.ts";

/**
 * The versions a list of tags offers, lowest first, each with its preferred tag (`1.2.3`
 * over `v1.2.3`) chosen among its own tags.
 *
 * @param tags Each tag with the version it names, in the order the source listed them.
 * @returns One entry per distinct version, sorted by semver.
 */
export function versionsOfTags(
  tags: readonly { tag: string; version: string }[],
): SourceVersion[] {
  const byVersion = new Map<string, string[]>();
  for (const { tag, version } of tags) {
    byVersion.set(version, [...byVersion.get(version) ?? [], tag]);
  }
  return sortBySemver([...byVersion.keys()]).map((version) => ({
    version,
    ref: resolveOciVersion(version, byVersion.get(version)!)?.tag ?? version,
  }));
}
