/**
 * The Gitea client's HTTP layer, private to `src/gitea`: URL building, the token header,
 * status → error mapping and pagination, on the registry client's stack — its base layer
 * (`src/oci/_base_send.ts`: redirects under the transport policy, TLS failures named), the
 * project's one idle-timeout layer (`src/net/with_idle_timeout.ts`), its retry layer
 * (`src/oci/retry.ts`) and `Link` parsing (`src/net/next_link.ts`) — so every body read is
 * bounded and every request retried by the same policy without guarding it here.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { withIdleTimeout } from "../net/with_idle_timeout.ts";
import { readBodyLimited, type Send } from "../oci/http.ts";
import { type RetryPolicy, withRetry } from "../oci/retry.ts";
import { nextLink } from "../net/next_link.ts";
import { pagedList } from "../net/paged_list.ts";
import { certificateProblem, createBaseSend } from "../oci/_base_send.ts";
import { withRequestLog } from "../net/request_log.ts";
import { USER_AGENT } from "../version.ts";

/** Everything a request needs. */
export interface GiteaHttp {
  baseUrl: URL;
  token: string | undefined;
  insecure: boolean;
  /** The transport ({@linkcode giteaSend}): follows redirects, times out, retries. */
  send: Send;
}

/** Options of {@linkcode giteaSend}. */
export interface GiteaSendOptions {
  /** The `fetch` to use. */
  fetch: typeof fetch;
  /** Milliseconds a request may stay idle. */
  timeoutMs: number;
  /** The server: a failure elsewhere is a redirect target's (object storage), named so. */
  baseUrl: URL;
  /** The OCI client's retry policy (`[gitea] retry_count`); no retries when absent. */
  retry?: RetryPolicy;
  /** Allow plain HTTP redirects to non-loopback hosts (`[oci] insecure`). */
  insecure?: boolean;
  /** The Deno HTTP client carrying `[gitea] ca_file`'s certificates (made on first use). */
  httpClient?: () => Promise<Deno.HttpClient | undefined>;
}

/**
 * The transport of the Gitea client, the registry client's stack: the shared base layer
 * (`fetch` with redirects followed by hand under the transport policy — plain HTTP only to
 * loopback or with `insecure`, never down from HTTPS, `Authorization` dropped when a redirect
 * leaves the server — and the project's `User-Agent`), the shared idle timeout and the shared
 * retry layer, so a stalled answer or body is a `TIMEOUT`, a body that breaks off is
 * `UNREACHABLE`, and network errors, timeouts, 408, 429 and 5xx are retried like the
 * registry's.
 *
 * A failure to connect to a host other than the server's is a redirect target's (Gitea
 * serves archives from object storage under `[storage.repo-archive] SERVE_DIRECT`): the
 * message names that host and the hint `[gitea] redirect_hosts`, never `[gitea] url`.
 *
 * @param options `fetch`, timeout, the server's URL, `insecure` and the retry policy.
 * @returns The layer.
 */
export function giteaSend(options: GiteaSendOptions): Send {
  const { baseUrl } = options;
  const base = createBaseSend({
    fetch: withRequestLog(options.fetch), // `--debug`: one line per exchange
    insecure: options.insecure ?? false,
    userAgent: USER_AGENT,
    maxRedirects: MAX_REDIRECTS,
    networkError: (cause, url) => connectError(cause, url, baseUrl),
    ...(options.httpClient === undefined ? {} : { httpClient: options.httpClient }),
  });
  const timed = withIdleTimeout(base, {
    timeoutMs: options.timeoutMs,
    label: "Gitea",
    hint: "Check the server, or raise [gitea] timeout",
    mapBodyError: (cause, url) =>
      new ProvisioningError("UNREACHABLE", `Download from Gitea "${url.host}" broke off`, {
        cause,
      }),
  });
  return options.retry === undefined ? timed : withRetry(timed, options.retry);
}

/** A `fetch` rejection as one error naming the server, or the redirect target. */
function connectError(cause: unknown, url: URL, baseUrl: URL): ProvisioningError {
  const refused = cause instanceof Deno.errors.NotCapable ||
    cause instanceof Deno.errors.PermissionDenied;
  const details = [describe(url), String((cause as Error)?.message ?? cause)];
  const text = cause instanceof Error ? `${cause.message} ${String(cause.cause ?? "")}` : "";
  const certificate = refused ? undefined : certificateProblem(text);
  const server = url.origin === baseUrl.origin
    ? `Gitea "${url.host}"`
    : `"${url.host}", where Gitea "${baseUrl.host}" redirected the download`;
  if (certificate !== undefined) {
    return new ProvisioningError(
      "INSECURE_TRANSPORT",
      `Cannot verify the TLS certificate of ${server}: ${forGitea(certificate.reason)}`,
      { cause, details, hint: forGitea(certificate.hint) },
    );
  }
  if (url.origin === baseUrl.origin) {
    return refused
      ? new ProvisioningError(
        "UNSUPPORTED",
        `Cannot connect to ${server}: network access is not permitted`,
        { cause, details, hint: "See what the command may use: provisioning ext permissions" },
      )
      : new ProvisioningError("UNREACHABLE", `Cannot reach ${server}`, {
        cause,
        details,
        hint: "Check [gitea] url and that the server is running and reachable",
      });
  }
  return refused
    ? new ProvisioningError(
      "UNSUPPORTED",
      `Cannot connect to ${server}: network access is not permitted`,
      {
        cause,
        details,
        hint: `Gitea serves archives from object storage ([storage.repo-archive] SERVE_DIRECT): ` +
          `if you trust it, add "${url.host}" to [gitea] redirect_hosts`,
      },
    )
    : new ProvisioningError("UNREACHABLE", `Cannot reach ${server}`, {
      cause,
      details,
      hint: "Gitea serves archives from object storage ([storage.repo-archive] SERVE_DIRECT): " +
        "check that its host is reachable from here",
    });
}

/** The registry's certificate wording, said of the Gitea server and its settings. */
function forGitea(text: string): string {
  return text.replaceAll("[oci] ", "[gitea] ").replaceAll("registry's", "server's")
    .replaceAll("the registry", "the server");
}

/** The HTTP status behind an `AUTH_REFUSED` of the Gitea client (kept as its `cause`). */
export class GiteaStatus extends Error {
  /** The status (401 or 403). */
  readonly status: number;

  /**
   * Records a status.
   *
   * @param status The HTTP status.
   */
  constructor(status: number) {
    super(`HTTP ${status}`);
    this.name = "GiteaStatus";
    this.status = status;
  }
}

/**
 * Whether an error of the Gitea client is a 403 (a token scope or unit permission missing,
 * as opposed to a token refused outright with 401).
 *
 * @param error Anything thrown.
 * @returns True for a 403.
 */
export function isForbidden(error: unknown): boolean {
  return error instanceof ProvisioningError && error.cause instanceof GiteaStatus &&
    error.cause.status === 403;
}

/** Builds the error for a 404; called lazily (it may ask the server more). */
export type NotFoundHandler = () => ProvisioningError | Promise<ProvisioningError>;

const MAX_REDIRECTS = 5;

/** The token scopes the `gitea` source needs, for hints. */
export const GITEA_TOKEN_SCOPES = "read:repository, read:organization and read:user";
const MAX_PAGES = 1000;
/** Largest JSON answer read (one page of a listing, a repository object). */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

/**
 * `{base}api/v1/{segments}` with each segment percent-encoded (a segment may hold `/`,
 * which is kept: Gitea's `{filepath}`, `{tag}` and `{archive}` take slashes).
 *
 * @param http The client settings.
 * @param segments Path segments after `api/v1/`.
 * @param query Query parameters.
 * @returns The URL.
 */
export function apiUrl(
  http: GiteaHttp,
  segments: readonly string[],
  query: Record<string, string | number> = {},
): URL {
  const path = segments.map((segment) => segment.split("/").map(encodeURIComponent).join("/"));
  const url = new URL(`api/v1/${path.join("/")}`, http.baseUrl);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
  return url;
}

/** What to call a URL in a message: the path and query on the server, never a token. */
function describe(url: URL): string {
  return `GET ${url.pathname}${url.search}`;
}

/**
 * Sends a GET through the transport (which follows redirects under the transport policy and
 * sends the token to the configured server only) and maps failures: network errors →
 * `UNREACHABLE` (see {@linkcode giteaSend}), no answer in time → `TIMEOUT`, 401/403 →
 * `AUTH_REFUSED`, 404 → `onNotFound()`, any other non-2xx → `REGISTRY_ERROR`.
 *
 * @param http The client settings.
 * @param url The URL.
 * @param onNotFound Builds the 404 error.
 * @param accept The `Accept` header.
 * @returns The 2xx response; its body errors with `TIMEOUT` when it stalls.
 */
export async function giteaGet(
  http: GiteaHttp,
  url: URL,
  onNotFound: NotFoundHandler,
  accept = "application/json",
): Promise<Response> {
  const headers = new Headers({ Accept: accept });
  if (http.token !== undefined && url.origin === http.baseUrl.origin) {
    headers.set("Authorization", `token ${http.token}`);
  }
  const response = await http.send({ method: "GET", url, headers });
  if (response.ok) return response;
  throw await statusError(http, new URL(response.url || url.href), response, onNotFound);
}

/**
 * GETs JSON.
 *
 * @param http The client settings.
 * @param url The URL.
 * @param onNotFound Builds the 404 error.
 * @returns The parsed body and the response headers.
 */
export async function giteaJson(
  http: GiteaHttp,
  url: URL,
  onNotFound: NotFoundHandler,
): Promise<{ body: unknown; headers: Headers; bytes: number }> {
  const response = await giteaGet(http, url, onNotFound);
  let raw: Uint8Array;
  try {
    raw = await readBodyLimited(response, MAX_JSON_BYTES);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new ProvisioningError(
      "REGISTRY_ERROR",
      `Gitea "${url.host}" answered ${describe(url)} with more than ${MAX_JSON_BYTES} bytes`,
    );
  }
  try {
    const body = JSON.parse(new TextDecoder().decode(raw));
    return { body, headers: response.headers, bytes: raw.byteLength };
  } catch (cause) {
    throw new ProvisioningError(
      "REGISTRY_ERROR",
      `Gitea "${url.host}" answered ${describe(url)} with something that is not JSON`,
      { cause, hint: "Check that [gitea] url points at a Gitea or Forgejo server" },
    );
  }
}

/**
 * GETs every page of a paginated list (`page`, `limit`). Stops when the `Link` header has no
 * `rel="next"`, or — without a `Link` header — when `X-Total-Count` items were read, or —
 * without either — at the first short page. The next page's URL is built here, not taken
 * from `Link`, so a server with a wrong `ROOT_URL` still pages correctly.
 *
 * @param http The client settings.
 * @param segments Path segments after `api/v1/`.
 * @param pageSize Items per page asked for.
 * @param onNotFound Builds the 404 error.
 * @returns Every item.
 */
export async function giteaList(
  http: GiteaHttp,
  segments: readonly string[],
  pageSize: number,
  onNotFound: NotFoundHandler,
): Promise<unknown[]> {
  const list = pagedList<unknown>(`${segments.join("/")} list of Gitea "${http.baseUrl.host}"`);
  const items = list.items;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const url = apiUrl(http, segments, { page, limit: pageSize });
    const { body, headers, bytes } = await giteaJson(http, url, onNotFound);
    if (!Array.isArray(body)) {
      throw new ProvisioningError(
        "REGISTRY_ERROR",
        `Gitea "${url.host}" answered ${describe(url)} with something that is not a list`,
      );
    }
    list.add(body, bytes);
    if (body.length === 0) break;
    const link = headers.get("link");
    const total = headers.get("x-total-count");
    if (link !== null) {
      if (nextLink(link, url) === undefined) break;
    } else if (total !== null && /^\d+$/.test(total.trim())) {
      if (items.length >= Number(total)) break;
    } else if (body.length < pageSize) {
      break;
    }
  }
  return items;
}

/**
 * The body of a 2xx response as a stream (empty when there is none). It is already bounded
 * by the idle timeout of {@linkcode giteaSend}.
 *
 * @param response The response.
 * @returns The body stream.
 */
export function bodyStream(response: Response): ReadableStream<Uint8Array> {
  return response.body ?? new ReadableStream({ start: (controller) => controller.close() });
}

async function statusError(
  http: GiteaHttp,
  url: URL,
  response: Response,
  onNotFound: NotFoundHandler,
): Promise<ProvisioningError> {
  const text = await response.text().catch(() => "");
  let message = "";
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed?.message === "string") message = parsed.message;
  } catch { /* not JSON */ }
  const details = [`${describe(url)} → ${response.status}${message ? `: ${message}` : ""}`];
  if (response.status === 401 || response.status === 403) {
    return new ProvisioningError(
      "AUTH_REFUSED",
      http.token === undefined
        ? `Gitea "${url.host}" requires a token (HTTP ${response.status})`
        : `Gitea "${url.host}" refused the token (HTTP ${response.status})`,
      {
        details,
        cause: new GiteaStatus(response.status),
        hint: http.token === undefined
          ? "Configure a token: [gitea] token_path or PROVISIONING_GITEA_TOKEN"
          : `Check [gitea] token_path or PROVISIONING_GITEA_TOKEN; the token needs the scopes ${GITEA_TOKEN_SCOPES}`,
      },
    );
  }
  if (response.status === 404) {
    const error = await onNotFound();
    return new ProvisioningError(error.code, error.message, {
      details: [...error.details, ...details],
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    });
  }
  return new ProvisioningError(
    "REGISTRY_ERROR",
    `Gitea "${url.host}" answered HTTP ${response.status} to ${describe(url)}`,
    { details },
  );
}
