/**
 * The bearer token cache: tokens keyed by registry host and (merged, sorted) scope set,
 * dropped shortly before they expire. Counters let callers see reuse.
 *
 * @module
 */

/** A cached token. */
interface CachedToken {
  token: string;
  expiresAt: number;
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
 * A bearer token cache keyed by host and scope set.
 *
 * @example
 * ```ts
 * import { TokenCache } from "./token_cache.ts";
 * import assert from "node:assert/strict";
 *
 * let now = 0;
 * const cache = new TokenCache(() => now);
 * cache.set("reg:5000", ["repository:a:pull"], "T", 300);
 * assert.equal(cache.get("reg:5000", ["repository:a:pull"]), "T");
 * now = 300_000;
 * assert.equal(cache.get("reg:5000", ["repository:a:pull"]), undefined);
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
   * @param host Registry host.
   * @param scopes Scopes (merged before keying).
   * @returns A token that has not expired, or `undefined`.
   */
  get(host: string, scopes: Iterable<string>): string | undefined {
    const key = cacheKey(host, scopes);
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
   * @param host Registry host.
   * @param scopes Scopes it was issued for.
   * @param token The token.
   * @param expiresInSeconds Lifetime from the token response (`expires_in`, default 60).
   * @param issuedAt Issue time in ms (default now).
   */
  set(
    host: string,
    scopes: Iterable<string>,
    token: string,
    expiresInSeconds: number,
    issuedAt: number = this.#now(),
  ): void {
    const lifetime = expiresInSeconds * 1000;
    const margin = Math.min(30_000, lifetime / 10);
    this.#tokens.set(cacheKey(host, scopes), { token, expiresAt: issuedAt + lifetime - margin });
    this.stores++;
  }

  /**
   * Drops a token (after the registry rejected it).
   *
   * @param host Registry host.
   * @param scopes Its scopes.
   */
  delete(host: string, scopes: Iterable<string>): void {
    this.#tokens.delete(cacheKey(host, scopes));
  }

  /** Drops every token. */
  clear(): void {
    this.#tokens.clear();
  }
}

function cacheKey(host: string, scopes: Iterable<string>): string {
  return `${host} ${mergeScopes(scopes).join(" ")}`;
}
