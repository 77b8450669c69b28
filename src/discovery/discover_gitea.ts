/**
 * Discovery on a Gitea or Forgejo server: the organisation's repositories (paginated), the
 * tags of each (bounded concurrency), and the raw `extension.yaml` of each repository's
 * highest version tag — no archive is downloaded.
 *
 * @module
 */

import { isProvisioningError, ProvisioningError } from "../errors.ts";
import type { GiteaClient, GiteaTag } from "../gitea/mod.ts";
import { isExtensionName } from "../manifest/mod.ts";
import { mapConcurrent } from "./_map_concurrent.ts";
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

  /** The row of a repository from its tags; undefined without version tags. */
  const rowOf = async (
    c: GiteaClient,
    name: string,
    tags: readonly GiteaTag[],
    description?: string,
  ): Promise<DiscoveredExtension | undefined> => {
    const { versions, highest, tagOf } = versionsFromTags(tags.map((t) => t.tag));
    if (highest === undefined) return undefined;
    const tag = tagOf.get(highest)!;
    const text = await c.readManifestText(name, tag);
    return tagEntry(tagManifest(c, name, tag, highest, text, description), versions);
  };

  return {
    source: "gitea",
    label,
    cacheKey: options.cacheKey ??
      (known === undefined
        ? undefined
        : JSON.stringify(["gitea", known.baseUrl, known.organization])),
    async discover(context): Promise<SourceListing> {
      const c = await getClient();
      const repositories = (await c.listAllTags()).filter((r) => r.tags.length > 0);
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
        tags = await c.listTags(name);
      } catch (error) {
        if (isProvisioningError(error, "NOT_FOUND")) return [];
        throw error;
      }
      const row = await rowOf(c, name, tags);
      return row === undefined ? [] : [row];
    },
    async describe(entry, version) {
      const c = await getClient();
      const tag = versionsFromTags((await c.listTags(entry.name)).map((t) => t.tag)).tagOf.get(
        version,
      );
      if (tag === undefined) {
        throw new ProvisioningError(
          "VERSION_NOT_FOUND",
          `Version "${version}" of "${entry.name}" not found in repository "${c.organization}/${entry.name}"`,
        );
      }
      const described = tagManifest(
        c,
        entry.name,
        tag,
        version,
        await c.readManifestText(entry.name, tag),
      );
      return tagDetails(described, parseTagManifest(described));
    },
  };
}
