/**
 * The git source's lower layer: any git remote (`https://…`, `git+https://…`, `git://…`,
 * `file://…`; `http://` to loopback hosts) through the `git` binary, run without a shell and
 * without prompts. Lists version tags with `git ls-remote --tags` (annotated tags peeled),
 * resolves a tag or a version spec to a commit, and hands out the content of a tag as a tar
 * from a shallow fetch, refusing a tag that moved since it was listed (`INTEGRITY`) and a tag
 * without `extension.yaml` (`INVALID_EXTENSION`). Credentials embedded in remote URLs are
 * redacted from every message and record.
 *
 * @example
 * ```ts
 * import { parseGitRemote, redactCredentials } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseGitRemote("git+file:///srv/git/aws.git").url, "file:///srv/git/aws.git");
 * assert.equal(redactCredentials("https://u:p@h/x.git"), "https://***@h/x.git");
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./run_git.ts";
export * from "./redact_credentials.ts";
export * from "../net/is_loopback_hostname.ts";
export * from "./normalize_subpath.ts";
export * from "./check_tag_name.ts";
export * from "./parse_git_remote.ts";
export * from "./classify_git_failure.ts";
export * from "./parse_ls_remote_tags.ts";
export * from "./list_remote_tags.ts";
export * from "./resolve_remote_tag.ts";
export * from "./resolve_remote_version.ts";
export * from "./fetch_tag_archive.ts";
