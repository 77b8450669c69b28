import { join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { createVerifyStream } from "../oci/digest.ts";
import { callGit, type GitCallSettings, gitCallSettings } from "./_git_call.ts";
import { checkTagName } from "./check_tag_name.ts";
import { gitRemoteError } from "./classify_git_failure.ts";
import { normalizeSubpath } from "./normalize_subpath.ts";
import { parseGitRemote } from "./parse_git_remote.ts";
import { redactCredentials } from "./redact_credentials.ts";
import type { GitRemoteOptions, GitResult, GitTagArchive } from "./types.ts";

/** Options of {@linkcode fetchTagArchive}. */
export interface FetchTagArchiveOptions extends GitRemoteOptions {
  /**
   * The commit the tag pointed at when it was listed (`listRemoteTags`). When the fetched tag
   * points elsewhere, the tag moved in between and the fetch is refused.
   */
  expectedCommit?: string;
  /** Directory inside the repository that holds `extension.yaml`. Default: the root. */
  subpath?: string;
  /** Existing directory under which the temporary repository and archive are created. */
  tmpDir: string;
}

/**
 * Fetches one tag of a git remote (a shallow `git fetch --depth 1` into a temporary bare
 * repository, nothing else), checks that it points at `expectedCommit` and that
 * `extension.yaml` exists at the tag (under `subpath`), then writes
 * `git archive --format=tar COMMIT[:SUBPATH]` — streamed from git's standard output through
 * SHA-256 into a temporary file — and removes the repository.
 *
 * The archive's root is the extension directory (no top-level folder to strip). Its entries'
 * mtimes are the commit time (the time of archiving when `subpath` is set, a git
 * limitation), so the digest identifies this archive, not the commit: record the commit.
 * Call `dispose()` (or `await using`) when done with the archive.
 *
 * @example
 * ```ts ignore
 * import { fetchTagArchive, listRemoteTags } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const remote = "git://127.0.0.1:9418/aws.git";
 * const [first] = await listRemoteTags(remote);
 * await using fetched = await fetchTagArchive(remote, first!.tag, {
 *   expectedCommit: first!.commit,
 *   tmpDir: await Deno.makeTempDir(),
 * });
 * assert.equal(fetched.commit, first!.commit);
 * const stream = await fetched.archive.open(); // a tar
 * await stream.cancel();
 * ```
 *
 * @param remote The remote (`https://…`, `git+https://…`, `git://…`, `file://…`).
 * @param tag The tag, without `refs/tags/`.
 * @param options Expected commit, sub-path, temporary directory, git runner, timeout.
 * @returns Metadata, the manifest text and the archive.
 * @throws {ProvisioningError} `INTEGRITY` (exit 5) when the tag moved (both commits named);
 *   `INVALID_EXTENSION` (exit 2) when `extension.yaml` is missing at the tag (remote, tag and
 *   path named); `NOT_FOUND` for a missing repository or tag; `AUTH_REFUSED`, `UNREACHABLE`,
 *   `TIMEOUT` (exit 4); `INVALID_REFERENCE` for a bad tag name or expected commit.
 */
export async function fetchTagArchive(
  remote: string,
  tag: string,
  options: FetchTagArchiveOptions,
): Promise<GitTagArchive> {
  checkTagName(tag);
  const parsed = parseGitRemote(remote, options);
  const subpath = normalizeSubpath(options.subpath);
  const expected = options.expectedCommit?.toLowerCase();
  if (expected !== undefined && !/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(expected)) {
    throw new ProvisioningError(
      "INVALID_REFERENCE",
      `Cannot use "${options.expectedCommit}" as a commit: expected a full hexadecimal object id`,
    );
  }
  const settings = gitCallSettings(options);
  const workDir = await Deno.makeTempDir({ dir: options.tmpDir, prefix: "git-tag-" });
  const gitDir = join(workDir, "repo.git");
  const where = `tag "${tag}" of git repository "${parsed.display}"`;
  try {
    await local(settings, ["init", "--bare", "--quiet", "--template=", gitDir], "create", where);
    const fetchArgs = [
      `--git-dir=${gitDir}`,
      "fetch",
      "--quiet",
      "--no-tags",
      "--no-write-fetch-head",
      "--depth=1",
      parsed.url,
      `+refs/tags/${tag}:refs/tags/${tag}`,
    ];
    const fetched = await callGit(settings, fetchArgs, `fetch ${where}`);
    if (fetched.code !== 0) {
      throw gitRemoteError(`fetch tag "${tag}" from`, parsed.display, fetched);
    }

    const revParse = await callGit(
      settings,
      [`--git-dir=${gitDir}`, "rev-parse", "--verify", "--quiet", `refs/tags/${tag}^{commit}`],
      `resolve ${where}`,
    );
    const commit = revParse.stdout.trim();
    if (revParse.code !== 0 || commit === "") {
      throw new ProvisioningError(
        "INVALID_REFERENCE",
        `Cannot use ${where}: it does not point at a commit`,
      );
    }
    if (expected !== undefined && commit !== expected) {
      throw new ProvisioningError(
        "INTEGRITY",
        `Tag "${tag}" of git repository "${parsed.display}" moved: listed at commit ${expected}, fetched at commit ${commit}`,
        { hint: "Run the command again to use the tag's new commit if the move was intended" },
      );
    }

    const manifestPath = subpath === "" ? "extension.yaml" : `${subpath}/extension.yaml`;
    const manifest = await callGit(
      settings,
      [`--git-dir=${gitDir}`, "cat-file", "blob", `${commit}:${manifestPath}`],
      `read ${manifestPath} of ${where}`,
    );
    if (manifest.code !== 0) {
      throw new ProvisioningError(
        "INVALID_EXTENSION",
        `Tag "${tag}" of git repository "${parsed.display}" has no "${manifestPath}"`,
        {
          hint: subpath === ""
            ? "Only tags whose tree holds extension.yaml are extension versions"
            : "Check the configured sub-path",
        },
      );
    }

    const archivePath = join(workDir, "archive.tar");
    const { digest, size } = await writeArchive(
      settings,
      gitDir,
      commit,
      subpath,
      archivePath,
      where,
    );
    await Deno.remove(gitDir, { recursive: true });

    let disposed: Promise<void> | undefined;
    const dispose = () => disposed ??= Deno.remove(workDir, { recursive: true }).catch(() => {});
    return {
      source: "git",
      remote: parsed.display,
      tag,
      commit,
      subpath,
      manifestText: manifest.stdout,
      archive: {
        digest,
        size,
        mediaType: "application/x-tar",
        open: async () => (await Deno.open(archivePath, { read: true })).readable,
      },
      dispose,
      [Symbol.asyncDispose]: dispose,
    };
  } catch (error) {
    await Deno.remove(workDir, { recursive: true }).catch(() => {});
    throw error;
  }
}

async function local(
  settings: GitCallSettings,
  args: readonly string[],
  verb: string,
  where: string,
): Promise<GitResult> {
  const result = await callGit(settings, args, `${verb} a repository for ${where}`);
  if (result.code !== 0) throw localError(verb, where, result);
  return result;
}

function localError(verb: string, where: string, result: GitResult): ProvisioningError {
  return new ProvisioningError(
    "INTERNAL",
    `Cannot ${verb} ${where}: git exited with code ${result.code}`,
    { details: redactCredentials(result.stderr).split("\n").filter((line) => line.trim() !== "") },
  );
}

async function writeArchive(
  settings: GitCallSettings,
  gitDir: string,
  commit: string,
  subpath: string,
  archivePath: string,
  where: string,
): Promise<{ digest: string; size: number }> {
  let content: { digest: string; size: number } | undefined;
  const file = await Deno.open(archivePath, { write: true, createNew: true, mode: 0o600 });
  // The one hashing stream of the project, computing the digest as the archive is written.
  const hashing = createVerifyStream({ onVerified: (verified) => content = verified });
  const written = hashing.readable.pipeTo(file.writable);
  let result: GitResult;
  try {
    const treeish = subpath === "" ? commit : `${commit}:${subpath}`;
    result = await callGit(
      settings,
      [`--git-dir=${gitDir}`, "archive", "--format=tar", treeish],
      `archive ${where}`,
      { stdout: hashing.writable },
    );
  } catch (error) {
    // git never started (or its output failed): close the file without waiting for an end.
    await hashing.writable.abort(error).catch(() => {});
    await written.catch(() => {});
    throw error;
  }
  await written;
  if (result.code !== 0) throw localError("archive", where, result);
  if (content === undefined) throw localError("archive", where, result);
  return content;
}
