/**
 * The Gitea client's HTTP layer, private to `src/gitea`: URL building, the token header,
 * timeouts, redirects checked against the transport policy, status → error mapping and
 * pagination.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { isLoopbackHostname } from "../net/is_loopback_hostname.ts";
import { type Deadline, startDeadline } from "./_deadline.ts";

/** Everything a request needs. */
export interface GiteaHttp {
  baseUrl: URL;
  token: string | undefined;
  timeoutMs: number;
  insecure: boolean;
  fetch: typeof fetch;
}

/** Builds the error for a 404; called lazily (it may ask the server more). */
export type NotFoundHandler = () => ProvisioningError | Promise<ProvisioningError>;

const MAX_REDIRECTS = 5;
const MAX_PAGES = 1000;

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
 * Sends a GET, following redirects (each checked against the transport policy; the token is
 * sent only to the configured origin) and mapping failures: network errors → `UNREACHABLE`,
 * no answer in time → `TIMEOUT`, 401/403 → `AUTH_REFUSED`, 404 → `onNotFound()`, any
 * other non-2xx → `REGISTRY_ERROR`.
 *
 * @param http The client settings.
 * @param url The URL.
 * @param onNotFound Builds the 404 error.
 * @param accept The `Accept` header.
 * @returns The 2xx response and its deadline (still running: the caller reads the body,
 *   then clears it).
 */
export async function giteaGet(
  http: GiteaHttp,
  url: URL,
  onNotFound: NotFoundHandler,
  accept = "application/json",
): Promise<{ response: Response; deadline: Deadline }> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers = new Headers({ Accept: accept });
    if (http.token !== undefined && current.origin === http.baseUrl.origin) {
      headers.set("Authorization", `token ${http.token}`);
    }
    const deadline = startDeadline(http.timeoutMs);
    let response: Response;
    try {
      response = await http.fetch(current, {
        headers,
        redirect: "manual",
        signal: deadline.signal,
      });
    } catch (cause) {
      deadline.clear();
      throw deadline.timedOut
        ? timeoutError(http, current)
        : new ProvisioningError("UNREACHABLE", `Cannot reach Gitea "${current.host}"`, {
          cause,
          details: [describe(current), String((cause as Error)?.message ?? cause)],
          hint: "Check [gitea] url and that the server is running and reachable",
        });
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
      await response.body?.cancel();
      deadline.clear();
      const next = new URL(response.headers.get("location")!, current);
      checkRedirect(current, next, http.insecure);
      current = next;
      continue;
    }
    if (response.ok) return { response, deadline };
    let error: ProvisioningError;
    try {
      error = await statusError(http, current, response, onNotFound);
    } finally {
      deadline.clear();
    }
    throw error;
  }
  throw new ProvisioningError(
    "REGISTRY_ERROR",
    `Gitea "${url.host}" redirected ${describe(url)} more than ${MAX_REDIRECTS} times`,
  );
}

/**
 * GETs JSON (the whole body read within the timeout).
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
): Promise<{ body: unknown; headers: Headers }> {
  const { response, deadline } = await giteaGet(http, url, onNotFound);
  try {
    const text = await response.text();
    try {
      return { body: JSON.parse(text), headers: response.headers };
    } catch (cause) {
      throw new ProvisioningError(
        "REGISTRY_ERROR",
        `Gitea "${url.host}" answered ${describe(url)} with something that is not JSON`,
        { cause, hint: "Check that [gitea] url points at a Gitea or Forgejo server" },
      );
    }
  } catch (error) {
    if (deadline.timedOut) throw timeoutError(http, url);
    throw error;
  } finally {
    deadline.clear();
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
  const items: unknown[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const url = apiUrl(http, segments, { page, limit: pageSize });
    const { body, headers } = await giteaJson(http, url, onNotFound);
    if (!Array.isArray(body)) {
      throw new ProvisioningError(
        "REGISTRY_ERROR",
        `Gitea "${url.host}" answered ${describe(url)} with something that is not a list`,
      );
    }
    items.push(...body);
    if (body.length === 0) break;
    const link = headers.get("link");
    const total = headers.get("x-total-count");
    if (link !== null) {
      if (!hasNextLink(link)) break;
    } else if (total !== null && /^\d+$/.test(total.trim())) {
      if (items.length >= Number(total)) break;
    } else if (body.length < pageSize) {
      break;
    }
  }
  return items;
}

/**
 * Whether a `Link` header (RFC 8288) has a `rel="next"` target.
 *
 * @param header The header value.
 * @returns True when a next page is announced.
 */
export function hasNextLink(header: string): boolean {
  for (const match of header.matchAll(/<[^>]*>((?:\s*;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";,]*)"?/i.exec(match[1] ?? "");
    if (rel !== null && rel[1]!.split(/\s+/).includes("next")) return true;
  }
  return false;
}

/**
 * Wraps a download so that a stall longer than the timeout errors the stream (`TIMEOUT`)
 * and a broken connection errors it with `UNREACHABLE`.
 *
 * @param http The client settings.
 * @param url The URL being downloaded.
 * @param response The 2xx response.
 * @param deadline The request's deadline, pushed back at every chunk.
 * @returns The body stream.
 */
export function guardedBody(
  http: GiteaHttp,
  url: URL,
  response: Response,
  deadline: Deadline,
): ReadableStream<Uint8Array> {
  if (response.body === null) {
    deadline.clear();
    return new ReadableStream({ start: (controller) => controller.close() });
  }
  const reader = response.body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          deadline.clear();
          controller.close();
          return;
        }
        deadline.reset();
        controller.enqueue(value);
      } catch (cause) {
        deadline.clear();
        controller.error(
          deadline.timedOut ? timeoutError(http, url) : new ProvisioningError(
            "UNREACHABLE",
            `Download from Gitea "${url.host}" broke off: ${describe(url)}`,
            { cause },
          ),
        );
      }
    },
    async cancel(reason) {
      deadline.clear();
      await reader.cancel(reason);
    },
  });
}

function checkRedirect(from: URL, to: URL, insecure: boolean): void {
  if (to.protocol === "https:") return;
  if (to.protocol !== "http:") {
    throw new ProvisioningError(
      "INSECURE_TRANSPORT",
      `Refusing redirect from Gitea "${from.host}" to a ${to.protocol} URL`,
    );
  }
  if (from.protocol === "https:") {
    throw new ProvisioningError(
      "INSECURE_TRANSPORT",
      `Refusing redirect from HTTPS "${from.host}" to plain HTTP "${to.host}"`,
    );
  }
  if (!insecure && !isLoopbackHostname(to.hostname)) {
    throw new ProvisioningError(
      "INSECURE_TRANSPORT",
      `Refusing redirect to plain HTTP "${to.host}": only loopback hosts may use http://`,
    );
  }
}

function timeoutError(http: GiteaHttp, url: URL): ProvisioningError {
  return new ProvisioningError(
    "TIMEOUT",
    `Gitea "${url.host}" did not answer within ${http.timeoutMs / 1000} s`,
    { details: [describe(url)], hint: "Check the server, or raise the timeout" },
  );
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
      { details, hint: "Check [gitea] token_path or PROVISIONING_GITEA_TOKEN" },
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
