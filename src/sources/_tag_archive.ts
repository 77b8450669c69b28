/**
 * What the `gitea` and `git` sources share once a tag is chosen: the moved-tag check
 * against what the cache recorded, and saving the tag's archive into the cache with the
 * `extension.yaml` inside validated — name, type and version compared with what was asked —
 * before the entry becomes visible. Private to the sources.
 *
 * @module
 */

import { listCached, saveGiteaToCache } from "../cache/mod.ts";
import type { ArchiveSource, CacheEntry } from "../cache/types.ts";
import { ProvisioningError } from "../errors.ts";
import { type ExtensionManifest, parseManifest } from "../manifest/mod.ts";
import { fromCacheEntry } from "./from_cache_entry.ts";
import { validateUnpackedTree } from "./_validate_tree.ts";
import type { MaterializedExtension, MaterializeOptions, ResolvedVersion } from "./types.ts";

/** Where a tag's content comes from, as recorded in the cache entry. */
export interface TagOrigin {
  /** `gitea` or `git`. */
  source: "gitea" | "git";
  /** The remote as recorded (credentials redacted; `#sub-path` for git sub-paths). */
  remote: string;
  /** The tag. */
  tag: string;
  /** The commit the tag points at now. */
  commit: string;
  /** Names the tag's repository in messages: `git repository "…"`, `repository "o/r" on Gitea "h"`. */
  where: string;
}

/**
 * The cache entry made from this remote and tag, if any, checking that the tag still points
 * at the commit the entry was made from.
 *
 * @param root The cache root (missing: no entry).
 * @param origin The remote, tag and the tag's current commit.
 * @param options `force`: a moved tag is not an error (the caller refetches); `hint`: what
 *   to tell the user when it is.
 * @returns The entry made from the same commit, or undefined.
 * @throws {ProvisioningError} `INTEGRITY` (exit 5) when an entry records another commit for
 *   this tag and `force` is off.
 */
export async function cachedTagEntry(
  root: string,
  origin: TagOrigin,
  options: { force?: boolean; hint: (entry: CacheEntry) => string },
): Promise<CacheEntry | undefined> {
  const same = (await entriesOf(root, origin.source)).filter((entry) =>
    entry.remote === origin.remote && entry.tag === origin.tag
  );
  const moved = same.find((entry) => entry.commit !== undefined && entry.commit !== origin.commit);
  if (moved !== undefined && options.force !== true) {
    throw new ProvisioningError(
      "INTEGRITY",
      `Tag "${origin.tag}" of ${origin.where} moved: cached ${moved.type} "${moved.name}" ` +
        `${moved.version} was made from commit ${moved.commit}, the tag now points at commit ${origin.commit}`,
      { hint: options.hint(moved) },
    );
  }
  return same.find((entry) => entry.commit === origin.commit);
}

async function entriesOf(root: string, source: "gitea" | "git"): Promise<CacheEntry[]> {
  try {
    if (!(await Deno.stat(root)).isDirectory) return [];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return await listCached(root, { source });
}

/** One tag's content, ready to be saved. */
export interface TagContent {
  /** Where it came from (recorded in the entry). */
  origin: TagOrigin;
  /** What was resolved (version and spec). */
  resolved: ResolvedVersion;
  /** The extension name the caller asked for; undefined for a git URL (the manifest names it). */
  expectedName: string | undefined;
  /** Text of `extension.yaml` at the tag, read before the archive is downloaded. */
  manifestText: string;
  /** Path of `extension.yaml` in the repository, for messages. */
  manifestPath: string;
  /** The archive of the tag. */
  archive: ArchiveSource;
  /** Where the extension lives inside the archive (Gitea sub-path), if not at its top. */
  subdir?: string;
}

/**
 * Checks the manifest read at the tag against what was asked (before any download), then
 * saves the archive as `{type}/{name}/{version}`, validating the unpacked tree before the
 * entry becomes visible. An entry already there is returned unless `force`.
 *
 * @param content The tag's manifest, archive and origin.
 * @param options Cache root, asserted type, force, limits, progress.
 * @returns The extension in the cache.
 * @throws {ProvisioningError} `INVALID_MANIFEST` for a bad `extension.yaml`;
 *   `INVALID_EXTENSION` when it names another extension or version; `TYPE_MISMATCH`;
 *   cache and transfer errors.
 */
export async function saveTagContent(
  content: TagContent,
  options: MaterializeOptions,
): Promise<MaterializedExtension> {
  const { origin, resolved } = content;
  const label = `tag "${origin.tag}" of ${origin.where}`;
  const declared = parseManifest(content.manifestText, `${content.manifestPath} at ${label}`);
  const expected = {
    name: content.expectedName,
    version: resolved.version,
    type: options.type,
    label,
  };
  checkIdentity(declared, expected);
  const { name, type } = declared.extension;
  const progress = options.onProgress;
  let archive = content.archive;
  if (progress !== undefined) {
    const total = archive.size ?? 0;
    archive = {
      ...archive,
      open: async () => {
        let transferred = 0;
        return (await content.archive.open()).pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              transferred += chunk.byteLength;
              progress({ name, version: resolved.version, transferred, total });
              controller.enqueue(chunk);
            },
          }),
        );
      },
    };
  }
  let manifest: ExtensionManifest | undefined;
  const entry = await saveGiteaToCache(
    options.cacheRoot,
    { type, name, version: resolved.version },
    {
      archive,
      remote: origin.remote,
      tag: origin.tag,
      commit: origin.commit,
      reference: resolved.spec,
      source: origin.source,
    },
    {
      force: options.force === true,
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(content.subdir === undefined || content.subdir === "" ? {} : { subdir: content.subdir }),
      validate: async (dir) => {
        manifest = await validateUnpackedTree(dir, `The ${label}`, options.onWarning);
        checkIdentity(manifest, { ...expected, name, type });
      },
    },
  );
  // An entry another source already made for this version is returned as it is.
  return await fromCacheEntry(
    entry,
    entry.source === "unknown" ? origin.source : entry.source,
    manifest,
  );
}

function checkIdentity(
  manifest: ExtensionManifest,
  expected: {
    name: string | undefined;
    version: string;
    type: string | undefined;
    label: string;
  },
): void {
  const { name, version, type } = manifest.extension;
  const label = expected.label.charAt(0).toUpperCase() + expected.label.slice(1);
  if (expected.name !== undefined && name !== expected.name) {
    throw new ProvisioningError(
      "INVALID_EXTENSION",
      `${label} holds extension "${name}", not "${expected.name}"`,
      {
        hint:
          "An extension is found by its repository's name: name the repository after the extension, or load it by its URL with --source git",
      },
    );
  }
  if (expected.type !== undefined && type !== expected.type) {
    throw new ProvisioningError(
      "TYPE_MISMATCH",
      `Extension "${name}" at ${expected.label} is a ${type}, not a ${expected.type}`,
      { hint: `Ask for --type ${type}, or leave --type out` },
    );
  }
  if (version !== expected.version) {
    throw new ProvisioningError(
      "INVALID_EXTENSION",
      `${label} holds version "${version}" of "${name}", not "${expected.version}"`,
      { hint: "The tag and the extension.yaml at it disagree; tag the commit that names it" },
    );
  }
}
