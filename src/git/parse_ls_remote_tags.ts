/** One tag line group of `git ls-remote --tags`, peeled. */
export interface LsRemoteTag {
  /** Tag name without `refs/tags/`. */
  tag: string;
  /** What the tag ref points at: the tag object (annotated) or the commit (lightweight). */
  object: string;
  /** The commit: the `^{}` line of an annotated tag, else `object`. */
  commit: string;
  /** Whether a `^{}` line was present (an annotated tag). */
  annotated: boolean;
}

/**
 * Parses the output of `git ls-remote --tags`, peeling annotated tags: the `refs/tags/x^{}`
 * line gives the commit an annotated tag `x` points at. Other refs are ignored.
 *
 * @example
 * ```ts
 * import { parseLsRemoteTags } from "./parse_ls_remote_tags.ts";
 * import assert from "node:assert/strict";
 *
 * const out = [
 *   "1111111111111111111111111111111111111111\trefs/tags/1.0.0",
 *   "2222222222222222222222222222222222222222\trefs/tags/1.0.0^{}",
 *   "3333333333333333333333333333333333333333\trefs/tags/v1.1.0",
 * ].join("\n");
 * const tags = parseLsRemoteTags(out);
 * assert.equal(tags[0]?.commit, "2222222222222222222222222222222222222222");
 * assert.equal(tags[0]?.annotated, true);
 * assert.equal(tags[1]?.commit, "3333333333333333333333333333333333333333");
 * ```
 *
 * @param stdout The command's standard output.
 * @returns The tags in the order listed.
 */
export function parseLsRemoteTags(stdout: string): LsRemoteTag[] {
  const tags = new Map<string, LsRemoteTag>();
  for (const line of stdout.split("\n")) {
    const match = /^([0-9a-f]{40}|[0-9a-f]{64})\trefs\/tags\/(.+?)(\^\{\})?$/.exec(line.trim());
    if (match === null) continue;
    const [, sha, name, peeled] = match as unknown as [string, string, string, string | undefined];
    const entry = tags.get(name) ?? { tag: name, object: sha, commit: sha, annotated: false };
    if (peeled === undefined) {
      entry.object = sha;
      if (!entry.annotated) entry.commit = sha;
    } else {
      entry.commit = sha;
      entry.annotated = true;
    }
    tags.set(name, entry);
  }
  return [...tags.values()];
}
