/**
 * The `gitea` source: extensions kept as repositories `{organization}/{name}` on a Gitea or
 * Forgejo server, their semver tags as versions and the tree at a tag as the content — over
 * the documented REST API only (no git binary), so it needs network access to that host and
 * nothing else.
 *
 * Resolving lists the repository's tags and picks one with `resolveOciVersion` (`v1.2.3`
 * reads as `1.2.3`, non-semver tags ignored). Materialising reads `extension.yaml` at the
 * tag's commit (checking name, type and version before any download), then streams the
 * archive of that commit into the cache, recording remote, tag and commit. A tag that points
 * at another commit than a cached copy was made from is refused (`INTEGRITY`).
 *
 * Discovery reads the organisation's repositories (paginated), the tags of each (bounded
 * concurrency), and the raw `extension.yaml` of each repository's highest version tag, by
 * the tag's commit — no archive is downloaded. A repository whose code the caller may not
 * read (listed for another unit since Gitea 1.22) is skipped with a warning. Repository
 * names are matched without regard to case, as Gitea does: repository `Nginx` is extension
 * `nginx`. An anonymous listing that shows nothing says so and hints at a token (a private
 * organisation lists as `[]`, not 404).
 *
 * @module
 */

import type { ResolvedConfig } from "../config/types.ts";
import { isSameOrigin } from "../cache/origin.ts";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { giteaBaseUrl } from "../gitea/gitea_base_url.ts";
import { createGiteaClient, type GiteaClient, type GiteaTag } from "../gitea/mod.ts";
import { isExtensionName } from "../manifest/mod.ts";
import { mapConcurrent } from "../net/map_concurrent.ts";
import { resolveOciVersion, sortBySemver } from "../versions/mod.ts";
import { parseTagManifest, tagDetails, tagEntry, type TagManifest } from "./_manifest_entry.ts";
import { cachedTagEntry, saveTagContent, type TagOrigin } from "./_tag_archive.ts";
import { versionsFromTags, versionsOfTags } from "./_tag_versions.ts";
import type {
  DiscoveredExtension,
  ExtensionDiscoverer,
  MaterializedExtension,
  MaterializeOptions,
  ResolvedVersion,
  Source,
  SourceListing,
  SourceVersion,
} from "./types.ts";

/** Individual per-repository warnings of discovery before they are summed up in one line. */
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

/** Options of {@linkcode giteaClientFor} and {@linkcode createGiteaSource}. */
export interface GiteaSourceOptions {
  /** The `fetch` the client uses (tests). */
  fetch?: typeof fetch;
  /** An existing client, used instead of one made from the configuration. */
  client?: GiteaClient;
  /**
   * The load is forced (`--force`): a tag that moved since its version was cached is not
   * refused when resolving; the forced download replaces the entry.
   */
  force?: boolean;
}

/**
 * Why the `gitea` source cannot be used with this configuration (no URL or organisation),
 * or undefined when it is configured.
 *
 * @example
 * ```ts
 * import { giteaUnconfigured } from "./gitea_source.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({ cwd: "/", home: "/nonexistent", env: {} });
 * assert.match(giteaUnconfigured(config) ?? "", /no Gitea server configured/);
 * ```
 *
 * @param config The effective configuration.
 * @returns The reason, or undefined.
 */
export function giteaUnconfigured(config: ResolvedConfig): string | undefined {
  const { url, organization } = config.settings.gitea;
  if ((url ?? "").trim() === "") {
    return "no Gitea server configured ([gitea] url or PROVISIONING_GITEA_URL)";
  }
  if ((organization ?? "").trim() === "") {
    return "no Gitea organisation configured ([gitea] organization)";
  }
  return undefined;
}

/** The remote a cache entry of `name` records when it came from this Gitea configuration. */
function giteaRemoteOf(
  config: ResolvedConfig,
  options: GiteaSourceOptions,
  name: string,
): string | undefined {
  if (options.client !== undefined) {
    return `${options.client.baseUrl}${options.client.organization}/${name}`;
  }
  const { url, organization } = config.settings.gitea;
  if (giteaUnconfigured(config) !== undefined) return undefined;
  try {
    return `${giteaBaseUrl(url!).href}${organization!.trim()}/${name}`;
  } catch {
    return undefined; // a URL the client would refuse owns no entry
  }
}

/**
 * Creates the Gitea client of a configuration: `[gitea] url`, `organization`, `subpath`,
 * `ca_file`, the token from `PROVISIONING_GITEA_TOKEN` or else the file `[gitea] token_path`,
 * `[gitea] timeout` and `retry_count` (unset: `[oci]`'s, the registry client's policy) and
 * `[oci] concurrency`.
 *
 * @example
 * ```ts
 * import { giteaClientFor } from "./gitea_source.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({
 *   cwd: "/", home: "/nonexistent",
 *   env: { PROVISIONING_GITEA_URL: "https://git.example.com" },
 * });
 * config.settings.gitea.organization = "exts";
 * const client = await giteaClientFor(config);
 * assert.equal(client.baseUrl, "https://git.example.com/");
 * ```
 *
 * @param config The effective configuration (the Gitea source configured).
 * @param options `fetch` for the client.
 * @returns The client.
 * @throws {ProvisioningError} `INVALID_CONFIG` when the source is not configured or the
 *   token file cannot be read; `INSECURE_TRANSPORT` for plain HTTP to a non-loopback host.
 */
export async function giteaClientFor(
  config: ResolvedConfig,
  options: GiteaSourceOptions = {},
): Promise<GiteaClient> {
  if (options.client !== undefined) return options.client;
  const reason = giteaUnconfigured(config);
  if (reason !== undefined) {
    throw new ProvisioningError("INVALID_CONFIG", `Cannot use the Gitea source: ${reason}`);
  }
  const { gitea, oci } = config.settings;
  const token = await giteaToken(config);
  return createGiteaClient({
    url: gitea.url!,
    organization: gitea.organization!.trim(),
    ...(token === undefined ? {} : { token }),
    ...(gitea.subpath === undefined ? {} : { subpath: gitea.subpath }),
    timeoutMs: (gitea.timeout ?? oci.timeout) * 1000,
    retryCount: gitea.retry_count ?? oci.retry_count,
    ...(gitea.ca_file === undefined ? {} : { caFile: gitea.ca_file }),
    concurrency: oci.concurrency,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}

/** The token: `PROVISIONING_GITEA_TOKEN`, else the first line of `[gitea] token_path`. */
async function giteaToken(config: ResolvedConfig): Promise<string | undefined> {
  const secret = config.secrets.gitea_token?.reveal().trim();
  if (secret !== undefined && secret !== "") return secret;
  const path = config.settings.gitea.token_path;
  if (path === undefined || path === "") return undefined;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (cause) {
    throw new ProvisioningError(
      "INVALID_CONFIG",
      `Cannot read the Gitea token file "${path}": ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause, hint: "Fix [gitea] token_path, or set PROVISIONING_GITEA_TOKEN" },
    );
  }
  const token = text.split(/\r?\n/)[0]?.trim() ?? "";
  return token === "" ? undefined : token;
}

/**
 * Creates the Gitea source. Nothing is sent (and the token file is not read) until a
 * version is listed or resolved.
 *
 * @example
 * ```ts ignore
 * const source = createGiteaSource(config);
 * const resolved = await source.resolve("aws", "^2.0.0");
 * const ext = await source.materialize(resolved, { cacheRoot: config.settings.cache.dir });
 * console.log(ext.path);
 * ```
 *
 * @param config The effective configuration (`[gitea]`, the cache root).
 * @param options `fetch` or a client, for tests.
 * @returns The source. Its methods throw `NOT_FOUND` (exit 3) for an unknown organisation or
 *   repository, `VERSION_NOT_FOUND` (exit 3), `AUTH_REFUSED` (exit 4) for a refused token,
 *   `INVALID_EXTENSION` (exit 2, path named) for a tag without `extension.yaml`, and
 *   `INTEGRITY` (exit 5) for a tag that moved since it was cached.
 */
export function createGiteaSource(
  config: ResolvedConfig,
  options: GiteaSourceOptions = {},
): Source {
  const root = config.settings.cache.dir;
  let client: Promise<GiteaClient> | undefined;
  const getClient = () => client ??= giteaClientFor(config, options);
  const tagsByName = new Map<string, Promise<GiteaTag[]>>();
  const tagsOf = (name: string) => {
    let tags = tagsByName.get(name);
    if (tags === undefined) {
      tags = getClient().then((c) => c.listTags(name)).catch((error) => {
        tagsByName.delete(name);
        throw error;
      });
      tagsByName.set(name, tags);
    }
    return tags;
  };
  /** Commits seen when resolving, so the archive is pinned to what was chosen. */
  const commits = new Map<string, string>();

  const origin = (c: GiteaClient, name: string, tag: string, commit: string): TagOrigin => ({
    source: "gitea",
    remote: `${c.baseUrl}${c.organization}/${name}`,
    tag,
    commit,
    where: `repository "${c.organization}/${name}" on Gitea "${new URL(c.baseUrl).host}"`,
  });

  /** A name that cannot be a repository is simply not here (so `auto` moves on). */
  const checkName = async (name: string) => {
    if (isExtensionName(name)) return;
    const c = await getClient();
    throw new ProvisioningError(
      "NOT_FOUND",
      `Extension "${name}" not found on Gitea "${new URL(c.baseUrl).host}": not a repository name`,
    );
  };

  const { url, organization, subpath } = config.settings.gitea;
  return {
    kind: "gitea",
    unavailable: undefined,
    cached: true,
    network: true,
    ...giteaListing(getClient, {
      concurrency: config.settings.oci.concurrency,
      label: giteaLabel(config),
      cacheKey: JSON.stringify([
        "gitea",
        (url ?? "").trim(),
        (organization ?? "").trim(),
        subpath ?? "",
        config.secrets.gitea_token !== undefined || (config.settings.gitea.token_path ?? "") !== "",
      ]),
    }),
    async listVersions(name: string): Promise<SourceVersion[]> {
      await checkName(name);
      return versionsOfTags(await tagsOf(name));
    },
    async resolve(name: string, spec: string): Promise<ResolvedVersion> {
      await checkName(name);
      const tags = await tagsOf(name);
      const match = resolveOciVersion(spec, tags.map((t) => t.tag));
      const chosen = match && tags.find((t) => t.tag === match.tag);
      const c = await getClient();
      if (match === undefined || chosen === undefined) {
        const versions = sortBySemver([...new Set(tags.map((t) => t.version))]).reverse();
        throw new ProvisioningError(
          "VERSION_NOT_FOUND",
          `No version of "${name}" in repository "${c.organization}/${name}" on Gitea "${
            new URL(c.baseUrl).host
          }" satisfies "${spec}"`,
          {
            hint: versions.length > 0
              ? `Available versions: ${versions.join(", ")}`
              : "The repository has no semantic-version tags",
          },
        );
      }
      await cachedTagEntry(root, origin(c, name, chosen.tag, chosen.commit), {
        force: options.force === true,
        hint: (entry) =>
          `If the move was intended, remove the cached copy (provisioning ext cache clear --name ${entry.name} --type ${entry.type}) and load again`,
      });
      commits.set(`${name}\n${chosen.tag}`, chosen.commit);
      return { source: "gitea", name, version: match.version, ref: chosen.tag, spec };
    },
    async materialize(
      resolved: ResolvedVersion,
      materializeOptions: MaterializeOptions,
    ): Promise<MaterializedExtension> {
      const c = await getClient();
      const expectedCommit = commits.get(`${resolved.name}\n${resolved.ref}`);
      const opened = await c.openArchive(
        resolved.name,
        resolved.ref,
        expectedCommit === undefined ? {} : { expectedCommit },
      );
      return await saveTagContent({
        origin: origin(c, resolved.name, opened.tag, opened.commit),
        resolved,
        expectedName: resolved.name,
        manifestText: opened.manifestText,
        manifestPath: opened.subpath === "" ? "extension.yaml" : `${opened.subpath}/extension.yaml`,
        archive: opened.archive,
        subdir: opened.subpath,
      }, materializeOptions);
    },
    isOriginOf(record, name) {
      const remote = giteaRemoteOf(config, options, name);
      return remote !== undefined && isSameOrigin(record, { source: "gitea", remote });
    },
    close() {
      // A client handed in is its owner's to close.
      if (options.client === undefined) client?.then((c) => c.close(), () => {});
    },
  };
}

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
 * Discovery over one Gitea organisation, given its client: the discovery half of
 * {@linkcode createGiteaSource}, under the name it had before loading and discovery shared
 * one {@linkcode Source} interface. The client may be given lazily (a function), so a token
 * file that cannot be read fails this source only.
 *
 * @deprecated Use `createGiteaSource(config)` (or `createSource("gitea", { config })`),
 *   whose `discover`, `lookup` and `describe` do the same.
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
  return {
    source: "gitea",
    ...giteaListing(getClient, {
      ...options,
      label: options.label ??
        (known === undefined ? "Gitea" : `${new URL(known.baseUrl).host}/${known.organization}`),
      cacheKey: options.cacheKey ??
        (known === undefined
          ? undefined
          : JSON.stringify(["gitea", known.baseUrl, known.organization])),
    }),
  };
}

/** The discovery half of the Gitea source. */
function giteaListing(
  getClient: () => Promise<GiteaClient>,
  options: { concurrency?: number; label: string; cacheKey: string | undefined },
): Pick<Source, "label" | "cacheKey" | "discover" | "lookup" | "describe"> {
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

  /** Tags by repository name, read once per source (`ext info` looks up, then describes). */
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
  /** Manifest texts by repository and commit, read once per source. */
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
    label: options.label,
    cacheKey: options.cacheKey,
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

/** `{host}/{organization}` of the configured Gitea, for messages. */
function giteaLabel(config: ResolvedConfig): string {
  const { url, organization } = config.settings.gitea;
  let host = url ?? "";
  try {
    host = new URL(host.trim()).host;
  } catch {
    // Keep the URL as configured.
  }
  return `${host}/${organization ?? ""}`;
}

/**
 * The extension a repository stands for: its name in lower case (Gitea looks repositories
 * up without regard to case, so `Nginx` answers as `nginx` too).
 */
function extensionName(repository: string): string {
  return repository.toLowerCase();
}
