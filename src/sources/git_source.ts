/**
 * The `git` source: extensions in plain git repositories, one repository per extension —
 * the remotes listed in `[git] remotes`, or a git reference given as the name
 * (`git+https://…`, `git://…`, `file://…`). Versions are the remote's semver tags (from
 * `git ls-remote --tags`, no clone); the content of a tag comes from a shallow fetch of that
 * tag alone, archived with `git archive` into `<cache root>/tmp` and unpacked into the cache
 * through the same hostile-archive checks as OCI layers. Needs `--allow-run=git` (and only
 * this source does).
 *
 * A configured remote stands for the extension named like its repository (`…/aws.git` →
 * `aws`), or like the last folder of its `#sub-path`. A git reference given as the name is
 * loaded under the name its `extension.yaml` declares.
 *
 * The cache entry records remote, tag and commit; a tag that points at another commit than a
 * cached copy was made from is refused (`INTEGRITY`).
 *
 * Discovery reads each configured remote's version tags, then the `extension.yaml` of its
 * highest version — from the cache when that commit is already there, else from a shallow
 * fetch of that one tag into `<cache root>/tmp` — with bounded concurrency. A remote whose
 * `extension.yaml` names another extension is reported and left out, since loading it by
 * that name would not find it.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import type { ResolvedConfig } from "../config/types.ts";
import { listCached, makeScratchDir } from "../cache/mod.ts";
import { isSameOrigin } from "../cache/origin.ts";
import type { CacheEntry } from "../cache/types.ts";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import {
  fetchTagArchive,
  type GitRemoteOptions,
  listRemoteTags,
  redactCredentials,
  type RemoteTag,
} from "../git/mod.ts";
import { mapConcurrent } from "../net/map_concurrent.ts";
import { resolveOciVersion, sortBySemver } from "../versions/mod.ts";
import { parseTagManifest, tagDetails, tagEntry, type TagManifest } from "./_manifest_entry.ts";
import { cachedTagEntry, saveTagContent, type TagOrigin } from "./_tag_archive.ts";
import { fromCacheEntry } from "./from_cache_entry.ts";
import { type GitRemoteTarget, gitRemoteTarget, isGitReference } from "./git_remotes.ts";
import { versionsFromTags, versionsOfTags } from "./_tag_versions.ts";
import type {
  DiscoverContext,
  DiscoveredExtension,
  ExtensionDiscoverer,
  MaterializedExtension,
  MaterializeOptions,
  ResolvedVersion,
  Source,
  SourceListing,
  SourceVersion,
} from "./types.ts";

/** Individual per-remote warnings of discovery before they are summed up in one line. */
const MAX_REMOTE_WARNINGS = 5;

/** Options of {@linkcode createGitSource}. */
export interface GitSourceOptions {
  /** Runs git (tests); default: the `git` on `PATH`. */
  runGit?: GitRemoteOptions["runGit"];
  /** Milliseconds one git invocation may take; default 120,000. */
  timeoutMs?: number;
  /**
   * The load is forced (`--force`): a tag that moved since its version was cached is not
   * refused when resolving; the forced fetch replaces the entry.
   */
  force?: boolean;
}

/** Options of {@linkcode createGitDiscoverer}. */
export interface GitDiscovererOptions extends Pick<GitSourceOptions, "runGit" | "timeoutMs"> {
  /** Cache root: manifests of cached commits are read there; fetches go to its `tmp/`. */
  cacheRoot: string;
  /** Remotes read at once; default 4. */
  concurrency?: number;
}

/**
 * The remote a name stands for: the name itself when it is a git reference, else the first
 * configured remote whose extension name it is.
 *
 * @example
 * ```ts
 * import { gitTargetFor } from "./git_source.ts";
 * import assert from "node:assert/strict";
 *
 * const remotes = ["https://git.example.com/exts/aws.git", "git://127.0.0.1/exts/k8s.git"];
 * assert.equal(gitTargetFor("k8s", remotes).url, "git://127.0.0.1/exts/k8s.git");
 * assert.equal(gitTargetFor("file:///srv/demo.git", remotes).name, "demo");
 * assert.throws(() => gitTargetFor("gcp", remotes), { code: "NOT_FOUND" });
 * ```
 *
 * @param name Extension name, or a git reference.
 * @param remotes `[git] remotes`.
 * @returns The remote.
 * @throws {ProvisioningError} `NOT_FOUND` (exit 3) when no configured remote stands for the
 *   name; as `gitRemoteTarget` for a bad remote.
 */
export function gitTargetFor(name: string, remotes: readonly string[]): GitRemoteTarget {
  if (isGitReference(name)) return gitRemoteTarget(name);
  for (const remote of remotes) {
    const target = gitRemoteTarget(remote);
    if (target.name === name) return target;
  }
  throw new ProvisioningError(
    "NOT_FOUND",
    `Extension "${name}" not found among the git remotes`,
    {
      hint: remotes.length === 0
        ? "No git remotes are configured ([git] remotes); or give the repository's URL as the name"
        : `A git remote stands for the extension named like its repository; configured: ${
          remotes.map((remote) => gitRemoteTarget(remote).name).join(", ")
        }`,
    },
  );
}

/**
 * Creates the git source. Nothing runs until a version is listed or resolved.
 *
 * @example
 * ```ts ignore
 * const source = createGitSource(config);
 * const resolved = await source.resolve("git+https://git.example.com/exts/aws.git", "^1.0.0");
 * const ext = await source.materialize(resolved, { cacheRoot: config.settings.cache.dir });
 * console.log(ext.name, ext.path); // the name from its extension.yaml
 * ```
 *
 * @param config The effective configuration (`[git] remotes`, the cache root).
 * @param options git runner and timeout, for tests.
 * @returns The source. Its methods throw `NOT_FOUND` (exit 3) for an unknown name or
 *   repository, `VERSION_NOT_FOUND` (exit 3), `AUTH_REFUSED`/`UNREACHABLE` (exit 4),
 *   `INVALID_EXTENSION` (exit 2, path named) for a tag without `extension.yaml`, and
 *   `INTEGRITY` (exit 5) for a tag that moved since it was listed or cached.
 */
export function createGitSource(config: ResolvedConfig, options: GitSourceOptions = {}): Source {
  const root = config.settings.cache.dir;
  const remotes = config.settings.git.remotes;
  const gitOptions = gitOptionsOf(options);
  const tagsByUrl = new Map<string, Promise<RemoteTag[]>>();
  const tagsOf = (target: GitRemoteTarget) => {
    let tags = tagsByUrl.get(target.url);
    if (tags === undefined) {
      tags = listRemoteTags(target.url, gitOptions).catch((error) => {
        tagsByUrl.delete(target.url);
        throw error;
      });
      tagsByUrl.set(target.url, tags);
    }
    return tags;
  };
  /** Commits seen when resolving, so the fetch is pinned to what was chosen. */
  const commits = new Map<string, string>();

  const origin = (target: GitRemoteTarget, tag: string, commit: string): TagOrigin => ({
    source: "git",
    remote: target.display,
    tag,
    commit,
    where: `git repository "${target.display}"`,
  });

  return {
    kind: "git",
    unavailable: undefined,
    ...(remotes.length === 0 ? { unlisted: "no git remotes configured ([git] remotes)" } : {}),
    cached: true,
    network: true,
    ...gitListing(remotes, {
      ...options,
      cacheRoot: root,
      concurrency: config.settings.oci.concurrency,
    }),
    async listVersions(name: string): Promise<SourceVersion[]> {
      return versionsOfTags(await tagsOf(gitTargetFor(name, remotes)));
    },
    async resolve(name: string, spec: string): Promise<ResolvedVersion> {
      const target = gitTargetFor(name, remotes);
      const tags = await tagsOf(target);
      const match = resolveOciVersion(spec, tags.map((t) => t.tag));
      const chosen = match && tags.find((t) => t.tag === match.tag);
      if (match === undefined || chosen === undefined) {
        const versions = sortBySemver([...new Set(tags.map((t) => t.version))]).reverse();
        throw new ProvisioningError(
          "VERSION_NOT_FOUND",
          `No version of "${target.name}" in git repository "${target.display}" satisfies "${spec}"`,
          {
            hint: versions.length > 0
              ? `Available versions: ${versions.join(", ")}`
              : "The repository has no semantic-version tags",
          },
        );
      }
      if (!isGitReference(name)) {
        // The loader answers a cached version without asking again: check the tag here.
        await cachedTagEntry(root, origin(target, chosen.tag, chosen.commit), {
          force: options.force === true,
          hint: (entry) =>
            `If the move was intended, remove the cached copy (provisioning ext cache clear --name ${entry.name} --type ${entry.type}) and load again`,
        });
      }
      commits.set(`${target.url}\n${chosen.tag}`, chosen.commit);
      return { source: "git", name, version: match.version, ref: chosen.tag, spec };
    },
    async materialize(
      resolved: ResolvedVersion,
      materializeOptions: MaterializeOptions,
    ): Promise<MaterializedExtension> {
      const target = gitTargetFor(resolved.name, remotes);
      const direct = isGitReference(resolved.name);
      let commit = commits.get(`${target.url}\n${resolved.ref}`);
      if (commit === undefined) {
        const tag = (await tagsOf(target)).find((t) => t.tag === resolved.ref);
        commit = tag?.commit;
      }
      if (direct && commit !== undefined) {
        // A URL is not a cache key: find an entry made from this remote and tag instead.
        const entry = await cachedTagEntry(root, origin(target, resolved.ref, commit), {
          force: materializeOptions.force === true,
          hint: () => "If the move was intended, run again with --force to fetch the new commit",
        });
        if (entry !== undefined && materializeOptions.force !== true) {
          return await fromCacheEntry(entry, "git");
        }
      }
      // A scratch folder of the cache's (never the user's folder; swept after a kill).
      await using scratch = await makeScratchDir(materializeOptions.cacheRoot, "git");
      await using fetched = await fetchTagArchive(target.url, resolved.ref, {
        ...gitOptions,
        ...(commit === undefined ? {} : { expectedCommit: commit }),
        ...(target.subpath === "" ? {} : { subpath: target.subpath }),
        tmpDir: scratch.path,
      });
      return await saveTagContent({
        origin: origin(target, fetched.tag, fetched.commit),
        resolved,
        expectedName: direct ? undefined : target.name,
        manifestText: fetched.manifestText,
        manifestPath: target.subpath === "" ? "extension.yaml" : `${target.subpath}/extension.yaml`,
        archive: fetched.archive,
      }, materializeOptions);
    },
    isOriginOf(record, name) {
      try {
        return isSameOrigin(record, { source: "git", remote: gitTargetFor(name, remotes).display });
      } catch {
        return false; // no configured remote stands for the name
      }
    },
    close() {},
  };
}

/**
 * Discovery over git remotes alone, without a configuration: the discovery half of
 * {@linkcode createGitSource}, under the name it had before loading and discovery shared
 * one {@linkcode Source} interface.
 *
 * @deprecated Use `createGitSource(config)` (or `createSource("git", { config })`), whose
 *   `discover`, `lookup` and `describe` do the same.
 *
 * @example
 * ```ts
 * import { createGitDiscoverer } from "./git_source.ts";
 * import assert from "node:assert/strict";
 *
 * const git = createGitDiscoverer(["https://u:p@git.example.com/exts/aws.git"], {
 *   cacheRoot: "/tmp/cache",
 * });
 * assert.equal(git.label, "https://***@git.example.com/exts/aws.git");
 * const context = { signal: new AbortController().signal, warn: () => {} };
 * assert.deepEqual(await git.lookup("gcp", context), []);
 * ```
 *
 * @param remotes `[git] remotes` (each may carry `#sub-path`).
 * @param options Cache root, concurrency, git runner and timeout.
 * @returns The discoverer.
 */
export function createGitDiscoverer(
  remotes: readonly string[],
  options: GitDiscovererOptions,
): ExtensionDiscoverer {
  return { source: "git", ...gitListing(remotes, options) };
}

/** The discovery half of the git source. */
function gitListing(
  remotes: readonly string[],
  options: GitDiscovererOptions,
): Pick<Source, "label" | "cacheKey" | "discover" | "lookup" | "describe"> {
  const displays = remotes.map((remote) => redactCredentials(remote.trim()));
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const gitOptions = gitOptionsOf(options);
  let cachedEntries: Promise<CacheEntry[]> | undefined;
  const cached = () => cachedEntries ??= cacheEntries(options.cacheRoot);

  /** The remote loading would use for `name`: the first one standing for it. */
  const targetNamed = (name: string): GitRemoteTarget | undefined =>
    remotes.map(gitRemoteTarget).find((target) => target.name === name);

  const tagManifest = (target: GitRemoteTarget, tag: string, version: string, text: string) =>
    ({
      source: "git",
      name: target.name,
      version,
      text,
      label: `tag "${tag}" of git repository "${target.display}"`,
    }) satisfies TagManifest;

  /** `extension.yaml` at a tag: from a cache entry of that commit, else a shallow fetch. */
  const manifestAt = async (target: GitRemoteTarget, tag: RemoteTag, signal: AbortSignal) => {
    const entry = (await cached()).find((e) =>
      e.remote === target.display && e.tag === tag.tag && e.commit === tag.commit
    );
    if (entry !== undefined) {
      try {
        return await Deno.readTextFile(join(entry.path, "extension.yaml"));
      } catch {
        // Removed meanwhile: fetch it.
      }
    }
    await using scratch = await makeScratchDir(options.cacheRoot, "git");
    await using fetched = await fetchTagArchive(target.url, tag.tag, {
      ...gitOptions,
      signal,
      expectedCommit: tag.commit,
      ...(target.subpath === "" ? {} : { subpath: target.subpath }),
      tmpDir: scratch.path,
    });
    return fetched.manifestText;
  };

  /** The row of one remote; undefined without version tags. */
  const rowOf = async (
    target: GitRemoteTarget,
    signal: AbortSignal,
  ): Promise<DiscoveredExtension | undefined> => {
    const tags = await listRemoteTags(target.url, { ...gitOptions, signal });
    const { versions, highest, tagOf } = versionsFromTags(tags.map((t) => t.tag));
    if (highest === undefined) return undefined;
    const tag = tags.find((t) => t.tag === tagOf.get(highest))!;
    const text = await manifestAt(target, tag, signal);
    return tagEntry(tagManifest(target, tag.tag, highest, text), versions);
  };

  return {
    label: displays.length === 1 ? displays[0]! : `${displays.length} git remotes`,
    cacheKey: JSON.stringify(["git", displays]),
    async discover(context: DiscoverContext): Promise<SourceListing> {
      const failed: string[] = [];
      let firstError: unknown;
      const fail = (index: number, error: ProvisioningError) => {
        firstError ??= error;
        failed.push(displays[index]!);
        if (failed.length <= MAX_REMOTE_WARNINGS) {
          context.warn(`skipping git remote "${displays[index]}": ${error.message}`);
        }
      };
      // Loading takes the first remote standing for a name: list only that one.
      const firstOf = new Map<string, number>();
      const targets = remotes.map((remote, index) => {
        try {
          const target = gitRemoteTarget(remote);
          const first = firstOf.get(target.name);
          if (first === undefined) {
            firstOf.set(target.name, index);
            return target;
          }
          context.warn(
            `skipping git remote "${displays[index]}": "${
              displays[first]
            }" already stands for "${target.name}"`,
          );
        } catch (error) {
          if (!isProvisioningError(error)) throw error;
          fail(index, error);
        }
        return undefined;
      });
      const rows = await mapConcurrent(targets, concurrency, async (target, index) => {
        if (target === undefined) return undefined;
        try {
          return await rowOf(target, context.signal);
        } catch (error) {
          if (!isProvisioningError(error)) throw error;
          fail(index, error);
          return undefined;
        }
      }, context.signal);
      if (failed.length > MAX_REMOTE_WARNINGS) {
        context.warn(`… and ${failed.length - MAX_REMOTE_WARNINGS} more git remotes failed`);
      }
      if (remotes.length > 0 && failed.length === remotes.length) throw firstError;
      const extensions = rows.filter((row): row is DiscoveredExtension => row !== undefined)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { extensions, complete: failed.length === 0 };
    },
    async lookup(name, context) {
      const target = targetNamed(name);
      const row = target === undefined ? undefined : await rowOf(target, context.signal);
      return row === undefined ? [] : [row];
    },
    async describe(entry, version, context) {
      const target = targetNamed(entry.name);
      const tags = target === undefined
        ? []
        : await listRemoteTags(target.url, { ...gitOptions, signal: context.signal });
      const tagName = versionsFromTags(tags.map((t) => t.tag)).tagOf.get(version);
      const tag = tags.find((t) => t.tag === tagName);
      if (target === undefined || tag === undefined) {
        throw new ProvisioningError(
          "VERSION_NOT_FOUND",
          `Version "${version}" of "${entry.name}" not found among the git remotes`,
        );
      }
      const described = tagManifest(
        target,
        tag.tag,
        version,
        await manifestAt(target, tag, context.signal),
      );
      return tagDetails(described, parseTagManifest(described));
    },
  };
}

/** The options of the git commands the source runs. */
function gitOptionsOf(options: Pick<GitSourceOptions, "runGit" | "timeoutMs">): GitRemoteOptions {
  return {
    ...(options.runGit === undefined ? {} : { runGit: options.runGit }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
}

async function cacheEntries(root: string): Promise<CacheEntry[]> {
  try {
    if (!(await Deno.stat(root)).isDirectory) return [];
    return await listCached(root, { source: "git" });
  } catch {
    return []; // the cache is optional here
  }
}
