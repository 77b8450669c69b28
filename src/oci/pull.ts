/**
 * Pulling an artifact: resolve the manifest (`resolveArtifact`, which searches an index for
 * our manifest), read the config (parsed when it is our config media type) and hand back a
 * way to stream each layer.
 * Nothing is unpacked or cached here; the cache ingests the layers' `open()` streams.
 *
 * @module
 */

import { fetchBlob } from "./blobs.ts";
import type { RegistryClient } from "./client.ts";
import { createRemoteTarget } from "./content.ts";
import { formatReference, referenceTarget } from "./reference.ts";
import { readDeclaredIdentity, resolveArtifact } from "./resolve_artifact.ts";
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
 *   manifest (see `resolveArtifact`); `INVALID_EXTENSION` when our config is not JSON; integrity, network and auth
 *   errors.
 */
export async function pullArtifact(
  client: RegistryClient,
  ref: string | Reference,
  options: PullArtifactOptions = {},
): Promise<PulledArtifact> {
  const reference = client.reference(ref);
  const label = formatReference(reference);
  const target = createRemoteTarget(client, reference);
  const found = await resolveArtifact(target, referenceTarget(reference), { label });
  const manifest = found.manifest;
  const { config } = await readDeclaredIdentity(target, manifest, label);
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
    digest: found.descriptor.digest,
    mediaType: found.descriptor.mediaType,
    manifest,
    manifestBytes: found.bytes,
    index: found.index === undefined
      ? undefined
      : { digest: found.root.digest, index: found.index },
    config: { descriptor: manifest.config, value: config },
    layers,
  };
}
