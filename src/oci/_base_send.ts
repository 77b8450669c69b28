/**
 * The innermost layer: `fetch` with manual redirects under the transport policy and network
 * failures mapped to `UNREACHABLE` / `INSECURE_TRANSPORT`. Private to the OCI client.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { discardBody, type FetchLike, type HttpRequest, type Send } from "./http.ts";
import { checkUrlTransport } from "./transport.ts";

/** Options of {@linkcode createBaseSend}. */
export interface BaseSendOptions {
  /** The `fetch` to use. */
  fetch: FetchLike;
  /** The Deno HTTP client carrying extra CA certificates, if any (resolved lazily). */
  httpClient?: () => Promise<Deno.HttpClient | undefined>;
  /** `[oci] insecure`: allow plain HTTP to non-loopback redirect targets. */
  insecure: boolean;
  /** User-Agent header value. */
  userAgent: string;
  /** Most redirects followed per request. */
  maxRedirects?: number;
}

/**
 * Builds the base layer. GET/HEAD redirects are followed by hand: a step down from HTTPS to
 * HTTP is refused and `Authorization` is dropped when the redirect leaves the origin.
 *
 * @param options Fetch, HTTP client, policy.
 * @returns The base {@linkcode Send}.
 */
export function createBaseSend(options: BaseSendOptions): Send {
  const maxRedirects = options.maxRedirects ?? 5;
  return async (request: HttpRequest): Promise<Response> => {
    let url = request.url;
    const headers = new Headers(request.headers);
    if (!headers.has("user-agent")) headers.set("user-agent", options.userAgent);
    const body = request.body === undefined ? null : await request.body();
    const client = await options.httpClient?.();
    for (let hop = 0;; hop++) {
      const init: RequestInit & { client?: Deno.HttpClient } = {
        method: request.method,
        headers,
        body,
        redirect: "manual",
      };
      if (request.signal !== undefined) init.signal = request.signal;
      if (client !== undefined) init.client = client;
      let response: Response;
      try {
        response = await options.fetch(url, init);
      } catch (error) {
        if (body instanceof ReadableStream && !body.locked) await body.cancel().catch(() => {});
        if (request.signal?.aborted) throw request.signal.reason ?? error;
        throw networkError(error, url);
      }
      const location = response.headers.get("location");
      const follow = [301, 302, 303, 307, 308].includes(response.status) && location !== null &&
        (request.method === "GET" || request.method === "HEAD");
      if (!follow) return response;
      await discardBody(response);
      if (hop >= maxRedirects) {
        throw new ProvisioningError(
          "REGISTRY_ERROR",
          `Too many redirects for ${request.method} "${request.url.href}"`,
        );
      }
      const next = new URL(location!, url);
      checkUrlTransport(next, options.insecure, url);
      if (next.origin !== url.origin) headers.delete("authorization");
      url = next;
    }
  };
}

/**
 * Maps a `fetch` rejection to a {@linkcode ProvisioningError}.
 *
 * @param error What `fetch` threw.
 * @param url The URL requested.
 * @returns `UNSUPPORTED` when Deno does not permit the connection, `INSECURE_TRANSPORT` for
 *   certificate failures, otherwise `UNREACHABLE`.
 */
export function networkError(error: unknown, url: URL): ProvisioningError {
  if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
    // Not a network failure: Deno refused the connection (no --allow-net for this host).
    return new ProvisioningError(
      "UNSUPPORTED",
      `Cannot connect to "${url.host}": network access is not permitted`,
      { cause: error, hint: `Run with --allow-net (or --allow-net=${url.host})` },
    );
  }
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : "";
  if (/certificate|UnknownIssuer|NotValidForName|CertExpired|BadSignature/i.test(text)) {
    return new ProvisioningError(
      "INSECURE_TRANSPORT",
      `Cannot verify the TLS certificate of "${url.host}"`,
      {
        cause: error,
        hint: "Set [oci] ca_file to the PEM file of the CA that signed the registry's certificate",
      },
    );
  }
  let reason = "network error";
  if (/dns error|failed to lookup|name or service not known|nodename nor servname/i.test(text)) {
    reason = "host name not found";
  } else if (/connection refused/i.test(text)) reason = "connection refused";
  else if (/connection reset|broken pipe|connection closed|unexpected eof/i.test(text)) {
    reason = "connection closed by the server";
  } else if (/tls|handshake|corrupt message|InvalidContentType/i.test(text)) {
    reason = "TLS handshake failed (is it a plain HTTP server?)";
  }
  return new ProvisioningError("UNREACHABLE", `Cannot reach "${url.host}": ${reason}`, {
    cause: error,
    hint: "Check [oci] registry and that the registry is running",
  });
}
