import { ProvisioningError } from "../errors.ts";
import { callGit, gitCallSettings } from "./_git_call.ts";
import { checkTagName } from "./check_tag_name.ts";
import { gitRemoteError } from "./classify_git_failure.ts";
import { parseGitRemote } from "./parse_git_remote.ts";
import { parseLsRemoteTags } from "./parse_ls_remote_tags.ts";
import type { GitRemoteOptions } from "./types.ts";

/**
 * Resolves one tag of a git remote to the commit it points at now (annotated tags peeled),
 * with `git ls-remote --tags REMOTE refs/tags/TAG refs/tags/TAG^{}`.
 *
 * @example
 * ```ts ignore
 * import { resolveRemoteTag } from "./resolve_remote_tag.ts";
 * import assert from "node:assert/strict";
 *
 * const commit = await resolveRemoteTag("git://127.0.0.1:9418/aws.git", "v1.2.0");
 * assert.match(commit, /^[0-9a-f]{40}$/);
 * ```
 *
 * @param remote The remote.
 * @param tag The tag name, without `refs/tags/`.
 * @param options Git runner, timeout, signal, transport policy.
 * @returns The commit.
 * @throws {ProvisioningError} `VERSION_NOT_FOUND` (exit 3) when the remote has no such tag;
 *   otherwise as {@linkcode listRemoteTags}.
 */
export async function resolveRemoteTag(
  remote: string,
  tag: string,
  options: GitRemoteOptions = {},
): Promise<string> {
  checkTagName(tag);
  const parsed = parseGitRemote(remote, options);
  const what = `resolve tag "${tag}" of "${parsed.display}"`;
  const result = await callGit(
    gitCallSettings(options),
    // The `^{}` pattern brings the peeled line of an annotated tag along.
    ["ls-remote", "--tags", parsed.url, `refs/tags/${tag}`, `refs/tags/${tag}^{}`],
    what,
  );
  if (result.code !== 0) throw gitRemoteError(`resolve tag "${tag}" of`, parsed.display, result);
  const found = parseLsRemoteTags(result.stdout).find((entry) => entry.tag === tag);
  if (found === undefined) {
    throw new ProvisioningError(
      "VERSION_NOT_FOUND",
      `Tag "${tag}" not found in git repository "${parsed.display}"`,
    );
  }
  return found.commit;
}
