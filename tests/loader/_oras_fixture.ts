/**
 * Artifacts shaped exactly as `oras push` writes them, built here because `oras` cannot be
 * installed on these machines. The shape follows oras-go v2 (`PackManifest` with
 * `PackManifestVersion1_1`, `content/file` Store): an image manifest with
 * `artifactType: application/vnd.unknown.artifact.v1` (oras's default), the empty config
 * descriptor `application/vnd.oci.empty.v1+json` carrying `data: "e30="`, the
 * `org.opencontainers.image.created` annotation, and one layer per argument: a file is
 * pushed as it is (default media type `application/vnd.oci.image.layer.v1.tar`, or the one
 * given as `file:type`) titled with its name; a directory as a tar+gzip of its entries
 * under `<name>/`, titled with its name and annotated `io.deis.oras.content.digest` (the
 * uncompressed tar's digest) and `io.deis.oras.content.unpack: "true"`. Key order is Go's
 * struct order (schemaVersion, mediaType, artifactType, config, layers, annotations).
 *
 * @module
 */

import {
  ANNOTATION_CREATED,
  ANNOTATION_ORAS_CONTENT_DIGEST,
  ANNOTATION_ORAS_CONTENT_UNPACK,
  ANNOTATION_TITLE,
  type BlobSource,
  digestOf,
  MEDIA_TYPE_LAYER_TAR,
  MEDIA_TYPE_LAYER_TAR_GZIP,
  MEDIA_TYPE_OCI_EMPTY,
  MEDIA_TYPE_OCI_MANIFEST,
  pushArtifact,
  type RegistryClient,
} from "../../src/oci/mod.ts";
import { packageExtension } from "../../src/publish/mod.ts";

/** `oras push`'s default artifact type (oras-go `MediaTypeUnknownArtifact`). */
export const ORAS_UNKNOWN_ARTIFACT = "application/vnd.unknown.artifact.v1";

/** One `oras push` argument: a file (`name[:type]`) or a directory. */
export type OrasInput =
  | { file: string; bytes: Uint8Array | string; mediaType?: string }
  /** An extension folder; titled with its name (the tar's top folder, as oras names it). */
  | { dir: string; contentDigest?: string };

/** What {@linkcode orasPush} pushed. */
export interface OrasPushed {
  /** Manifest digest. */
  digest: string;
  /** The layers' descriptors, in order. */
  layers: { mediaType: string; digest: string; size: number }[];
}

/**
 * Pushes `inputs` to `ref` the way `oras push REF inputs…` does.
 *
 * @param client The registry client.
 * @param ref `name:tag` in the client's namespace.
 * @param inputs Files and directories, in order.
 * @returns The manifest digest and the layers.
 */
export async function orasPush(
  client: RegistryClient,
  ref: string,
  inputs: readonly OrasInput[],
): Promise<OrasPushed> {
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const blobs: BlobSource[] = [];
    const descriptors: Record<string, unknown>[] = [];
    for (const input of inputs) {
      if ("file" in input) {
        const bytes = typeof input.bytes === "string"
          ? new TextEncoder().encode(input.bytes)
          : input.bytes;
        const mediaType = input.mediaType ?? MEDIA_TYPE_LAYER_TAR;
        const digest = digestOf(bytes);
        blobs.push({
          digest,
          size: bytes.byteLength,
          mediaType,
          open: () => Promise.resolve(ReadableStream.from([bytes.slice()])),
        });
        descriptors.push({
          mediaType,
          digest,
          size: bytes.byteLength,
          annotations: { [ANNOTATION_TITLE]: input.file },
        });
        continue;
      }
      // A reproducible tar+gzip of the folder under `<name>/`, as oras-go's tarDirectory.
      const pkg = await packageExtension(input.dir);
      cleanups.push(() => pkg.cleanup());
      const layer = JSON.parse(new TextDecoder().decode(pkg.manifest.bytes)).layers[0] as {
        digest: string;
        size: number;
        annotations: Record<string, string>;
      };
      blobs.push(pkg.layer);
      descriptors.push({
        mediaType: MEDIA_TYPE_LAYER_TAR_GZIP,
        digest: layer.digest,
        size: layer.size,
        annotations: {
          [ANNOTATION_ORAS_CONTENT_DIGEST]: input.contentDigest ??
            layer.annotations[ANNOTATION_ORAS_CONTENT_DIGEST]!,
          [ANNOTATION_ORAS_CONTENT_UNPACK]: "true",
          [ANNOTATION_TITLE]: pkg.name,
        },
      });
    }
    const empty = new TextEncoder().encode("{}");
    const config: BlobSource = {
      digest: digestOf(empty),
      size: 2,
      mediaType: MEDIA_TYPE_OCI_EMPTY,
      open: () => Promise.resolve(ReadableStream.from([empty.slice()])),
    };
    const manifest = new TextEncoder().encode(JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_OCI_MANIFEST,
      artifactType: ORAS_UNKNOWN_ARTIFACT,
      config: { mediaType: MEDIA_TYPE_OCI_EMPTY, digest: config.digest, size: 2, data: "e30=" },
      layers: descriptors,
      annotations: { [ANNOTATION_CREATED]: "2026-12-01T00:00:00Z" },
    }));
    const pushed = await pushArtifact(client, ref, { config, layers: blobs, manifest });
    return {
      digest: pushed.digest,
      layers: descriptors.map(({ mediaType, digest, size }) => ({
        mediaType: mediaType as string,
        digest: digest as string,
        size: size as number,
      })),
    };
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}
