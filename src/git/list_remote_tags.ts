import { compareSemver } from "../versions/compare_semver.ts";
import { tagToVersion } from "../versions/tag_to_version.ts";
import { callGit, gitCallSettings } from "./_git_call.ts";
import { gitRemoteError } from "./classify_git_failure.ts";
import { parseGitRemote } from "./parse_git_remote.ts";
import { parseLsRemoteTags } from "./parse_ls_remote_tags.ts";
import type { GitRemoteOptions, RemoteTag } from "./types.ts";

/**
 * Lists the version tags of a git remote with `git ls-remote --tags`: tags that name a
 * semantic version (`1.2.3`, `v1.2.3`; see `tagToVersion`), each with the commit it points
 * at (annotated tags peeled). Other tags (`latest`, `main-build`) are left out. Sorted by
 * version, lowest first; no clone is made.
 *
 * @example
 * ```ts ignore
 * import { listRemoteTags } from "./list_remote_tags.ts";
 * import assert from "node:assert/strict";
 *
 * const tags = await listRemoteTags("git://127.0.0.1:9418/aws.git");
 * assert.ok(tags.every((t) => /^[0-9a-f]{40}$/.test(t.commit)));
 * ```
 *
 * @param remote The remote (`https://…`, `git+https://…`, `git://…`, `file://…`).
 * @param options Git runner, timeout, signal, transport policy.
 * @returns The version tags with their commits.
 * @throws {ProvisioningError} `NOT_FOUND` (exit 3) for a missing repository; `AUTH_REFUSED`,
 *   `UNREACHABLE`, `TIMEOUT` (exit 4); `INVALID_REFERENCE`/`INSECURE_TRANSPORT` for a bad
 *   remote; `UNSUPPORTED` when git cannot be run.
 */
export async function listRemoteTags(
  remote: string,
  options: GitRemoteOptions = {},
): Promise<RemoteTag[]> {
  const parsed = parseGitRemote(remote, options);
  const what = `list tags of "${parsed.display}"`;
  const result = await callGit(gitCallSettings(options), ["ls-remote", "--tags", parsed.url], what);
  if (result.code !== 0) throw gitRemoteError("list tags of", parsed.display, result);
  const tags: RemoteTag[] = [];
  for (const { tag, commit } of parseLsRemoteTags(result.stdout)) {
    const version = tagToVersion(tag);
    if (version !== undefined) tags.push({ tag, version, commit });
  }
  return tags.sort((a, b) => compareSemver(a.version, b.version) || a.tag.localeCompare(b.tag));
}
