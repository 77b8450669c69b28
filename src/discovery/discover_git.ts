/**
 * Discovery over the configured git remotes (`[git] remotes`): each remote's version tags
 * (`git ls-remote --tags`, no clone), then the `extension.yaml` of its highest version —
 * read from the cache when that commit is already there, else from a shallow fetch of that
 * one tag into `<cache root>/tmp` — with bounded concurrency.
 *
 * @module
 */

import { join } from "node:path";
import { listCached, makeScratchDir } from "../cache/mod.ts";
import type { CacheEntry } from "../cache/types.ts";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import {
  fetchTagArchive,
  type GitRemoteOptions,
  listRemoteTags,
  redactCredentials,
  type RemoteTag,
} from "../git/mod.ts";
import { type GitRemoteTarget, gitRemoteTarget } from "../sources/git_remotes.ts";
import { mapConcurrent } from "../net/map_concurrent.ts";
import { parseTagManifest, tagDetails, tagEntry, type TagManifest } from "./_manifest_entry.ts";
import { versionsFromTags } from "./_tags.ts";
import type {
  DiscoverContext,
  DiscoveredExtension,
  ExtensionDiscoverer,
  SourceListing,
} from "./types.ts";

/** Individual per-remote warnings before they are summed up in one line. */
const MAX_REMOTE_WARNINGS = 5;

/** Options of {@linkcode createGitDiscoverer}. */
export interface GitDiscovererOptions {
  /** Cache root: manifests of cached commits are read there; fetches go to its `tmp/`. */
  cacheRoot: string;
  /** Remotes read at once; default 4. */
  concurrency?: number;
  /** Runs git (tests); default: the `git` on `PATH`. */
  runGit?: GitRemoteOptions["runGit"];
  /** Milliseconds one git invocation may take; default 120,000. */
  timeoutMs?: number;
}

/**
 * A discoverer over git remotes. A remote stands for the extension named like its repository
 * (or its `#sub-path`'s last folder); one whose `extension.yaml` names another extension is
 * reported and left out, since loading it by that name would not find it.
 *
 * @example
 * ```ts
 * import { createGitDiscoverer } from "./discover_git.ts";
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
  const displays = remotes.map((remote) => redactCredentials(remote.trim()));
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const gitOptions: GitRemoteOptions = {
    ...(options.runGit === undefined ? {} : { runGit: options.runGit }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
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
    source: "git",
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

async function cacheEntries(root: string): Promise<CacheEntry[]> {
  try {
    if (!(await Deno.stat(root)).isDirectory) return [];
    return await listCached(root, { source: "git" });
  } catch {
    return []; // the cache is optional here
  }
}
