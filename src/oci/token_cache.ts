/**
 * The bearer token cache: tokens keyed by who challenged (the origin that answered 401),
 * the token service (realm and service) and the (merged, sorted) scope set, dropped shortly
 * before they expire — so a token one host was given is never offered to another. Counters
 * let callers see reuse.
 *
 * @module
 */

/** A cached token. */
interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Who a token is for: the challenging origin and the token service it named. */
export interface TokenAuthority {
  /** Origin (`scheme://host[:port]`) that sent the `WWW-Authenticate: Bearer` challenge. */
  origin: string;
  /** The challenge's `realm` (token endpoint URL). */
  realm: string;
  /** The challenge's `service` (`""` when absent). */
  service: string;
}

/**
 * Merges scopes (`repository:ns/x:pull` + `repository:ns/x:push` →
 * `repository:ns/x:pull,push`) into a sorted, de-duplicated list.
 *
 * @example
 * ```ts
 * import { mergeScopes } from "./token_cache.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(
 *   mergeScopes(["repository:a/b:push", "repository:a/b:pull", "registry:catalog:*"]),
 *   ["registry:catalog:*", "repository:a/b:pull,push"],
 * );
 * ```
 *
 * @param scopes Scopes in `type:name:actions` form (space-separated lists are split).
 * @returns The merged scopes.
 */
export function mergeScopes(scopes: Iterable<string>): string[] {
  const byResource = new Map<string, Set<string>>();
  for (const item of scopes) {
    for (const scope of item.split(" ")) {
      if (scope === "") continue;
      const last = scope.lastIndexOf(":");
      if (last <= 0) {
        byResource.set(scope, byResource.get(scope) ?? new Set());
        continue;
      }
      const resource = scope.slice(0, last);
      const actions = byResource.get(resource) ?? new Set<string>();
      for (const action of scope.slice(last + 1).split(",")) if (action !== "") actions.add(action);
      byResource.set(resource, actions);
    }
  }
  return [...byResource.entries()]
    .map(([resource, actions]) =>
      actions.size === 0 ? resource : `${resource}:${[...actions].sort().join(",")}`
    )
    .sort();
}

/**
 * A bearer token cache keyed by origin, realm, service and scope set.
 *
 * @example
 * ```ts
 * import { TokenCache } from "./token_cache.ts";
 * import assert from "node:assert/strict";
 *
 * let now = 0;
 * const cache = new TokenCache(() => now);
 * const registry = { origin: "https://reg", realm: "https://auth/token", service: "reg" };
 * cache.set(registry, ["repository:a:pull"], "T", 300);
 * assert.equal(cache.get(registry, ["repository:a:pull"]), "T");
 * assert.equal(cache.get({ ...registry, origin: "https://cdn" }, ["repository:a:pull"]), undefined);
 * now = 300_000;
 * assert.equal(cache.get(registry, ["repository:a:pull"]), undefined);
 * assert.equal(cache.hits, 1);
 * ```
 */
export class TokenCache {
  #tokens = new Map<string, CachedToken>();
  #now: () => number;
  /** Lookups answered from the cache. */
  hits = 0;
  /** Tokens stored (each one fetched from a token endpoint). */
  stores = 0;

  /**
   * An empty cache.
   *
   * @param now Clock in ms since the epoch.
   */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * Looks up a live token.
   *
   * @param authority Challenging origin, realm and service.
   * @param scopes Scopes (merged before keying).
   * @returns A token that has not expired, or `undefined`.
   */
  get(authority: TokenAuthority, scopes: Iterable<string>): string | undefined {
    const key = cacheKey(authority, scopes);
    const entry = this.#tokens.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#tokens.delete(key);
      return undefined;
    }
    this.hits++;
    return entry.token;
  }

  /**
   * Stores a token. It is dropped 10 % of its lifetime (at most 30 s) before it expires.
   *
   * @param authority Challenging origin, realm and service.
   * @param scopes Scopes it was issued for.
   * @param token The token.
   * @param expiresInSeconds Lifetime from the token response (`expires_in`, default 60).
   * @param issuedAt Issue time in ms (default now).
   */
  set(
    authority: TokenAuthority,
    scopes: Iterable<string>,
    token: string,
    expiresInSeconds: number,
    issuedAt: number = this.#now(),
  ): void {
    const lifetime = expiresInSeconds * 1000;
    const margin = Math.min(30_000, lifetime / 10);
    this.#tokens.set(cacheKey(authority, scopes), {
      token,
      expiresAt: issuedAt + lifetime - margin,
    });
    this.stores++;
  }

  /**
   * Drops a token (after the registry rejected it).
   *
   * @param authority Challenging origin, realm and service.
   * @param scopes Its scopes.
   */
  delete(authority: TokenAuthority, scopes: Iterable<string>): void {
    this.#tokens.delete(cacheKey(authority, scopes));
  }

  /** Drops every token. */
  clear(): void {
    this.#tokens.clear();
  }
}

function cacheKey(authority: TokenAuthority, scopes: Iterable<string>): string {
  return JSON.stringify([
    authority.origin,
    authority.realm,
    authority.service,
    mergeScopes(scopes),
  ]);
}
