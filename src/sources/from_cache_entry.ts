/**
 * A cache entry as a materialised extension: what the loader answers from the cache and
 * what the `gitea`/`git` sources return for a tag already cached or just saved.
 *
 * @module
 */

import { originLocation } from "../cache/origin.ts";
import type { CacheEntry } from "../cache/types.ts";
import type { ConcreteSourceType } from "../config/types.ts";
import { readManifest } from "../manifest/read_manifest.ts";
import type { ExtensionManifest } from "../manifest/types.ts";
import type { MaterializedExtension } from "./types.ts";

/**
 * A cache entry as a materialised extension. With `manifest` (the one validated while the
 * entry was just saved) the extension counts as fetched; without it the manifest is read
 * from the entry and `fetched` is false.
 *
 * @example
 * ```ts
 * import { fromCacheEntry } from "./from_cache_entry.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   `${dir}/extension.yaml`,
 *   "extension:\n  name: aws\n  version: 1.0.0\n  type: provider\n",
 * );
 * const entry = {
 *   key: "provider/aws/1.0.0", path: dir, type: "provider" as const, name: "aws",
 *   version: "1.0.0", source: "git" as const, size: 0, files: 1,
 *   pulledAt: "2026-01-01T00:00:00.000Z", lastUsedAt: "2026-01-01T00:00:00.000Z",
 * };
 * const ext = await fromCacheEntry(entry, "git");
 * assert.equal(ext.fetched, false);
 * assert.equal(ext.manifest.extension.name, "aws");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param entry The entry.
 * @param source The source to report it as.
 * @param manifest The manifest validated while saving the entry, when it was just fetched.
 * @returns The extension; `fetched` is true exactly when `manifest` was given.
 * @throws {ProvisioningError} When the entry's `extension.yaml` cannot be read or parsed.
 */
export async function fromCacheEntry(
  entry: CacheEntry,
  source: ConcreteSourceType,
  manifest?: ExtensionManifest,
): Promise<MaterializedExtension> {
  return {
    source,
    name: entry.name,
    type: entry.type,
    version: entry.version,
    path: entry.path,
    manifest: manifest ?? await readManifest(entry.path),
    ...(entry.digest === undefined ? {} : { digest: entry.digest }),
    ...withOrigin(entry),
    ...(entry.tagDigest === undefined ? {} : { tagDigest: entry.tagDigest }),
    fetched: manifest !== undefined,
    ...(entry.signer === undefined ? {} : { signer: entry.signer }),
  };
}

/**
 * The `origin` field of a materialised extension made from a cache record (empty when the
 * record names no place).
 *
 * @example
 * ```ts
 * import { withOrigin } from "./from_cache_entry.ts";
 * import assert from "node:assert/strict";
 *
 * const record = { source: "oci", registry: "r:5000", repository: "ns/aws" } as const;
 * assert.deepEqual(withOrigin(record), { origin: "r:5000/ns/aws" });
 * ```
 *
 * @param record The cache record.
 * @returns `{ origin }` or `{}`.
 */
export function withOrigin(record: Parameters<typeof originLocation>[0]): { origin?: string } {
  const origin = originLocation(record);
  return origin === undefined ? {} : { origin };
}
