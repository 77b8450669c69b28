import { parseChallenges } from "../oci/challenge.ts";
import { netHostOfUrl } from "./net_host.ts";
import { USER_AGENT } from "../version.ts";

/** Options of {@linkcode tokenRealmHosts}. */
export interface TokenRealmOptions {
  /** Milliseconds to wait for the registry's answer (default 3000). */
  timeoutMs?: number;
  /** PEM certificates of extra CAs (`[oci] ca_file`). */
  caCerts?: readonly string[];
  /** The `fetch` to use (tests). */
  fetch?: typeof fetch;
}

/** What {@linkcode tokenRealmHosts} learnt. */
export interface TokenRealmAnswer {
  /** The realm hosts, sorted, without duplicates (usually zero or one). */
  hosts: string[];
  /** Whether the registry answered at all (false: down, slow, refused the connection). */
  answered: boolean;
}

/**
 * Asks a registry which token service it sends clients to: an anonymous `GET /v2/`, and
 * from a `401` answer's `WWW-Authenticate: Bearer realm="…"` challenge the realm's
 * `host:port`. This is how a token realm on another host gets into a permission set: only
 * because the configured registry named it. Nothing is sent to the realm itself. A registry
 * that is down, slow, anonymous or Basic-only yields no host (the command's own request
 * then reports what is wrong).
 *
 * @example
 * ```ts ignore
 * const { hosts } = await tokenRealmHosts(new URL("https://ghcr.io/"));
 * // ["ghcr.io:443"] — GHCR's realm is https://ghcr.io/token
 * ```
 *
 * @param registryUrl The registry's base URL (`registryBaseUrl`), ending with `/`.
 * @param options Timeout, extra CAs, fetch.
 * @returns The realm hosts, and whether the registry answered.
 */
export async function tokenRealmHosts(
  registryUrl: URL,
  options: TokenRealmOptions = {},
): Promise<TokenRealmAnswer> {
  const caCerts = [...(options.caCerts ?? [])];
  let client: Deno.HttpClient | undefined;
  try {
    if (caCerts.length > 0) client = Deno.createHttpClient({ caCerts });
    const init: RequestInit & { client?: Deno.HttpClient } = {
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
      headers: { "user-agent": USER_AGENT },
    };
    if (client !== undefined) init.client = client;
    const response = await (options.fetch ?? fetch)(new URL("v2/", registryUrl), init);
    const header = response.headers.get("www-authenticate");
    await response.body?.cancel();
    if (response.status !== 401) return { hosts: [], answered: true };
    const hosts = new Set<string>();
    for (const challenge of parseChallenges(header)) {
      const realm = challenge.params.realm;
      if (challenge.scheme !== "bearer" || realm === undefined) continue;
      try {
        hosts.add(netHostOfUrl(new URL(realm)));
      } catch {
        // Not an http(s) URL: the auth layer refuses it; nothing to grant.
      }
    }
    return { hosts: [...hosts].sort(), answered: true };
  } catch {
    return { hosts: [], answered: false };
  } finally {
    client?.close();
  }
}
