/**
 * From tags to versions, as the tag-based sources (`oci`, `oci-layout`, `gitea`, `git`) read
 * them for loading and for discovery: one version per distinct version number, each with its
 * preferred tag. Private to the sources.
 *
 * @module
 */

import {
  getLatestVersion,
  resolveOciVersion,
  sortBySemver,
  tagToVersion,
  versionToTag,
} from "../versions/mod.ts";
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

/** Versions a repository's tags name, and the tag to use for each. */
export interface TagVersions {
  /** Every version, highest first. */
  versions: string[];
  /** The highest release, else the highest pre-release; undefined without version tags. */
  highest: string | undefined;
  /** Version → the tag to fetch it by (`1.2.0` preferred over `v1.2.0`). */
  tagOf: Map<string, string>;
}

/**
 * Maps tags to versions; tags that are no version (`latest`, `dev`) are ignored.
 *
 * @param tags A repository's tags, any order.
 * @returns Versions highest first, the highest, and the tag of each.
 */
export function versionsFromTags(tags: readonly string[]): TagVersions {
  const candidates = new Map<string, string[]>();
  for (const tag of tags) {
    const version = tagToVersion(tag);
    if (version === undefined) continue;
    const list = candidates.get(version);
    if (list === undefined) candidates.set(version, [tag]);
    else list.push(tag);
  }
  const tagOf = new Map<string, string>();
  for (const [version, list] of candidates) {
    const plain = versionToTag(version);
    const preferred = [plain, version, `v${plain}`, `v${version}`].find((t) => list.includes(t));
    tagOf.set(version, preferred ?? list.sort()[0]!);
  }
  const versions = sortBySemver([...candidates.keys()]).reverse();
  return { versions, highest: getLatestVersion(versions), tagOf };
}
