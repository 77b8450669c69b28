/**
 * Discovery on a Gitea or Forgejo server: the organisation's repositories (paginated), the
 * tags of each (bounded concurrency), and the raw `extension.yaml` of each repository's
 * highest version tag, read by the tag's commit — no archive is downloaded.
 *
 * A repository whose code the caller may not read (listed for another unit since Gitea
 * 1.22) is skipped with a warning. Repository names are matched without regard to case, as
 * Gitea does: repository `Nginx` is extension `nginx`. An anonymous listing that shows
 * nothing says so and hints at a token (a private organisation lists as `[]`, not 404).
 *
 * @module
 */

import { isProvisioningError, ProvisioningError } from "../errors.ts";
import type { GiteaClient, GiteaTag } from "../gitea/mod.ts";
import { isExtensionName } from "../manifest/mod.ts";
import { mapConcurrent } from "../net/map_concurrent.ts";
import { parseTagManifest, tagDetails, tagEntry, type TagManifest } from "./_manifest_entry.ts";
import { versionsFromTags } from "./_tags.ts";
import type { DiscoveredExtension, ExtensionDiscoverer, SourceListing } from "./types.ts";

/** Individual per-repository warnings before they are summed up in one line. */
const MAX_REPOSITORY_WARNINGS = 5;

/** Codes that concern the server as a whole: discovery stops at the first. */
const FATAL_CODES = new Set([
  "UNREACHABLE",
  "TIMEOUT",
  "AUTH_REFUSED",
  "INSECURE_TRANSPORT",
  "INVALID_CONFIG",
  "INTERNAL",
]);

/** Options of {@linkcode createGiteaDiscoverer}. */
export interface GiteaDiscovererOptions {
  /** Manifests read at once; default 8. */
  concurrency?: number;
  /** Names the server in messages; default `{host}/{organization}` of the client. */
  label?: string;
  /** Identity of the listing for the discovery cache; default from the client. */
  cacheKey?: string;
}

/**
 * A discoverer over one Gitea organisation. The client may be given lazily (a function), so
 * a token file that cannot be read fails this source only.
 *
 * @example
 * ```ts ignore
 * const gitea = createGiteaDiscoverer(createGiteaClient({ url, organization: "exts" }));
 * const { extensions } = await gitea.discover({ signal, warn: console.error });
 * ```
 *
 * @param client The client, or a function that makes it.
 * @param options Concurrency, label and cache key.
 * @returns The discoverer.
 */
export function createGiteaDiscoverer(
  client: GiteaClient | (() => Promise<GiteaClient>),
  options: GiteaDiscovererOptions = {},
): ExtensionDiscoverer {
  let made: Promise<GiteaClient> | undefined;
  const getClient = () =>
    made ??= typeof client === "function" ? client() : Promise.resolve(client);
  const known = typeof client === "function" ? undefined : client;
  const label = options.label ??
    (known === undefined ? "Gitea" : `${new URL(known.baseUrl).host}/${known.organization}`);
  const concurrency = Math.max(1, options.concurrency ?? 8);

  const tagManifest = (
    c: GiteaClient,
    name: string,
    tag: string,
    version: string,
    text: string,
    fallbackDescription?: string,
  ): TagManifest => ({
    source: "gitea",
    name,
    version,
    text,
    label: `tag "${tag}" of repository "${c.organization}/${name}"`,
    ...(fallbackDescription === undefined ? {} : { fallbackDescription }),
  });

  /** Tags by repository name, read once per discoverer (`ext info` looks up, then describes). */
  const tagsByName = new Map<string, Promise<GiteaTag[]>>();
  const tagsOf = (c: GiteaClient, name: string) => {
    let tags = tagsByName.get(name);
    if (tags === undefined) {
      tags = c.listTags(name);
      tags.catch(() => tagsByName.delete(name));
      tagsByName.set(name, tags);
    }
    return tags;
  };
  /** Manifest texts by repository and commit, read once per discoverer. */
  const manifests = new Map<string, Promise<string>>();
  const manifestAt = (c: GiteaClient, name: string, tag: GiteaTag) => {
    const key = `${name}\n${tag.commit}`;
    let text = manifests.get(key);
    if (text === undefined) {
      // By commit, not by tag name: a tag deleted since the listing must not read the
      // default branch (Gitea 1.24 serves it for an unknown ref, with a 200).
      text = c.readManifestText(name, tag.commit, tag.tag);
      text.catch(() => manifests.delete(key));
      manifests.set(key, text);
    }
    return text;
  };
  const tagOfVersion = (tags: readonly GiteaTag[], version: string) => {
    const name = versionsFromTags(tags.map((t) => t.tag)).tagOf.get(version);
    return tags.find((t) => t.tag === name);
  };

  /** The row of a repository from its tags; undefined without version tags. */
  const rowOf = async (
    c: GiteaClient,
    repo: string,
    tags: readonly GiteaTag[],
    description?: string,
  ): Promise<DiscoveredExtension | undefined> => {
    const { versions, highest } = versionsFromTags(tags.map((t) => t.tag));
    if (highest === undefined) return undefined;
    const tag = tagOfVersion(tags, highest)!;
    const text = await manifestAt(c, repo, tag);
    const manifest = tagManifest(c, extensionName(repo), tag.tag, highest, text, description);
    return tagEntry(manifest, versions);
  };

  return {
    source: "gitea",
    label,
    cacheKey: options.cacheKey ??
      (known === undefined
        ? undefined
        : JSON.stringify(["gitea", known.baseUrl, known.organization])),
    // Only a client made here is closed here (it may hold `[gitea] ca_file`'s HTTP client).
    close: () => known === undefined ? made?.then((c) => c.close(), () => {}) : undefined,
    async discover(context): Promise<SourceListing> {
      const c = await getClient();
      const all = await c.listAllTags();
      if (all.length === 0 && !c.authenticated) {
        context.warn(
          `Gitea "${new URL(c.baseUrl).host}" shows no repositories of "${c.organization}" ` +
            "to anonymous callers; if the organisation is private, configure a token " +
            "([gitea] token_path or PROVISIONING_GITEA_TOKEN)",
        );
      }
      const unreadable = all.filter((r) => r.unreadable !== undefined);
      for (const { repository, unreadable: why } of unreadable.slice(0, MAX_REPOSITORY_WARNINGS)) {
        context.warn(`skipping "${repository.fullName}": ${why}`);
      }
      if (unreadable.length > MAX_REPOSITORY_WARNINGS) {
        context.warn(
          `… and ${unreadable.length - MAX_REPOSITORY_WARNINGS} more repositories whose code ` +
            "is not readable",
        );
      }
      const repositories = all.filter((r) => r.tags.length > 0);
      for (const { repository, tags } of repositories) {
        tagsByName.set(extensionName(repository.name), Promise.resolve(tags));
      }
      const failed: string[] = [];
      let firstError: unknown;
      const rows = await mapConcurrent(repositories, concurrency, async ({ repository, tags }) => {
        try {
          return await rowOf(c, repository.name, tags, repository.description || undefined);
        } catch (error) {
          if (!isProvisioningError(error) || FATAL_CODES.has(error.code)) throw error;
          firstError ??= error;
          failed.push(repository.name);
          if (failed.length <= MAX_REPOSITORY_WARNINGS) {
            context.warn(`skipping "${repository.fullName}": ${error.message}`);
          }
          return undefined;
        }
      }, context.signal);
      if (failed.length > MAX_REPOSITORY_WARNINGS) {
        context.warn(
          `… and ${failed.length - MAX_REPOSITORY_WARNINGS} more repositories could not be read`,
        );
      }
      if (repositories.length > 0 && failed.length === repositories.length) throw firstError;
      const extensions = rows.filter((row): row is DiscoveredExtension => row !== undefined)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { extensions, complete: failed.length === 0 };
    },
    async lookup(name) {
      if (!isExtensionName(name)) return [];
      const c = await getClient();
      let tags: GiteaTag[];
      try {
        tags = await tagsOf(c, name);
      } catch (error) {
        if (isProvisioningError(error, "NOT_FOUND")) return [];
        throw error;
      }
      const row = await rowOf(c, name, tags);
      return row === undefined ? [] : [row];
    },
    async describe(entry, version) {
      const c = await getClient();
      const tag = tagOfVersion(await tagsOf(c, entry.name), version);
      if (tag === undefined) {
        throw new ProvisioningError(
          "VERSION_NOT_FOUND",
          `Version "${version}" of "${entry.name}" not found in repository "${c.organization}/${entry.name}"`,
        );
      }
      const described = tagManifest(
        c,
        entry.name,
        tag.tag,
        version,
        await manifestAt(c, entry.name, tag),
      );
      return tagDetails(described, parseTagManifest(described));
    },
  };
}

/**
 * The extension a repository stands for: its name in lower case (Gitea looks repositories
 * up without regard to case, so `Nginx` answers as `nginx` too).
 */
function extensionName(repository: string): string {
  return repository.toLowerCase();
}
