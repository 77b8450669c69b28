/**
 * Storing a signature the way cosign does: the manifest at `sha256-<hex>.sig` gets one more
 * layer (the payload blob, media type `application/vnd.dev.cosign.simplesigning.v1+json`,
 * the signature in its `dev.cosignproject.cosign/signature` annotation); the config is an
 * image config listing the layers, as cosign writes it. Signing again appends; an identical
 * signature layer is not added twice.
 *
 * @module
 */

import type { RegistryClient } from "../oci/client.ts";
import { createRemoteTarget } from "../oci/content.ts";
import { digestOf } from "../oci/digest.ts";
import { buildManifest } from "../oci/manifests.ts";
import { pushArtifact } from "../oci/push.ts";
import type { BlobSource, Descriptor, Reference } from "../oci/types.ts";
import { signatureManifest } from "./find_signatures.ts";
import {
  ANNOTATION_COSIGN_SIGNATURE,
  MEDIA_TYPE_SIGNATURE_CONFIG,
  MEDIA_TYPE_SIMPLE_SIGNING,
} from "./media_types.ts";
import { signatureTag } from "./signature_tag.ts";

/** What {@linkcode appendSignature} did. */
export interface AppendedSignature {
  /** The signature tag (`sha256-<hex>.sig`). */
  tag: string;
  /** Digest of the signature manifest now at the tag. */
  manifestDigest: string;
  /** Signature layers the manifest holds now. */
  signatures: number;
  /** Whether this exact signature was already there (nothing was pushed). */
  existed: boolean;
}

/**
 * Adds a signature layer to the artifact's signature manifest (creating it on the first
 * signature) and pushes it at the signature tag.
 *
 * @example
 * ```ts ignore
 * await appendSignature(client, client.reference("aws"), digest, { payload, signature });
 * ```
 *
 * @param client The registry client.
 * @param repository Registry and repository of the signed artifact.
 * @param digest The signed manifest's digest.
 * @param signed The payload bytes and the base64 DER signature over them.
 * @returns The tag, the new manifest digest and the number of signatures.
 * @throws {ProvisioningError} Registry, network and auth errors.
 */
export async function appendSignature(
  client: RegistryClient,
  repository: Reference,
  digest: string,
  signed: { payload: Uint8Array; signature: string },
): Promise<AppendedSignature> {
  const tag = signatureTag(digest);
  const target = createRemoteTarget(client, repository);
  const existing = await signatureManifest(target, tag);
  const layers: Descriptor[] = [...(existing?.layers ?? [])];
  const layer: Descriptor = {
    mediaType: MEDIA_TYPE_SIMPLE_SIGNING,
    digest: digestOf(signed.payload),
    size: signed.payload.byteLength,
    annotations: { [ANNOTATION_COSIGN_SIGNATURE]: signed.signature },
  };
  const existed = layers.some((l) =>
    l.digest === layer.digest && l.annotations?.[ANNOTATION_COSIGN_SIGNATURE] === signed.signature
  );
  if (!existed) layers.push(layer);
  const configBytes = signatureConfig(layers);
  const config: BlobSource = bytesBlob(MEDIA_TYPE_SIGNATURE_CONFIG, configBytes);
  const blobs: BlobSource[] = layers.map((l) =>
    l.digest === layer.digest ? { ...bytesBlob(l.mediaType, signed.payload), ...only(l) } : {
      ...only(l),
      open: () => target.fetch(l),
    }
  );
  const manifest = buildManifest({
    config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
    layers,
  });
  const pushed = existed
    ? { digest: digestOf(manifest.bytes) }
    : await pushArtifact(client, { ...repository, tag }, {
      config,
      layers: blobs,
      manifest: manifest.bytes,
    });
  return { tag, manifestDigest: pushed.digest, signatures: layers.length, existed };
}

/** cosign's signature config: an empty image config whose rootfs lists the layers. */
function signatureConfig(layers: readonly Descriptor[]): Uint8Array {
  const zero = "0001-01-01T00:00:00Z";
  return new TextEncoder().encode(JSON.stringify({
    architecture: "",
    created: zero,
    history: [{ created: zero }],
    os: "",
    rootfs: { type: "layers", diff_ids: layers.map((l) => l.digest) },
    config: {},
  }));
}

function only(d: Descriptor): Omit<BlobSource, "open"> {
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(d.annotations === undefined ? {} : { annotations: d.annotations }),
  };
}

function bytesBlob(mediaType: string, bytes: Uint8Array): BlobSource {
  return {
    mediaType,
    digest: digestOf(bytes),
    size: bytes.byteLength,
    open: () => Promise.resolve(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()),
  };
}
