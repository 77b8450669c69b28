/**
 * Data types of the Gitea/Forgejo client: options, repositories, tags and tag archives.
 * Plain objects, no classes.
 *
 * @module
 */

import type { TagArchiveSource } from "../git/types.ts";

/** Options of {@linkcode createGiteaClient}. */
export interface GiteaClientOptions {
  /**
   * Base URL of the server, with its sub-path if any (`https://git.example.com`,
   * `https://example.com/gitea/`). `http://` only for loopback hosts unless `insecure`.
   */
  url: string;
  /** The organisation (or user) whose repositories are extensions. */
  organization: string;
  /** API token, sent as `Authorization: token …`; never printed. */
  token?: string;
  /** Directory inside each repository that holds `extension.yaml`. Default: the root. */
  subpath?: string;
  /** Milliseconds a request may stay idle: waiting for an answer, or between two chunks of any body. Default 30,000. */
  timeoutMs?: number;
  /** Most requests in flight when listing the tags of every repository. Default 8. */
  concurrency?: number;
  /** Items per page asked for (Gitea caps it at its `MAX_RESPONSE_ITEMS`, 50 by default). Default 50. */
  pageSize?: number;
  /** Allow plain `http://` to a host that is not loopback. Default false. */
  insecure?: boolean;
  /**
   * Retries of a request that failed on the network, timed out or got 408, 429 or 5xx —
   * the OCI client's policy (`[oci] retry_count`). Default 3.
   */
  retryCount?: number;
  /**
   * PEM file of extra CA certificates for the server's HTTPS (`[gitea] ca_file`), read on the
   * first request; the system's trust store is used as well. Close the client when done.
   */
  caFile?: string;
  /** Retry timing overrides (tests use tiny delays). */
  retryTiming?: { baseDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  /** The `fetch` to use (tests). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** A repository of the organisation, as the API lists it (the fields this tool uses). */
export interface GiteaRepository {
  /** Repository name (`aws`), the extension name by convention. */
  name: string;
  /** `{owner}/{name}`. */
  fullName: string;
  /** Description, `""` when none. */
  description: string;
  /** Default branch, when reported. */
  defaultBranch?: string;
  /** Whether the repository is private. */
  private: boolean;
  /** Whether the repository is archived (read-only). */
  archived: boolean;
  /** Whether the repository has no commits. */
  empty: boolean;
  /**
   * Whether the caller may read its code: false when the server says so in advance
   * (`permissions.pull` false, or `has_code` false on servers that send it). Since Gitea
   * 1.22 an organisation lists repositories the caller has any unit access to.
   */
  codeReadable: boolean;
  /** Web page of the repository, when reported. */
  htmlUrl?: string;
  /** HTTPS clone URL, when reported. */
  cloneUrl?: string;
  /** Last update (ISO 8601), when reported. */
  updatedAt?: string;
}

/** A version tag of a repository. */
export interface GiteaTag {
  /** The tag as it exists (`1.2.3`, `v1.2.3`). */
  tag: string;
  /** The semantic version it names. */
  version: string;
  /** The commit the tag points at (`commit.sha`). */
  commit: string;
  /** The tag's object id (`id`): the tag object of an annotated tag, else the commit. */
  id?: string;
}

/** One repository with its version tags. */
export interface GiteaRepositoryTags {
  /** The repository. */
  repository: GiteaRepository;
  /** Its version tags, lowest version first (empty when it has none). */
  tags: GiteaTag[];
  /** Why its tags could not be read (no code access), when they could not; else absent. */
  unreadable?: string;
}

/** Options of {@linkcode GiteaClient.openArchive}. */
export interface OpenArchiveOptions {
  /**
   * The commit the tag pointed at when it was listed. When the tag now points elsewhere the
   * archive is refused (`INTEGRITY`).
   */
  expectedCommit?: string;
}

/**
 * The content of one tag of a Gitea repository: a tar+gzip from the archive endpoint, pinned
 * to the tag's commit, plus where it came from. Shaped like the cache's `GiteaSaveInfo`.
 *
 * Gitea puts every entry under one top-level folder, the repository's directory name
 * (`{repo}/`, lower case; no folder at all when the server sets
 * `[repository] PREFIX_ARCHIVE_FILES = false`). The extension is at
 * `{topLevel}/{subpath}/` — the extractor strips the single top-level folder, then takes
 * `subpath`.
 */
export interface GiteaTagArchive {
  /** Always `gitea`. */
  source: "gitea";
  /** `{url}/{organization}/{repo}` (no credentials: the token travels in a header). */
  remote: string;
  /** The repository name. */
  repository: string;
  /** The tag. */
  tag: string;
  /** The commit the tag points at; the archive is requested by this commit. */
  commit: string;
  /** Where `extension.yaml` lives below the archive's top-level folder (`""` for its root). */
  subpath: string;
  /** The folder Gitea is expected to put every entry under (`{repo}/`, lower case). */
  topLevelDirectory: string;
  /** Text of `extension.yaml` at the commit. */
  manifestText: string;
  /** The archive (`application/gzip`; digest and size unknown until downloaded). */
  archive: TagArchiveSource;
}

/** A client for one organisation on one Gitea/Forgejo server. */
export interface GiteaClient {
  /** The normalised base URL (ends with `/`). */
  readonly baseUrl: string;
  /** The organisation. */
  readonly organization: string;
  /** Whether requests carry a token (false: anonymous, only public repositories show). */
  readonly authenticated: boolean;
  /** Every repository of the organisation (all pages). */
  listRepositories(): Promise<GiteaRepository[]>;
  /** The version tags of a repository (all pages), lowest version first; others left out. */
  listTags(repo: string): Promise<GiteaTag[]>;
  /** Every repository with its version tags, listed with bounded concurrency. */
  listAllTags(): Promise<GiteaRepositoryTags[]>;
  /** One tag of a repository and its commit (any tag name, semver or not). */
  resolveTag(repo: string, tag: string): Promise<{ tag: string; commit: string; id?: string }>;
  /** The highest version tag satisfying a version spec. */
  resolveVersion(repo: string, spec: string): Promise<GiteaTag>;
  /**
   * Text of `{subpath}/extension.yaml` at a ref (a commit, tag or branch), no archive
   * download. Read by commit where the commit is known: since Gitea 1.24 an unknown ref
   * silently serves the default branch. `tag` names the ref in messages.
   */
  readManifestText(repo: string, ref: string, tag?: string): Promise<string>;
  /** The archive of a tag, pinned to its commit, after checking `extension.yaml` exists. */
  openArchive(repo: string, tag: string, options?: OpenArchiveOptions): Promise<GiteaTagArchive>;
  /** Releases the HTTP client holding `caFile`'s certificates, if one was made. */
  close(): void;
}
