/**
 * Content stores in the shape oras-go uses: small interfaces — fetch a descriptor's bytes as
 * a stream, resolve a tag or digest to a descriptor — that a registry repository
 * ({@linkcode createRemoteTarget}) and an OCI image layout both implement, so one walk
 * (`resolveArtifact`, then the cache's ingest) serves pull, layouts, discovery and caching.
 *
 * A store's `fetch` hands out the bytes as they are stored or sent, **not hashed**: whoever
 * uses them passes them through the one verifying stream (`createVerifyStream`) — in memory
 * with {@linkcode fetchAll}, or on their way to disk in the cache — so each blob is hashed
 * exactly once and checked before it is used.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { openBlob } from "./blobs.ts";
import type { RegistryClient } from "./client.ts";
import { createVerifyStream } from "./digest.ts";
import { readBodyLimited } from "./http.ts";
import { fetchManifestBytes, openManifest, resolveManifest } from "./manifests.ts";
import { IMAGE_MANIFEST_TYPES, INDEX_MANIFEST_TYPES, MAX_MANIFEST_BYTES } from "./media_types.ts";
import { isDigest } from "./reference.ts";
import type { Descriptor, Reference } from "./types.ts";

/** Options of a store's `fetch`, `resolve` and `fetchReference`. */
export interface ContentOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Fetches content by descriptor (oras-go's `content.Fetcher`): raw bytes, not hashed. */
export interface ContentFetcher {
  /**
   * Opens the bytes a descriptor names (a manifest, an index or a blob).
   *
   * @param descriptor What to open (media type, digest, size).
   * @param options Abort signal.
   */
  fetch(descriptor: Descriptor, options?: ContentOptions): Promise<ReadableStream<Uint8Array>>;
}

/** Resolves references (oras-go's `content.Resolver`). */
export interface ContentResolver {
  /**
   * The descriptor of the manifest or index a tag or digest names.
   *
   * @param reference A tag (`1.2.3`) or a digest (`sha256:…`).
   * @param options Abort signal.
   */
  resolve(reference: string, options?: ContentOptions): Promise<Descriptor>;
}

/** Resolves and reads a manifest in one request (oras-go's `registry.ReferenceFetcher`). */
export interface ReferenceFetcher {
  /**
   * The bytes a tag or digest names, with their descriptor (digest computed from the bytes).
   *
   * @param reference A tag or a digest.
   * @param options Abort signal.
   */
  fetchReference(
    reference: string,
    options?: ContentOptions,
  ): Promise<{ descriptor: Descriptor; bytes: Uint8Array }>;
}

/** A read-only content store: a registry repository or an OCI layout. */
export interface ReadOnlyTarget extends ContentFetcher, ContentResolver, Partial<ReferenceFetcher> {
  /** Names the store in messages: `registry/repository`, or the layout directory. */
  readonly label: string;
}

/** Options of {@linkcode fetchAll}. */
export interface FetchAllOptions extends ContentOptions {
  /** Largest size accepted (default 4 MiB). */
  maxBytes?: number;
  /** Names the content in messages (default: the descriptor's digest in the store). */
  label?: string;
}

/**
 * Reads small content (a manifest, a config) whole, checking digest and size — oras-go's
 * `content.FetchAll`.
 *
 * @example
 * ```ts
 * import { fetchAll } from "./content.ts";
 * import { digestOf } from "./digest.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode("{}");
 * const target = {
 *   label: "memory",
 *   fetch: () => Promise.resolve(ReadableStream.from([bytes])),
 *   resolve: () => Promise.reject(new Error("no tags")),
 * };
 * const good = { mediaType: "application/json", digest: digestOf(bytes), size: 2 };
 * assert.deepEqual(await fetchAll(target, good), bytes);
 * const bad = { ...good, digest: digestOf(new Uint8Array()) };
 * await assert.rejects(fetchAll(target, bad), { code: "DIGEST_MISMATCH" });
 * ```
 *
 * @param target The store.
 * @param descriptor What to read.
 * @param options Size cap, label, abort signal.
 * @returns The verified bytes.
 * @throws {ProvisioningError} `SIZE_MISMATCH` above `maxBytes` or for a wrong size,
 *   `DIGEST_MISMATCH`; the store's errors (`NOT_FOUND`…).
 */
export async function fetchAll(
  target: ContentFetcher & { readonly label: string },
  descriptor: Descriptor,
  options: FetchAllOptions = {},
): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? MAX_MANIFEST_BYTES;
  const label = options.label ?? `blob "${descriptor.digest}" of "${target.label}"`;
  if (descriptor.size > maxBytes) {
    throw new ProvisioningError(
      "SIZE_MISMATCH",
      `Size of ${label} is ${descriptor.size} bytes, more than the ${maxBytes} allowed here`,
    );
  }
  const stream = await target.fetch(
    descriptor,
    options.signal === undefined ? {} : { signal: options.signal },
  );
  const verified = stream.pipeThrough(
    createVerifyStream({ digest: descriptor.digest, size: descriptor.size, label }),
  );
  try {
    return await readBodyLimited(new Response(verified), maxBytes);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new ProvisioningError(
      "SIZE_MISMATCH",
      `Size of ${label} is more than the ${maxBytes} bytes allowed here`,
    );
  }
}

/**
 * Whether a media type is a manifest or an index (fetched from `manifests/`, not `blobs/`).
 *
 * @example
 * ```ts
 * import { isManifestMediaType } from "./content.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isManifestMediaType("application/vnd.oci.image.index.v1+json"), true);
 * assert.equal(isManifestMediaType("application/vnd.oci.image.layer.v1.tar"), false);
 * ```
 *
 * @param mediaType A descriptor's media type.
 * @returns True for the OCI and Docker manifest and index types.
 */
export function isManifestMediaType(mediaType: string): boolean {
  return IMAGE_MANIFEST_TYPES.includes(mediaType) || INDEX_MANIFEST_TYPES.includes(mediaType);
}

/**
 * A registry repository as a {@linkcode ReadOnlyTarget}: `resolve` is a `HEAD` of the
 * manifest, `fetchReference` one `GET` of it, and `fetch` reads `manifests/<digest>` for
 * manifest media types and `blobs/<digest>` for everything else — all through the client's
 * retry, auth and timeout layers.
 *
 * @example
 * ```ts ignore
 * const target = createRemoteTarget(client, client.reference("aws"));
 * const artifact = await resolveArtifact(target, "1.0.0");
 * ```
 *
 * @param client The registry client.
 * @param repository Registry and repository (tag and digest ignored).
 * @returns The store.
 */
export function createRemoteTarget(client: RegistryClient, repository: Reference): ReadOnlyTarget {
  const { tag: _tag, digest: _digest, ...base } = repository;
  const at = (reference: string): Reference =>
    isDigest(reference) ? { ...base, digest: reference } : { ...base, tag: reference };
  return {
    label: `${base.registry}/${base.repository}`,
    resolve: (reference) => resolveManifest(client, at(reference)),
    fetchReference: async (reference, options = {}) => {
      const { descriptor, bytes } = await fetchManifestBytes(client, at(reference), options);
      return { descriptor, bytes };
    },
    fetch: (descriptor, options = {}) =>
      isManifestMediaType(descriptor.mediaType)
        ? openManifest(client, { ...base, digest: descriptor.digest }, options.signal)
        : openBlob(client, base, descriptor, options.signal),
  };
}
