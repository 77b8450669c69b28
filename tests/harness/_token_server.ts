/**
 * The token endpoint of the `token` registry variant (private to the harness).
 *
 * It plays the part of a real authorization service (Docker token auth spec): the registry
 * answers 401 with `Bearer realm="<this endpoint>"`, the client asks here for the scopes it
 * needs and gets an ES256 JWT the registry verifies against the signing certificate.
 *
 * Policy, kept simple on purpose: the right Basic credentials get every scope they ask for;
 * wrong credentials get 401; anonymous requests get a token with no access at all (so the
 * registry refuses it), unlike real registries that give anonymous pull on public repos.
 * A POST is distribution's OAuth2 grant (docs/spec/auth/oauth.md: form fields `grant_type`,
 * `service`, `client_id`, `scope`, `refresh_token`): the refresh token {@linkcode IDENTITY_TOKEN}
 * (what `docker login` keeps as `identitytoken`) is that user's.
 *
 * @module
 */

import { pemToDer } from "./_certs.ts";

/** The refresh token the endpoint accepts as the user's (Docker's `identitytoken`). */
export const IDENTITY_TOKEN = "test-identity-token-7f3a";

/** Lifetime of the issued tokens, also the `expires_in` of the response. */
export const TOKEN_TTL_SECONDS = 300;

/** Options for {@linkcode startTokenServer}. */
export interface TokenServerOptions {
  /** The accepted user. */
  username: string;
  /** That user's password. */
  password: string;
  /** The registry's `auth.token.service`, sent as the JWT `aud`. */
  service: string;
  /** The registry's `auth.token.issuer`, sent as the JWT `iss`. */
  issuer: string;
  /** The P-256 signing key, PKCS#8 PEM. */
  keyPem: string;
  /** Its certificate, PEM (sent in the JWT header's `x5c`). */
  certPem: string;
}

/** A running token endpoint. */
export interface TokenServer {
  /** `http://127.0.0.1:PORT/token`, the registry's `auth.token.realm`. */
  realm: string;
  /** How many requests the endpoint has served. */
  requests(): number;
  /** Shuts the server down and waits for it. */
  close(): Promise<void>;
}

/** One entry of the JWT `access` claim. */
interface Access {
  type: string;
  name: string;
  actions: string[];
}

/**
 * Serves the token endpoint on 127.0.0.1 port 0.
 *
 * @example
 * ```ts ignore
 * const server = await startTokenServer({ username: "alice", password: "s3cret",
 *   service: "test-registry", issuer: "test-issuer", keyPem, certPem });
 * await server.close();
 * ```
 *
 * @param options Credentials, service, issuer and the signing key.
 * @returns The running endpoint.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = await crypto.subtle.importKey(
    "pkcs8",
    pemToDer(options.keyPem),
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    ["sign"],
  );
  const x5c = [pemToDer(options.certPem).toBase64()];
  const expected = `Basic ${btoa(`${options.username}:${options.password}`)}`;
  let count = 0;

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname !== "/token") return Response.json({ error: "not found" }, { status: 404 });
    count++;
    if (request.method !== "GET" && request.method !== "POST") {
      return Response.json({ error: "method not allowed" }, { status: 405 });
    }
    const form = request.method === "POST"
      ? new URLSearchParams(await request.text())
      : url.searchParams;
    const service = form.get("service");
    if (service !== null && service !== options.service) {
      return Response.json({ error: `unknown service "${service}"` }, { status: 400 });
    }
    let user: string | null;
    if (request.method === "POST") {
      if (form.get("grant_type") !== "refresh_token" || !form.get("client_id")) {
        return Response.json({ error: "unsupported_grant_type" }, { status: 400 });
      }
      if (form.get("refresh_token") !== IDENTITY_TOKEN) {
        return Response.json({ error: "invalid_grant" }, { status: 401 });
      }
      user = options.username;
    } else {
      const authorization = request.headers.get("authorization");
      if (authorization !== null && authorization !== expected) {
        return Response.json({ error: "invalid credentials" }, {
          status: 401,
          headers: { "www-authenticate": 'Basic realm="test-token"' },
        });
      }
      user = authorization === null ? null : options.username;
    }
    const access = user === null ? [] : requestedAccess(form.getAll("scope"));
    const now = Math.floor(Date.now() / 1000);
    const token = await signJwt(key, { typ: "JWT", alg: "ES256", x5c }, {
      iss: options.issuer,
      sub: user ?? "",
      aud: options.service,
      exp: now + TOKEN_TTL_SECONDS,
      nbf: now - 10,
      iat: now,
      jti: crypto.randomUUID(),
      access,
    });
    return Response.json({
      token,
      access_token: token,
      expires_in: TOKEN_TTL_SECONDS,
      issued_at: new Date(now * 1000).toISOString(),
    });
  };

  const listening = Promise.withResolvers<number>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: ({ port }) => listening.resolve(port) },
    handler,
  );
  const port = await listening.promise;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests: () => count,
    close: () => server.shutdown(),
  };
}

/**
 * Parses scopes `type:name:action,action` (several per parameter, space-separated) into the
 * JWT `access` claim. The name may itself contain `:` (a registry host with a port).
 */
function requestedAccess(scopes: string[]): Access[] {
  const access: Access[] = [];
  for (const scope of scopes.flatMap((s) => s.split(" "))) {
    const first = scope.indexOf(":");
    const last = scope.lastIndexOf(":");
    if (first <= 0 || last === first) continue;
    access.push({
      type: scope.slice(0, first),
      name: scope.slice(first + 1, last),
      actions: scope.slice(last + 1).split(",").filter((a) => a !== ""),
    });
  }
  return access;
}

/** Signs a compact JWS; WebCrypto's ECDSA signature is already the raw `r||s` JWS wants. */
async function signJwt(key: CryptoKey, header: object, claims: object): Promise<string> {
  const encode = (value: object) =>
    new TextEncoder().encode(JSON.stringify(value)).toBase64({
      alphabet: "base64url",
      omitPadding: true,
    });
  const input = `${encode(header)}.${encode(claims)}`;
  const signature = await crypto.subtle.sign(
    { name: "ECDSA", hash: "SHA-256" },
    key,
    new TextEncoder().encode(input),
  );
  return `${input}.${
    new Uint8Array(signature).toBase64({ alphabet: "base64url", omitPadding: true })
  }`;
}
