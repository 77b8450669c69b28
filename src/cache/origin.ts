/**
 * The origin of a cache entry — where its bytes came from — and the one rule that says when
 * two records share it: the same source kind and the same registry, repository and remote.
 * Name, type and version are how people ask; origin and digest are what an entry answers for.
 *
 * @module
 */

import type { CacheRecord } from "./types.ts";

/** The fields of a record that name its origin. */
export type CacheOrigin = Pick<CacheRecord, "source" | "registry" | "repository" | "remote">;

/**
 * Whether two records (or a record and an origin) come from the same place: the same source
 * kind, registry, repository (an OCI repository or a layout folder) and remote (git, Gitea).
 *
 * @example
 * ```ts
 * import { isSameOrigin } from "./origin.ts";
 * import assert from "node:assert/strict";
 *
 * const a = { source: "oci", registry: "r:5000", repository: "ns/aws" } as const;
 * assert.equal(isSameOrigin(a, { ...a }), true);
 * assert.equal(isSameOrigin(a, { ...a, repository: "other/aws" }), false);
 * assert.equal(isSameOrigin(a, { source: "oci-layout", repository: "ns/aws" }), false);
 * ```
 *
 * @param a One record or origin.
 * @param b The other.
 * @returns True when every origin field is equal (absent equals absent).
 */
export function isSameOrigin(a: CacheOrigin, b: CacheOrigin): boolean {
  return a.source === b.source && a.registry === b.registry && a.repository === b.repository &&
    a.remote === b.remote;
}

/**
 * The origin of a record in words, for warnings and `cache list`: `registry/repository`,
 * the layout folder, or the remote.
 *
 * @example
 * ```ts
 * import { describeOrigin } from "./origin.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   describeOrigin({ source: "oci", registry: "r:5000", repository: "ns/aws" }),
 *   "oci r:5000/ns/aws",
 * );
 * ```
 *
 * @param origin The record or origin.
 * @returns One line.
 */
export function describeOrigin(origin: CacheOrigin): string {
  const where = originLocation(origin);
  return where === undefined ? origin.source : `${origin.source} ${where}`;
}

/**
 * Where a record's bytes came from, as one string: `registry/repository` for a registry, the
 * layout folder, or the remote; what a canonical reference puts before `@digest`.
 *
 * @example
 * ```ts
 * import { originLocation } from "./origin.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   originLocation({ source: "oci", registry: "r:5000", repository: "ns/aws" }),
 *   "r:5000/ns/aws",
 * );
 * assert.equal(originLocation({ source: "local" }), undefined);
 * ```
 *
 * @param origin The record or origin.
 * @returns The location, or undefined when the record names none.
 */
export function originLocation(origin: CacheOrigin): string | undefined {
  const where = origin.remote ??
    [origin.registry, origin.repository].filter((p) => p !== undefined).join("/");
  return where === "" ? undefined : where;
}
