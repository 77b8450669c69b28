/**
 * Pulling an artifact: resolve the manifest (choosing our manifest from an index), read the
 * config (parsed when it is our config media type) and hand back a way to stream each layer.
 * Nothing is unpacked or cached here; the cache ingests the layers' `open()` streams.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { fetchBlob, fetchBlobBytes } from "./blobs.ts";
import type { RegistryClient } from "./client.ts";
import { getArtifactManifest } from "./manifests.ts";
import {
  ARTIFACT_TYPE_EXTENSION,
  MEDIA_TYPE_EXTENSION_CONFIG,
  MEDIA_TYPE_OCI_EMPTY,
} from "./media_types.ts";
import { formatReference } from "./reference.ts";
import type {
  BlobSource,
  Descriptor,
  ImageIndex,
  ImageManifest,
  Reference,
  TransferProgress,
} from "./types.ts";

/** A pulled artifact: manifest, config and streamable layers. */
export interface PulledArtifact {
  /** The reference pulled (with the registry and namespace filled in). */
  reference: Reference;
  /** Digest of the image manifest (the one chosen from an index, if any). */
  digest: string;
  /** Its media type. */
  mediaType: string;
  /** The image manifest. */
  manifest: ImageManifest;
  /** Its exact bytes. */
  manifestBytes: Uint8Array;
  /** The index the reference pointed at, when it was one. */
  index: { digest: string; index: ImageIndex } | undefined;
  /** The config descriptor and, for our config media type, its parsed JSON. */
  config: { descriptor: Descriptor; value: unknown };
  /** One source per layer; `open()` downloads it, checked as it streams. */
  layers: BlobSource[];
}

/** Options of {@linkcode pullArtifact}. */
export interface PullArtifactOptions {
  /** Called as layer bytes arrive. */
  onProgress?: (progress: TransferProgress) => void;
}

/**
 * Resolves a reference to its manifest and config; layers are fetched only when opened.
 *
 * @example
 * ```ts ignore
 * const pulled = await pullArtifact(client, "aws:1.0.0");
 * const layer = pulled.layers[0]!;
 * const stream = await layer.open(); // verified sha256 + size while it flows
 * ```
 *
 * @param client The registry client.
 * @param ref Reference with a tag or digest.
 * @param options Progress callback.
 * @returns The manifest, the config and the layer sources.
 * @throws {ProvisioningError} `NOT_FOUND`; `UNSUPPORTED` for an index with no extension
 *   manifest; `INVALID_EXTENSION` when our config is not JSON; integrity, network and auth
 *   errors.
 */
export async function pullArtifact(
  client: RegistryClient,
  ref: string | Reference,
  options: PullArtifactOptions = {},
): Promise<PulledArtifact> {
  const reference = client.reference(ref);
  let fetched = await getArtifactManifest(client, reference);
  let index: PulledArtifact["index"];
  if (fetched.kind === "index") {
    index = { digest: fetched.digest, index: fetched.index };
    const chosen = chooseManifest(fetched.index, formatReference(reference));
    fetched = await getArtifactManifest(client, { ...reference, digest: chosen.digest });
    if (fetched.kind !== "manifest") {
      throw new ProvisioningError(
        "UNSUPPORTED",
        `Index "${
          formatReference(reference)
        }" points at another index; nested indexes are not supported`,
      );
    }
  }
  const manifest = fetched.manifest;
  let value: unknown = undefined;
  if (manifest.config.mediaType === MEDIA_TYPE_EXTENSION_CONFIG) {
    const bytes = await fetchBlobBytes(client, reference, manifest.config);
    try {
      value = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new ProvisioningError(
        "INVALID_EXTENSION",
        `Config of "${formatReference(reference)}" is not valid JSON`,
      );
    }
  } else if (manifest.config.mediaType === MEDIA_TYPE_OCI_EMPTY) {
    value = undefined;
  }
  const layers = manifest.layers.map((layer): BlobSource => {
    const source: BlobSource = {
      digest: layer.digest,
      size: layer.size,
      mediaType: layer.mediaType,
      open: () =>
        fetchBlob(
          client,
          reference,
          layer,
          options.onProgress === undefined ? {} : { onProgress: options.onProgress },
        ),
    };
    if (layer.annotations !== undefined) source.annotations = layer.annotations;
    return source;
  });
  return {
    reference,
    digest: fetched.digest,
    mediaType: fetched.mediaType,
    manifest,
    manifestBytes: fetched.bytes,
    index,
    config: { descriptor: manifest.config, value },
    layers,
  };
}

/**
 * Picks the manifest to pull from an index: the one whose `artifactType` is an extension,
 * else the only entry.
 *
 * @example
 * ```ts
 * import { chooseManifest } from "./pull.ts";
 * import assert from "node:assert/strict";
 *
 * const d = (artifactType?: string) => ({
 *   mediaType: "application/vnd.oci.image.manifest.v1+json",
 *   digest: "sha256:" + "1".repeat(64), size: 1, ...(artifactType ? { artifactType } : {}),
 * });
 * const index = { schemaVersion: 2 as const,
 *   manifests: [d("x/other"), d("application/vnd.provisioning.extension.v1")] };
 * assert.equal(chooseManifest(index, "r").artifactType, "application/vnd.provisioning.extension.v1");
 * ```
 *
 * @param index The index.
 * @param label Names it in error messages.
 * @returns The chosen descriptor.
 * @throws {ProvisioningError} `UNSUPPORTED` when no single candidate exists.
 */
export function chooseManifest(index: ImageIndex, label: string): Descriptor {
  const ours = index.manifests.filter((m) => m.artifactType === ARTIFACT_TYPE_EXTENSION);
  if (ours.length >= 1) return ours[0]!;
  if (index.manifests.length === 1) return index.manifests[0]!;
  throw new ProvisioningError(
    "UNSUPPORTED",
    `Index "${label}" has ${index.manifests.length} manifests and none is an extension`,
    {
      hint:
        `Pull a specific manifest by digest, or push with artifactType "${ARTIFACT_TYPE_EXTENSION}"`,
    },
  );
}
