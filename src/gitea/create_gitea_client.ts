import { ProvisioningError } from "../errors.ts";
import { checkTagName } from "../git/check_tag_name.ts";
import { normalizeSubpath } from "../git/normalize_subpath.ts";
import { compareSemver } from "../versions/compare_semver.ts";
import { resolveOciVersion } from "../versions/resolve_oci_version.ts";
import { tagToVersion } from "../versions/tag_to_version.ts";
import { defaultRetryPolicy } from "../oci/client.ts";
import {
  apiUrl,
  bodyStream,
  GITEA_TOKEN_SCOPES,
  giteaGet,
  type GiteaHttp,
  giteaJson,
  giteaList,
  giteaSend,
  isForbidden,
} from "./_http.ts";
import { mapConcurrent } from "../net/map_concurrent.ts";
import { readPem } from "../net/read_pem.ts";
import { checkName, toRepository, toTag } from "./_parse_api.ts";
import { giteaBaseUrl } from "./gitea_base_url.ts";
import type {
  GiteaClient,
  GiteaClientOptions,
  GiteaRepository,
  GiteaTag,
  GiteaTagArchive,
} from "./types.ts";

/** Default milliseconds a Gitea request may wait. */
export const DEFAULT_GITEA_TIMEOUT_MS = 30_000;
/** Default most requests in flight when listing every repository's tags. */
export const DEFAULT_GITEA_CONCURRENCY = 8;
/** Default items per page (Gitea's default `MAX_RESPONSE_ITEMS`). */
export const DEFAULT_GITEA_PAGE_SIZE = 50;
/** Default retries of a failed request (`[oci] retry_count`'s default). */
export const DEFAULT_GITEA_RETRY_COUNT = 3;
/** Largest `extension.yaml` read through the raw endpoint. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * Creates a client for one organisation on a Gitea or Forgejo server. It speaks only the
 * documented REST API (`/api/v1`) over `fetch` — no git binary — and needs network access to
 * that host only:
 *
 * - `GET /orgs/{org}/repos` (falling back to `GET /users/{org}/repos` on 404 — a user — and
 *   on 403 — Gitea checks the token's `read:organization` scope before the organisation
 *   exists), paginated with `page`/`limit`, `Link` and `X-Total-Count`;
 * - `GET /repos/{owner}/{repo}/tags` (paginated by `X-Total-Count`: Gitea sends no `Link`
 *   there) and `GET /repos/{owner}/{repo}/tags/{tag}`; a repository the listing marks as
 *   not readable for code (`permissions.pull` or `has_code` false), or whose tags answer
 *   403, is left out of {@linkcode GiteaClient.listAllTags} with the reason;
 * - `GET /repos/{owner}/{repo}/raw/{filepath}?ref={commit}` for `extension.yaml`;
 * - `GET /repos/{owner}/{repo}/archive/{commit}.tar.gz` for content, following a redirect
 *   to object storage (`SERVE_DIRECT`) without the token;
 * - `GET /repos/{owner}/{repo}` to tell a missing repository from a missing file or tag.
 *
 * Every request is retried like the registry client's (network errors, timeouts, 408, 429,
 * 5xx; `retryCount`). The token needs the scopes `read:repository`, `read:organization` and
 * `read:user`.
 *
 * The URL is checked before anything is sent (HTTPS, or plain HTTP to loopback only). The
 * token goes in `Authorization: token …`, only to the configured origin, and never into a
 * message.
 *
 * @example
 * ```ts
 * import { createGiteaClient } from "./create_gitea_client.ts";
 * import assert from "node:assert/strict";
 *
 * const client = createGiteaClient({
 *   url: "https://git.example.com/",
 *   organization: "provisioning-extensions",
 * });
 * assert.equal(client.baseUrl, "https://git.example.com/");
 * assert.throws(
 *   () => createGiteaClient({ url: "http://git.example.com", organization: "x" }),
 *   { code: "INSECURE_TRANSPORT" },
 * );
 * ```
 *
 * @param options Server URL, organisation, token, sub-path, timeout, retries, concurrency,
 *   `fetch`.
 * @returns The client. Its methods throw `NOT_FOUND` (exit 3) for an unknown organisation
 *   or repository, `VERSION_NOT_FOUND` (exit 3) for a missing tag, `AUTH_REFUSED` (exit 4)
 *   for 401/403, `UNREACHABLE`/`TIMEOUT` (exit 4), `INTEGRITY` (exit 5) for a moved tag and
 *   `INVALID_EXTENSION` (exit 2, path named) for a tag without `extension.yaml`.
 * @throws {ProvisioningError} `INSECURE_TRANSPORT` (exit 5) for plain HTTP to a non-loopback
 *   host; `INVALID_CONFIG` (exit 2) for a bad URL, organisation or sub-path.
 */
export function createGiteaClient(options: GiteaClientOptions): GiteaClient {
  const baseUrl = giteaBaseUrl(options.url, { insecure: options.insecure ?? false });
  const organization = checkName(options.organization, "organisation", "INVALID_CONFIG");
  const subpath = normalizeSubpath(options.subpath);
  const manifestPath = subpath === "" ? "extension.yaml" : `${subpath}/extension.yaml`;
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_GITEA_PAGE_SIZE));
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_GITEA_CONCURRENCY));
  const timeoutMs = options.timeoutMs ?? DEFAULT_GITEA_TIMEOUT_MS;
  const caFile = options.caFile === "" ? undefined : options.caFile;
  let httpClient: Promise<Deno.HttpClient | undefined> | undefined;
  let closed = false;
  const http: GiteaHttp = {
    baseUrl,
    token: options.token === undefined || options.token === "" ? undefined : options.token,
    insecure: options.insecure ?? false,
    send: giteaSend({
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs,
      baseUrl,
      insecure: options.insecure ?? false,
      ...(caFile === undefined ? {} : {
        httpClient: () => httpClient ??= caHttpClient(caFile, () => closed),
      }),
      retry: defaultRetryPolicy(
        { retry_count: options.retryCount ?? DEFAULT_GITEA_RETRY_COUNT, timeout: timeoutMs / 1000 },
        { ...options.retryTiming, label: "Gitea" },
      ),
    }),
  };
  const host = baseUrl.host;
  const fullName = (repo: string) => `${organization}/${repo}`;
  const repoLabel = (repo: string) => `repository "${fullName(repo)}" on Gitea "${host}"`;
  const privateHint = http.token === undefined
    ? "If it is private, configure a token ([gitea] token_path or PROVISIONING_GITEA_TOKEN)"
    : "Check the name, and that the token may read it";

  const organizationNotFound = () =>
    new ProvisioningError(
      "NOT_FOUND",
      `Organisation "${organization}" not found on Gitea "${host}"`,
      { hint: privateHint },
    );
  const repositoryNotFound = (repo: string) =>
    new ProvisioningError(
      "NOT_FOUND",
      `Repository "${fullName(repo)}" not found on Gitea "${host}"`,
      { hint: privateHint },
    );

  /** After a 404 below a repository: is it the repository that is missing? */
  async function missingRepositoryOr(
    repo: string,
    otherwise: () => ProvisioningError,
  ): Promise<ProvisioningError> {
    try {
      await giteaJson(
        http,
        apiUrl(http, ["repos", organization, repo]),
        () => repositoryNotFound(repo),
      );
    } catch (error) {
      if (error instanceof ProvisioningError && error.code === "NOT_FOUND") return error;
      throw error;
    }
    return otherwise();
  }

  async function listRepositories(): Promise<GiteaRepository[]> {
    const listOf = (kind: "orgs" | "users") =>
      giteaList(http, [kind, organization, "repos"], pageSize, organizationNotFound);
    let items: unknown[];
    try {
      items = await listOf("orgs");
    } catch (error) {
      // 404: not an organisation. 403: Gitea checks the token's organisation scope before
      // the organisation exists, so a user's namespace answers 403 to a token without
      // read:organization. Either way a user's repositories are extensions just as well.
      const forbidden = isForbidden(error);
      if (!forbidden && !(error instanceof ProvisioningError && error.code === "NOT_FOUND")) {
        throw error;
      }
      try {
        items = await listOf("users");
      } catch (userError) {
        if (!forbidden || !(userError instanceof ProvisioningError)) throw userError;
        const refused = isForbidden(userError)
          ? "the organisation and user endpoints"
          : "the organisation endpoint";
        throw new ProvisioningError(
          "AUTH_REFUSED",
          `Gitea "${host}" refused to list the repositories of "${organization}" ` +
            `(HTTP 403 from ${refused})`,
          {
            cause: error,
            details: [...(error as ProvisioningError).details, ...userError.details],
            hint: `A token needs the scopes ${GITEA_TOKEN_SCOPES}`,
          },
        );
      }
    }
    return items.map((item) => toRepository(item, host)).sort((a, b) =>
      a.name.localeCompare(b.name)
    );
  }

  async function listTags(repo: string): Promise<GiteaTag[]> {
    checkName(repo, "repository", "INVALID_REFERENCE");
    const items = await giteaList(
      http,
      ["repos", organization, repo, "tags"],
      pageSize,
      () => repositoryNotFound(repo),
    );
    const tags: GiteaTag[] = [];
    for (const item of items) {
      const tag = toTag(item, host);
      const version = tagToVersion(tag.tag);
      if (version !== undefined) tags.push({ ...tag, version });
    }
    return tags.sort((a, b) => compareSemver(a.version, b.version) || a.tag.localeCompare(b.tag));
  }

  async function resolveTag(repo: string, tag: string) {
    checkName(repo, "repository", "INVALID_REFERENCE");
    checkTagName(tag);
    const { body } = await giteaJson(
      http,
      apiUrl(http, ["repos", organization, repo, "tags", tag]),
      () =>
        missingRepositoryOr(repo, () =>
          new ProvisioningError(
            "VERSION_NOT_FOUND",
            `Tag "${tag}" not found in ${repoLabel(repo)}`,
          )),
    );
    return toTag(body, host);
  }

  /** `label` names the ref in messages (a tag rather than the commit it was pinned to). */
  async function readManifestText(
    repo: string,
    ref: string,
    label = `Ref "${ref}"`,
  ): Promise<string> {
    checkName(repo, "repository", "INVALID_REFERENCE");
    const where = repoLabel(repo);
    const url = apiUrl(http, ["repos", organization, repo, "raw", manifestPath], { ref });
    const response = await giteaGet(
      http,
      url,
      () =>
        missingRepositoryOr(repo, () =>
          new ProvisioningError(
            "INVALID_EXTENSION",
            `${label} of ${where} has no "${manifestPath}"`,
            {
              hint: subpath === ""
                ? "Only tags whose tree holds extension.yaml are extension versions"
                : "Check the configured sub-path",
            },
          )),
      "*/*",
    );
    const reader = bodyStream(response).getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_MANIFEST_BYTES) {
        await reader.cancel();
        throw new ProvisioningError(
          "INVALID_EXTENSION",
          `"${manifestPath}" of ${where} is larger than ${MAX_MANIFEST_BYTES} bytes`,
        );
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return new TextDecoder().decode(bytes);
  }

  return {
    baseUrl: baseUrl.href,
    organization,
    authenticated: http.token !== undefined,
    listRepositories,
    listTags,
    async listAllTags() {
      const repositories = await listRepositories();
      return await mapConcurrent(repositories, concurrency, async (repository) => {
        if (repository.empty) return { repository, tags: [] };
        const who = http.token === undefined ? "anonymous callers" : "this token";
        if (!repository.codeReadable) {
          return {
            repository,
            tags: [],
            unreadable: `its code is not readable by ${who} (the server lists it for another unit)`,
          };
        }
        try {
          return { repository, tags: await listTags(repository.name) };
        } catch (error) {
          // Deleted between the two listings: nothing to offer.
          if (error instanceof ProvisioningError && error.code === "NOT_FOUND") {
            return { repository, tags: [] };
          }
          // Listed for another unit (issues, wiki…) but its code is closed to the caller.
          if (isForbidden(error)) {
            return {
              repository,
              tags: [],
              unreadable: `reading its tags was refused to ${who} (HTTP 403)`,
            };
          }
          throw error;
        }
      });
    },
    resolveTag,
    async resolveVersion(repo, spec) {
      const tags = await listTags(repo);
      const match = resolveOciVersion(spec, tags.map((tag) => tag.tag));
      const chosen = match && tags.find((tag) => tag.tag === match.tag);
      if (chosen === undefined) {
        throw new ProvisioningError(
          "VERSION_NOT_FOUND",
          `No tag of ${repoLabel(repo)} satisfies "${spec}"`,
          { details: [`Versions: ${tags.map((tag) => tag.version).join(", ") || "none"}`] },
        );
      }
      return chosen;
    },
    readManifestText: (repo, ref, tag) =>
      readManifestText(repo, ref, tag === undefined ? undefined : `Tag "${tag}" (commit ${ref})`),
    async openArchive(repo, tag, openOptions = {}): Promise<GiteaTagArchive> {
      const resolved = await resolveTag(repo, tag);
      const expected = openOptions.expectedCommit?.toLowerCase();
      if (expected !== undefined && resolved.commit !== expected) {
        throw new ProvisioningError(
          "INTEGRITY",
          `Tag "${tag}" of ${repoLabel(repo)} moved: ` +
            `listed at commit ${expected}, now at commit ${resolved.commit}`,
          { hint: "Run the command again to use the tag's new commit if the move was intended" },
        );
      }
      const manifestText = await readManifestText(
        repo,
        resolved.commit,
        `Tag "${tag}" (commit ${resolved.commit})`,
      );
      const url = apiUrl(http, [
        "repos",
        organization,
        repo,
        "archive",
        `${resolved.commit}.tar.gz`,
      ]);
      return {
        source: "gitea",
        remote: `${baseUrl.href}${organization}/${repo}`,
        repository: repo,
        tag,
        commit: resolved.commit,
        subpath,
        topLevelDirectory: `${repo.toLowerCase()}/`,
        manifestText,
        archive: {
          mediaType: "application/gzip",
          async open() {
            const response = await giteaGet(
              http,
              url,
              () => repositoryNotFound(repo),
              "application/octet-stream",
            );
            return bodyStream(response);
          },
        },
      };
    },
    close() {
      closed = true;
      const pending = httpClient;
      httpClient = undefined;
      pending?.then((client) => client?.close(), () => {});
    },
  };
}

/** A Deno HTTP client trusting the certificates of `[gitea] ca_file` too. */
async function caHttpClient(
  caFile: string,
  closed: () => boolean,
): Promise<Deno.HttpClient | undefined> {
  const pem = await readPem(caFile, "CA file", "[gitea] ca_file");
  if (closed()) return undefined;
  try {
    return Deno.createHttpClient({ caCerts: [pem] });
  } catch (cause) {
    throw new ProvisioningError("INVALID_CONFIG", `Cannot use CA certificates from "${caFile}"`, {
      cause,
      hint: "[gitea] ca_file must hold PEM certificates",
    });
  }
}
