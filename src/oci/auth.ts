/**
 * The auth layer: anonymous first, then whatever the registry's `WWW-Authenticate` challenge
 * asks for — Basic with the stored credential, or the Bearer token flow (GET the challenge's
 * realm with `service` and `scope`, Basic credentials when we have them, `token` or
 * `access_token` in the answer). Tokens are cached per challenging origin, realm, service
 * and scope set, and refreshed when they expire or the registry rejects them
 * (`error="invalid_token"`). Once an origin is known to use Basic or Bearer, later requests
 * authenticate up front. A token realm on another host is contacted only because the
 * registry's challenge named it, under the same transport policy.
 *
 * Credentials are chosen by the origin that challenged. When a request was redirected (a
 * blob download sent to a CDN or bucket) and the redirect target answers 401, that is not
 * the registry asking: the registry's credentials and tokens are never sent to it or to
 * the realm it names. A target listed in `[oci] redirect_hosts` may get an anonymous token
 * from its own realm (cached under its own origin); any other challenging target is an
 * `AUTH_REFUSED` error that names it.
 *
 * @module
 */

import { ensureRealmHost } from "../permissions/ensure_permissions.ts";
import { netHostOfUrl } from "../permissions/net_host.ts";
import { ProvisioningError } from "../errors.ts";
import { type AuthChallenge, parseChallenges } from "./challenge.ts";
import type { Credential, CredentialStore } from "./credentials.ts";
import { discardBody, type HttpRequest, readBodyLimited, type Send } from "./http.ts";
import { mergeScopes, type TokenAuthority, type TokenCache } from "./token_cache.ts";
import { checkUrlTransport, isAllowedRedirectHost } from "./transport.ts";

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
  /** `[oci] redirect_hosts`: redirect targets that may get an anonymous token. */
  redirectHosts?: readonly string[];
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
  const originScheme = new Map<string, { scheme: "basic" } | BearerScheme>();
  const infos = new WeakMap<Response, AuthInfo>();
  const cache = options.tokenCache;
  const redirectHosts = options.redirectHosts ?? [];

  const send: Send = async (request: HttpRequest): Promise<Response> => {
    const host = request.url.host;
    const origin = request.url.origin;
    const credential = await options.credentials.get(host);
    const hints = request.scopes ?? [];
    const attempt = (authorization: string | undefined, url = request.url) => {
      const headers = new Headers(request.headers);
      headers.delete("authorization");
      if (authorization !== undefined) headers.set("authorization", authorization);
      return inner({ ...request, url, headers });
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
    /** The URL that answered: another origin when the request was redirected. */
    const answeredBy = (response: Response): URL | undefined => {
      const url = URL.parse(response.url);
      return url !== null && url.origin !== origin ? url : undefined;
    };

    if (credential?.kind === "bearer") {
      const response = await attempt(`Bearer ${credential.token.reveal()}`);
      const target = response.status === 401 ? answeredBy(response) : undefined;
      if (target !== undefined) return done(await redirected(response, target), anonymous);
      return done(response, withCredential("token"));
    }

    const known = originScheme.get(origin);
    let sent: "basic" | "cached-bearer" | undefined;
    let authorization: string | undefined;
    if (known?.scheme === "basic" && credential?.kind === "basic") {
      authorization = basicHeader(credential);
      sent = "basic";
    } else if (known?.scheme === "bearer" && hints.length > 0) {
      const cached = cache.get(known.authority, hints);
      if (cached !== undefined) {
        authorization = `Bearer ${cached}`;
        sent = "cached-bearer";
      }
    }
    let response = await attempt(authorization);
    if (response.status !== 401) {
      return done(
        response,
        sent === undefined ? anonymous : withCredential(sent === "basic" ? "basic" : "bearer"),
      );
    }
    const target = answeredBy(response);
    if (target !== undefined) return done(await redirected(response, target), anonymous);

    const challenges = parseChallenges(response.headers.get("www-authenticate"));
    const bearer = challenges.find((c) => c.scheme === "bearer" && c.params.realm);
    const basic = challenges.find((c) => c.scheme === "basic");

    if (bearer !== undefined) {
      const authority = authorityOf(origin, bearer);
      if (known?.scheme === "bearer" && sent === "cached-bearer") {
        cache.delete(known.authority, hints);
      }
      originScheme.set(origin, { scheme: "bearer", authority });
      const scopes = mergeScopes([...(bearer.params.scope ? [bearer.params.scope] : []), ...hints]);
      const rejected = sent === "cached-bearer" || bearer.params.error === "invalid_token";
      let fromCache = false;
      let token = rejected ? undefined : cache.get(authority, scopes);
      const subject = { label: `registry "${host}"`, host };
      if (token === undefined) {
        token = await fetchToken(bearer.params, authority, scopes, subject, credential, options);
      } else fromCache = true;
      await discardBody(response);
      response = await attempt(`Bearer ${token}`);
      if (response.status === 401 && fromCache) {
        // A cached token the registry no longer takes (revoked, clock skew): fetch a fresh one.
        cache.delete(authority, scopes);
        await discardBody(response);
        token = await fetchToken(bearer.params, authority, scopes, subject, credential, options);
        response = await attempt(`Bearer ${token}`);
      }
      const again = response.status === 401 ? answeredBy(response) : undefined;
      if (again !== undefined) return done(await redirected(response, again), anonymous);
      return done(response, withCredential("bearer"));
    }

    // An identity token is only good at a token service, never as Basic credentials.
    if (basic !== undefined && credential?.kind === "basic" && sent !== "basic") {
      originScheme.set(origin, { scheme: "basic" });
      await discardBody(response);
      response = await attempt(basicHeader(credential));
      const again = response.status === 401 ? answeredBy(response) : undefined;
      if (again !== undefined) return done(await redirected(response, again), anonymous);
      return done(response, withCredential("basic"));
    }
    return done(response, sent === "basic" ? withCredential("basic") : anonymous);

    /**
     * A redirect target answered 401: never the registry's credentials; an anonymous token
     * from its own realm when `[oci] redirect_hosts` allows it, sent to it alone.
     */
    async function redirected(challenged: Response, url: URL): Promise<Response> {
      const who = `"${url.host}" (redirected to by registry "${host}")`;
      const bearer = parseChallenges(challenged.headers.get("www-authenticate"))
        .find((c) => c.scheme === "bearer" && c.params.realm);
      await discardBody(challenged);
      if (bearer === undefined || !isAllowedRedirectHost(url, redirectHosts)) {
        throw new ProvisioningError(
          "AUTH_REFUSED",
          `${who} asks for credentials; the registry's are never sent to another host`,
          {
            hint: bearer === undefined
              ? "Only an anonymous Bearer token could be fetched for it; check the registry's storage redirect"
              : `If you trust it, add "${url.host}" to [oci] redirect_hosts to let it have an anonymous token`,
          },
        );
      }
      const authority = authorityOf(url.origin, bearer);
      const scopes = mergeScopes(bearer.params.scope ? [bearer.params.scope] : []);
      const refused = bearer.params.error === "invalid_token";
      let token = refused ? undefined : cache.get(authority, scopes);
      const fromCache = token !== undefined;
      const freshToken = () =>
        fetchToken(bearer.params, authority, scopes, { label: who }, undefined, options);
      token ??= await freshToken();
      let answer = await attempt(`Bearer ${token}`, url);
      if (answer.status === 401 && fromCache) {
        cache.delete(authority, scopes);
        await discardBody(answer);
        token = await freshToken();
        answer = await attempt(`Bearer ${token}`, url);
      }
      if (answer.status === 401 || answer.status === 403) {
        await discardBody(answer);
        throw new ProvisioningError(
          "AUTH_REFUSED",
          `${who} refused the anonymous token from its own token service (HTTP ${answer.status})`,
          {
            hint: "The registry's storage redirect needs credentials this client never sends there",
          },
        );
      }
      return answer;
    }
  };

  return { send, describe: (response) => infos.get(response) };
}

/** What an origin is known to challenge with: Bearer, and from which token service. */
interface BearerScheme {
  scheme: "bearer";
  authority: TokenAuthority;
}

const anonymous: AuthInfo = { scheme: "anonymous" };

function authorityOf(origin: string, challenge: AuthChallenge): TokenAuthority {
  return { origin, realm: challenge.params.realm ?? "", service: challenge.params.service ?? "" };
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

/**
 * Fetches a token from the realm of a challenge and caches it under `authority`.
 *
 * @param params The challenge's parameters (`realm`, `service`).
 * @param authority Cache key: who challenged and which token service.
 * @param scopes The scopes to ask for.
 * @param subject Who the token is for, in messages (`registry "reg:5000"`), and the registry
 *   host a login hint names (absent for a redirect target, which never gets credentials).
 * @param credential Basic credentials to present, or `undefined` for an anonymous token.
 * @param options The layer's options.
 * @returns The token.
 */
/** The OAuth2 `client_id` sent with a refresh-token grant. */
const OAUTH_CLIENT_ID = "provisioning-ext";

async function fetchToken(
  params: Record<string, string>,
  authority: TokenAuthority,
  scopes: readonly string[],
  subject: { label: string; host?: string },
  credential: Credential | undefined,
  options: AuthLayerOptions,
): Promise<string> {
  let url: URL;
  try {
    url = new URL(params.realm!);
  } catch {
    throw new ProvisioningError(
      "REGISTRY_ERROR",
      `${capitalize(subject.label)} named an invalid token realm "${params.realm}"`,
    );
  }
  checkUrlTransport(url, options.insecure);
  // A realm met for the first time may lie outside the plan: the launcher learns it.
  await ensureRealmHost(authority.origin, netHostOfUrl(url));
  const headers = new Headers({ accept: "application/json" });
  let response: Response;
  if (credential?.kind === "identity") {
    // Docker's OAuth2 refresh-token grant (distribution's docs/spec/auth/oauth.md): a POST of
    // the form, the identity token as refresh_token.
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: credential.token.reveal(),
      client_id: OAUTH_CLIENT_ID,
      ...(params.service ? { service: params.service } : {}),
      ...(scopes.length > 0 ? { scope: scopes.join(" ") } : {}),
    });
    headers.set("content-type", "application/x-www-form-urlencoded");
    const body = form.toString();
    response = await options.tokenSend({ method: "POST", url, headers, body: () => body });
  } else {
    if (params.service) url.searchParams.set("service", params.service);
    for (const scope of scopes) url.searchParams.append("scope", scope);
    if (credential !== undefined) headers.set("authorization", basicHeader(credential));
    response = await options.tokenSend({ method: "GET", url, headers });
  }
  const where = `Token service "${url.origin}${url.pathname}"`;
  if (response.status === 401 || response.status === 403) {
    await discardBody(response);
    const info: AuthInfo = { scheme: "bearer" };
    if (credential !== undefined) info.credentialSource = credential.source;
    if (credential?.kind === "basic") info.username = credential.username;
    const hint = subject.host === undefined
      ? undefined
      : authRefusedError(subject.host, info, response.status).hint;
    throw new ProvisioningError(
      "AUTH_REFUSED",
      credential === undefined
        ? `${where} refused anonymous access to ${subject.label}`
        : `${where} refused ${
          info.username === undefined ? "the credentials" : `user "${info.username}"`
        } (from ${credential.source}) for ${subject.label}`,
      hint === undefined ? {} : { hint },
    );
  }
  if (!response.ok) {
    await discardBody(response);
    throw new ProvisioningError(
      "REGISTRY_ERROR",
      `${where} answered HTTP ${response.status} for ${subject.label}`,
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
  options.tokenCache.set(authority, scopes, token, expiresIn);
  return token;
}

function capitalize(text: string): string {
  return text.replace(/^./, (c) => c.toUpperCase());
}
