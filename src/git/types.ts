/**
 * Data types of the git source's lower layer: remote tags, the git runner and the archive
 * of a tag. Plain objects, no classes.
 *
 * @module
 */

/** A tag of a git remote that names a semantic version, peeled to its commit. */
export interface RemoteTag {
  /** The tag as it exists on the remote (`1.2.3`, `v1.2.3`). */
  tag: string;
  /** The semantic version the tag names (`v1.2.3` → `1.2.3`). */
  version: string;
  /** The commit the tag points at; an annotated tag is peeled (its `^{}` line). */
  commit: string;
}

/** What one git invocation produced. */
export interface GitResult {
  /** The exit code (non-zero when killed by a signal). */
  code: number;
  /** Standard output as text; empty when it was streamed to {@linkcode RunGitOptions.stdout}. */
  stdout: string;
  /** Standard error as text. */
  stderr: string;
}

/** Options of one git invocation. */
export interface RunGitOptions {
  /** Working directory. */
  cwd?: string;
  /** Kills git when aborted. */
  signal?: AbortSignal;
  /**
   * When given, standard output is streamed into it instead of being collected; the
   * result's `stdout` is then `""`.
   */
  stdout?: WritableStream<Uint8Array>;
}

/**
 * Runs git with `args` (never through a shell) and resolves with its exit code and output.
 * It rejects only when git cannot be started; a failing git resolves with a non-zero code.
 */
export type RunGit = (args: readonly string[], options?: RunGitOptions) => Promise<GitResult>;

/** Options shared by every function that talks to a git remote. */
export interface GitRemoteOptions {
  /** Runs git; default {@linkcode runGit} (the `git` on `PATH`). Tests may inject another. */
  runGit?: RunGit;
  /** Milliseconds one git invocation may take before it is killed. Default 120,000. */
  timeoutMs?: number;
  /** Aborts the git invocations. */
  signal?: AbortSignal;
  /** Allow `http://` remotes on hosts other than loopback. Default false. */
  insecure?: boolean;
}

/**
 * A tar or tar+gzip archive that can be opened as a stream, with its digest and size when
 * known. Assignable to the cache's `ArchiveSource`.
 */
export interface TagArchiveSource {
  /** `sha256:hex` digest of the bytes `open()` yields, when known. */
  digest?: string;
  /** Size in bytes, when known. */
  size?: number;
  /** `application/x-tar` or `application/gzip`. */
  mediaType: string;
  /** Opens a fresh stream of the archive's bytes. */
  open(): Promise<ReadableStream<Uint8Array>>;
}

/**
 * The content of one tag of a git remote, as a tar whose root is the extension directory
 * (the sub-path already applied), plus where it came from. Shaped like the cache's
 * `GiteaSaveInfo` (`archive`, `remote`, `tag`, `commit`, `source`).
 */
export interface GitTagArchive extends AsyncDisposable {
  /** Always `git`. */
  source: "git";
  /** The remote, credentials redacted (safe to record and print). */
  remote: string;
  /** The tag that was fetched. */
  tag: string;
  /** The commit the tag pointed at when it was fetched (verified against the expected one). */
  commit: string;
  /** The directory inside the repository that was archived (`""` for the root). */
  subpath: string;
  /** Text of `extension.yaml` at the tag. */
  manifestText: string;
  /** The archive: `application/x-tar`, digest and size known. */
  archive: TagArchiveSource;
  /** Removes the temporary files behind `archive`; idempotent. */
  dispose(): Promise<void>;
}
