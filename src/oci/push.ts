/**
 * Pushing an artifact: every blob first (skipped when present, mounted when possible), then
 * the manifest with `Content-Type` exactly its media type.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { pushBlob, type PushBlobResult } from "./blobs.ts";
import type { RegistryClient } from "./client.ts";
import { buildManifest, parseManifest, pushManifest } from "./manifests.ts";
import { ARTIFACT_TYPE_EXTENSION } from "./media_types.ts";
import { formatReference } from "./reference.ts";
import type { BlobSource, Descriptor, Reference, TransferProgress } from "./types.ts";

/** What {@linkcode pushArtifact} pushes. */
export interface PushArtifactOptions {
  /** The config blob. */
  config: BlobSource;
  /** The layer blobs, in manifest order. */
  layers: readonly BlobSource[];
  /**
   * Exact manifest bytes to push (they must reference `config` and `layers`); when absent the
   * manifest is built from the blobs, `artifactType`, `annotations` and `subject`.
   */
  manifest?: Uint8Array;
  /** OCI 1.1 artifact type of a built manifest (default: the extension artifact type). */
  artifactType?: string;
  /** Annotations of a built manifest. */
  annotations?: Record<string, string>;
  /** Subject of a built manifest. */
  subject?: Descriptor;
  /**
   * Repositories on the same registry to mount existing blobs from, tried in turn: one, a
   * list, or a function naming the candidates of each blob (a record of where it was seen).
   */
  mountFrom?:
    | string
    | readonly string[]
    | ((blob: BlobSource) => readonly string[] | Promise<readonly string[]>);
  /** Called as blob bytes are sent. */
  onProgress?: (progress: TransferProgress) => void;
}

/** The result of {@linkcode pushArtifact}. */
export interface PushArtifactResult {
  /** The reference pushed to. */
  reference: Reference;
  /** Digest of the manifest. */
  digest: string;
  /** Size of the manifest in bytes. */
  size: number;
  /** Media type of the manifest. */
  mediaType: string;
  /** What happened to each blob (config first). */
  blobs: PushBlobResult[];
}

/**
 * Pushes config and layers, then the manifest under the reference's tag (or by digest).
 *
 * @example
 * ```ts ignore
 * const result = await pushArtifact(client, "aws:1.0.0", { config, layers: [layer],
 *   annotations: { "org.opencontainers.image.version": "1.0.0" } });
 * console.log(result.digest);
 * ```
 *
 * @param client The registry client.
 * @param ref Reference with the tag to push to.
 * @param options Blobs and manifest (bytes or fields).
 * @returns Manifest digest and size, and each blob's outcome.
 * @throws {ProvisioningError} `INVALID_MANIFEST` when given manifest bytes do not reference
 *   the blobs; registry, integrity, network and auth errors.
 */
export async function pushArtifact(
  client: RegistryClient,
  ref: string | Reference,
  options: PushArtifactOptions,
): Promise<PushArtifactResult> {
  const reference = client.reference(ref);
  const label = formatReference(reference);
  let bytes: Uint8Array;
  let mediaType: string;
  const descriptorOf = (source: BlobSource): Descriptor => {
    const d: Descriptor = {
      mediaType: source.mediaType,
      digest: source.digest,
      size: source.size,
    };
    if (source.annotations !== undefined) d.annotations = source.annotations;
    return d;
  };
  if (options.manifest !== undefined) {
    bytes = options.manifest;
    const parsed = parseManifest(bytes, undefined, label);
    if (parsed.kind !== "manifest") {
      throw new ProvisioningError("INVALID_MANIFEST", `Manifest for "${label}" is an index`);
    }
    const named = new Set([parsed.manifest.config, ...parsed.manifest.layers].map((d) => d.digest));
    const missing = [options.config, ...options.layers].filter((b) => !named.has(b.digest));
    if (missing.length > 0) {
      throw new ProvisioningError(
        "INVALID_MANIFEST",
        `Manifest for "${label}" does not reference blob "${missing[0]!.digest}"`,
      );
    }
    mediaType = parsed.mediaType;
  } else {
    const built = buildManifest({
      config: descriptorOf(options.config),
      layers: options.layers.map(descriptorOf),
      artifactType: options.artifactType ?? ARTIFACT_TYPE_EXTENSION,
      ...(options.annotations === undefined ? {} : { annotations: options.annotations }),
      ...(options.subject === undefined ? {} : { subject: options.subject }),
    });
    bytes = built.bytes;
    mediaType = built.manifest.mediaType!;
  }

  const blobs: PushBlobResult[] = [];
  const mountFrom = options.mountFrom;
  const candidates = async (source: BlobSource): Promise<readonly string[]> =>
    typeof mountFrom === "function"
      ? await mountFrom(source)
      : typeof mountFrom === "string"
      ? [mountFrom]
      : mountFrom ?? [];
  const pushed = new Map<string, PushBlobResult>();
  for (const source of [options.config, ...options.layers]) {
    const earlier = pushed.get(source.digest);
    const result = earlier ?? await pushBlob(client, reference, source, {
      mountFrom: await candidates(source),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    pushed.set(source.digest, result);
    blobs.push(result);
  }
  const { digest, size } = await pushManifest(client, reference, bytes, mediaType);
  return { reference, digest, size, mediaType, blobs };
}
