/**
 * The auth layer: anonymous first, then whatever the registry's `WWW-Authenticate` challenge
 * asks for — Basic with the stored credential, or the Bearer token flow (GET the challenge's
 * realm with `service` and `scope`, Basic credentials when we have them, `token` or
 * `access_token` in the answer). Tokens are cached per host and scope set and refreshed when
 * they expire or the registry rejects them (`error="invalid_token"`). Once a host is known to
 * use Basic or Bearer, later requests authenticate up front. A token realm on another host is
 * contacted only because the registry's challenge named it, under the same transport policy.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { parseChallenges } from "./challenge.ts";
import type { Credential, CredentialStore } from "./credentials.ts";
import { discardBody, type HttpRequest, readBodyLimited, type Send } from "./http.ts";
import { mergeScopes, type TokenCache } from "./token_cache.ts";
import { checkUrlTransport } from "./transport.ts";

/** How a response was authenticated. */
export interface AuthInfo {
  /** `anonymous`, `basic`, `bearer` (token from a token service) or `token` (static token). */
  scheme: "anonymous" | "basic" | "bearer" | "token";
  /** Where the credential came from, when one was sent. */
  credentialSource?: string;
  /** The user name, when Basic credentials were sent (here or to the token service). */
  username?: string;
}

/** Options of {@linkcode createAuthLayer}. */
export interface AuthLayerOptions {
  /** Where credentials come from. */
  credentials: CredentialStore;
  /** The bearer token cache. */
  tokenCache: TokenCache;
  /** The stack used for token requests (timeout + retry, no auth). */
  tokenSend: Send;
  /** `[oci] insecure` (applies to token realms too). */
  insecure: boolean;
}

/** The auth layer and a way to ask how a response it returned was authenticated. */
export interface AuthLayer {
  /** The layer. */
  send: Send;
  /**
   * How a response `send` returned was authenticated.
   *
   * @param response A response `send` returned.
   * @returns How it was authenticated, or `undefined` for foreign responses.
   */
  describe(response: Response): AuthInfo | undefined;
}

const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;

/**
 * Wraps a layer with registry authentication.
 *
 * @param inner The layer to wrap (timeout + base).
 * @param options Credentials, token cache, token stack, policy.
 * @returns The layer and its `describe` lookup.
 */
export function createAuthLayer(inner: Send, options: AuthLayerOptions): AuthLayer {
  const hostScheme = new Map<string, "basic" | "bearer">();
  const infos = new WeakMap<Response, AuthInfo>();
  const cache = options.tokenCache;

  const send: Send = async (request: HttpRequest): Promise<Response> => {
    const host = request.url.host;
    const credential = await options.credentials.get(host);
    const hints = request.scopes ?? [];
    const attempt = (authorization: string | undefined) => {
      const headers = new Headers(request.headers);
      headers.delete("authorization");
      if (authorization !== undefined) headers.set("authorization", authorization);
      return inner({ ...request, headers });
    };
    const done = (response: Response, info: AuthInfo) => {
      infos.set(response, info);
      return response;
    };
    const withCredential = (scheme: AuthInfo["scheme"]): AuthInfo => {
      const info: AuthInfo = { scheme };
      if (credential !== undefined) info.credentialSource = credential.source;
      if (credential?.kind === "basic") info.username = credential.username;
      return info;
    };

    if (credential?.kind === "bearer") {
      return done(await attempt(`Bearer ${credential.token.reveal()}`), withCredential("token"));
    }

    const known = hostScheme.get(host);
    let sent: "basic" | "cached-bearer" | undefined;
    let authorization: string | undefined;
    if (known === "basic" && credential !== undefined) {
      authorization = basicHeader(credential);
      sent = "basic";
    } else if (known === "bearer" && hints.length > 0) {
      const cached = cache.get(host, hints);
      if (cached !== undefined) {
        authorization = `Bearer ${cached}`;
        sent = "cached-bearer";
      }
    }
    let response = await attempt(authorization);
    if (response.status !== 401) {
      return done(
        response,
        sent === undefined
          ? { scheme: "anonymous" }
          : withCredential(sent === "basic" ? "basic" : "bearer"),
      );
    }

    const challenges = parseChallenges(response.headers.get("www-authenticate"));
    const bearer = challenges.find((c) => c.scheme === "bearer" && c.params.realm);
    const basic = challenges.find((c) => c.scheme === "basic");

    if (bearer !== undefined) {
      hostScheme.set(host, "bearer");
      const scopes = mergeScopes([...(bearer.params.scope ? [bearer.params.scope] : []), ...hints]);
      const rejected = sent === "cached-bearer" || bearer.params.error === "invalid_token";
      if (sent === "cached-bearer") cache.delete(host, hints);
      let fromCache = false;
      let token = rejected ? undefined : cache.get(host, scopes);
      if (token === undefined) {
        token = await fetchToken(bearer.params, scopes, host, credential, options);
      } else fromCache = true;
      await discardBody(response);
      response = await attempt(`Bearer ${token}`);
      if (response.status === 401 && fromCache) {
        // A cached token the registry no longer takes (revoked, clock skew): fetch a fresh one.
        cache.delete(host, scopes);
        await discardBody(response);
        token = await fetchToken(bearer.params, scopes, host, credential, options);
        response = await attempt(`Bearer ${token}`);
      }
      return done(response, withCredential("bearer"));
    }

    if (basic !== undefined && credential !== undefined && sent !== "basic") {
      hostScheme.set(host, "basic");
      await discardBody(response);
      response = await attempt(basicHeader(credential));
      return done(response, withCredential("basic"));
    }
    return done(response, sent === "basic" ? withCredential("basic") : { scheme: "anonymous" });
  };

  return { send, describe: (response) => infos.get(response) };
}

/**
 * The `AUTH_REFUSED` error for a registry that still answers 401/403 after authentication.
 * It names the registry, the user and where the credential came from — never the secret.
 *
 * @example
 * ```ts
 * import { authRefusedError } from "./auth.ts";
 * import assert from "node:assert/strict";
 *
 * const err = authRefusedError("localhost:5000", { scheme: "anonymous" }, 401);
 * assert.equal(err.code, "AUTH_REFUSED");
 * assert.match(err.message, /requires authentication/);
 * ```
 *
 * @param host Registry host.
 * @param info How the request was authenticated.
 * @param status 401 or 403.
 * @param what What was attempted, for the message (for example `pull "ns/aws"`).
 * @returns The error.
 */
export function authRefusedError(
  host: string,
  info: AuthInfo | undefined,
  status: number,
  what?: string,
): ProvisioningError {
  const action = what === undefined ? "" : ` to ${what}`;
  if (info === undefined || info.scheme === "anonymous" || info.credentialSource === undefined) {
    return new ProvisioningError(
      "AUTH_REFUSED",
      status === 403
        ? `Registry "${host}" denied anonymous access${action}`
        : `Registry "${host}" requires authentication${action}`,
      { hint: `Log in with: provisioning ext login ${host} --username USER --password-stdin` },
    );
  }
  const who = info.username === undefined ? "the credentials" : `user "${info.username}"`;
  const from = info.credentialSource === undefined ? "" : ` (from ${info.credentialSource})`;
  return new ProvisioningError(
    "AUTH_REFUSED",
    status === 403
      ? `Registry "${host}" denied ${who}${from}${action}`
      : `Registry "${host}" refused ${who}${from}${action}`,
    {
      hint: status === 403
        ? "The account lacks permission for this repository or action"
        : `Check the credentials or log in again: provisioning ext login ${host}`,
    },
  );
}

function basicHeader(credential: Credential): string {
  if (credential.kind !== "basic") return `Bearer ${credential.token.reveal()}`;
  const bytes = new TextEncoder().encode(`${credential.username}:${credential.password.reveal()}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

async function fetchToken(
  params: Record<string, string>,
  scopes: readonly string[],
  host: string,
  credential: Credential | undefined,
  options: AuthLayerOptions,
): Promise<string> {
  let url: URL;
  try {
    url = new URL(params.realm!);
  } catch {
    throw new ProvisioningError(
      "REGISTRY_ERROR",
      `Registry "${host}" named an invalid token realm "${params.realm}"`,
    );
  }
  checkUrlTransport(url, options.insecure);
  if (params.service) url.searchParams.set("service", params.service);
  for (const scope of scopes) url.searchParams.append("scope", scope);
  const headers = new Headers({ accept: "application/json" });
  if (credential !== undefined) headers.set("authorization", basicHeader(credential));

  const response = await options.tokenSend({ method: "GET", url, headers });
  const where = `Token service "${url.origin}${url.pathname}"`;
  if (response.status === 401 || response.status === 403) {
    await discardBody(response);
    const info: AuthInfo = { scheme: "bearer" };
    if (credential !== undefined) info.credentialSource = credential.source;
    if (credential?.kind === "basic") info.username = credential.username;
    const err = authRefusedError(host, info, response.status);
    throw new ProvisioningError(
      "AUTH_REFUSED",
      credential === undefined
        ? `${where} refused anonymous access to registry "${host}"`
        : `${where} refused ${
          info.username === undefined ? "the credentials" : `user "${info.username}"`
        } (from ${credential.source}) for registry "${host}"`,
      err.hint === undefined ? {} : { hint: err.hint },
    );
  }
  if (!response.ok) {
    await discardBody(response);
    throw new ProvisioningError(
      "REGISTRY_ERROR",
      `${where} answered HTTP ${response.status} for registry "${host}"`,
      { hint: "The registry's token service is failing; try again later" },
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(
      await readBodyLimited(response, MAX_TOKEN_RESPONSE_BYTES),
    ));
  } catch {
    body = undefined;
  }
  const record = typeof body === "object" && body !== null ? body as Record<string, unknown> : {};
  const token = typeof record.token === "string" && record.token !== ""
    ? record.token
    : typeof record.access_token === "string" && record.access_token !== ""
    ? record.access_token
    : undefined;
  if (token === undefined) {
    throw new ProvisioningError(
      "REGISTRY_ERROR",
      `${where} returned no token: expected JSON with "token" or "access_token"`,
      { hint: "The token service is misconfigured or is not a Docker token service" },
    );
  }
  const expiresIn = typeof record.expires_in === "number" && record.expires_in > 0
    ? record.expires_in
    : 60;
  options.tokenCache.set(host, scopes, token, expiresIn);
  return token;
}
