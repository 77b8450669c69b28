/**
 * The innermost layer: `fetch` with manual redirects under the transport policy and network
 * failures mapped to `UNREACHABLE` / `INSECURE_TRANSPORT`. The base of the OCI client and of
 * the Gitea client (which names its own network errors).
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { discardBody, type FetchLike, type HttpRequest, type Send } from "./http.ts";
import { NOT_RETRYABLE } from "./retry.ts";
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
  /** Maps a `fetch` rejection for `url` (default {@linkcode networkError}, the registry's). */
  networkError?: (error: unknown, url: URL) => ProvisioningError;
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
  // Origins that answered once: a refused connection there may be a restart, worth a retry;
  // refused on first contact, nothing is listening and retries only add their backoff.
  const answered = new Set<string>();
  const mapError = options.networkError ?? networkError;
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
        const mapped = mapError(error, url);
        if (!answered.has(url.origin) && /connection refused$/.test(mapped.message)) {
          Object.defineProperty(mapped, NOT_RETRYABLE, { value: true });
        }
        throw mapped;
      }
      answered.add(url.origin);
      if (url.protocol === "http:" && response.status === 400) {
        response = await plainHttpToTls(response, url);
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
 * Go's servers (distribution among them) answer plain HTTP on a TLS port with a bare 400 "Client
 * sent an HTTP request to an HTTPS server."; that is said as such. Any other 400 is handed on
 * with its body intact.
 */
async function plainHttpToTls(response: Response, url: URL): Promise<Response> {
  if (response.headers.has("content-type")) return response;
  const text = await response.text();
  if (/HTTP request to an HTTPS server/i.test(text)) {
    throw new ProvisioningError(
      "UNREACHABLE",
      `Cannot reach "${url.host}" over plain HTTP: it speaks HTTPS`,
      {
        hint: `Use https://${url.host}, or set [oci] ca_file to the CA that signed its certificate`,
      },
    );
  }
  return new Response(text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * Why a TLS certificate was refused, in words, with the hint that fits: rustls's reasons
 * (`UnknownIssuer`, `NotValidForName`, expired, `CaUsedAsEndEntity`, a server's fatal alert
 * about the client's certificate) as Deno reports them.
 *
 * @example
 * ```ts
 * import { certificateProblem } from "./_base_send.ts";
 * import assert from "node:assert/strict";
 *
 * const found = certificateProblem("invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))");
 * assert.match(found?.reason ?? "", /CA certificate \(CA:TRUE\) as its server certificate/);
 * assert.equal(certificateProblem("connection refused"), undefined);
 * ```
 *
 * @param text The error text.
 * @returns The reason and hint, or undefined when it is not a certificate problem.
 */
export function certificateProblem(text: string): { reason: string; hint: string } | undefined {
  // A fatal alert is the server refusing us: with TLS 1.3 that is a client certificate it
  // requires (mTLS) and did not get, or did not accept.
  if (
    /received fatal alert: (BadCertificate|CertificateRequired|UnknownCA|AccessDenied)/i.test(text)
  ) {
    return {
      reason: "the registry refused this client's certificate (it requires mTLS)",
      hint: "Set [oci] cert_file and key_file to a client certificate the registry accepts",
    };
  }
  if (/CaUsedAsEndEntity/i.test(text)) {
    return {
      reason: "it presents a CA certificate (CA:TRUE) as its server certificate, " +
        "which Deno's TLS refuses even when [oci] ca_file names it",
      hint: "Issue the registry a server certificate signed by that CA (docs/registries.md, TLS " +
        "certificates), and keep the CA in [oci] ca_file",
    };
  }
  // BadSignature: a trusted CA of the same name did not sign it (another CA's key).
  if (/UnknownIssuer|BadSignature/i.test(text)) {
    return {
      reason: "its certificate is signed by a CA this machine does not trust",
      hint: "Set [oci] ca_file to the PEM file of the CA that signed the registry's certificate",
    };
  }
  const name = /not valid for name "([^"]*)"(?:; certificate is only valid for (.*))?/i.exec(text);
  if (name !== null || /NotValidForName/i.test(text)) {
    const names = name?.[2]?.replace(/(?:DnsName|IpAddress)\("?([^")]*)"?\)/g, "$1");
    return {
      reason: `its certificate is not for this host name${names ? ` (it names ${names})` : ""}`,
      hint:
        "Use the host name the certificate names, or reissue it with this name in subjectAltName",
    };
  }
  if (/certificate expired|CertExpired/i.test(text)) {
    return {
      reason: "its certificate has expired",
      hint: "Renew the registry's certificate (and check this machine's clock)",
    };
  }
  if (/CertNotValidYet|not valid yet|certificate is not valid before/i.test(text)) {
    return {
      reason: "its certificate is not valid yet",
      hint: "Check this machine's clock",
    };
  }
  if (/invalid peer certificate|certificate/i.test(text)) {
    return {
      reason: "its certificate could not be verified",
      hint: "Set [oci] ca_file to the PEM file of the CA that signed the registry's certificate",
    };
  }
  return undefined;
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
  const certificate = certificateProblem(text);
  if (certificate !== undefined) {
    return new ProvisioningError(
      "INSECURE_TRANSPORT",
      `Cannot verify the TLS certificate of "${url.host}": ${certificate.reason}`,
      { cause: error, hint: certificate.hint },
    );
  }
  let reason = "network error";
  let hint = "Check [oci] registry and that the registry is running";
  if (/dns error|failed to lookup|name or service not known|nodename nor servname/i.test(text)) {
    reason = "host name not found";
  } else if (/connection refused/i.test(text)) reason = "connection refused";
  else if (/connection reset|broken pipe|connection closed|unexpected eof/i.test(text)) {
    reason = "connection closed by the server";
    // TLS 1.3 servers refuse a missing client certificate after the handshake, as a close.
    if (url.protocol === "https:") {
      hint = "Check that the registry is running; if it requires a client certificate (mTLS), " +
        "set [oci] cert_file and key_file";
    }
  } else if (/corrupt message|InvalidContentType/i.test(text)) {
    reason = "it speaks plain HTTP, not HTTPS";
    hint = `Use http://${url.host} (plain HTTP is allowed for loopback, or with [oci] insecure)`;
  } else if (/invalid HTTP version/i.test(text) && url.protocol === "http:") {
    reason = "it does not speak plain HTTP (HTTPS?)";
    hint = `Use https://${url.host}`;
  } else if (/tls|handshake/i.test(text)) {
    reason = "TLS handshake failed";
  }
  return new ProvisioningError("UNREACHABLE", `Cannot reach "${url.host}": ${reason}`, {
    cause: error,
    hint,
  });
}
