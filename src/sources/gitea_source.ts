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
 * @module
 */

import type { ResolvedConfig } from "../config/types.ts";
import { isSameOrigin } from "../cache/origin.ts";
import { ProvisioningError } from "../errors.ts";
import { giteaBaseUrl } from "../gitea/gitea_base_url.ts";
import { createGiteaClient, type GiteaClient, type GiteaTag } from "../gitea/mod.ts";
import { isExtensionName } from "../manifest/mod.ts";
import { resolveOciVersion, sortBySemver } from "../versions/mod.ts";
import { cachedTagEntry, saveTagContent, type TagOrigin } from "./_tag_archive.ts";
import { versionsOfTags } from "./_tag_versions.ts";
import type {
  MaterializedExtension,
  MaterializeOptions,
  ResolvedVersion,
  Source,
  SourceVersion,
} from "./types.ts";

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

  return {
    kind: "gitea",
    unavailable: undefined,
    cached: true,
    network: true,
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
