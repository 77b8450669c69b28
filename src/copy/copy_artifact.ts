/**
 * Copying an artifact between stores with its digests kept (what `oras copy` and
 * `skopeo copy` do): the manifest (or index, with every manifest it lists) is read, each
 * blob the destination lacks is streamed across through a digest check, and the manifest's
 * exact bytes are written last, so a destination never names content it does not hold.
 * The artifact's cosign signatures (`sha256-<hex>.sig`) come along.
 *
 * @module
 */

import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { fetchAll, isManifestMediaType, type ReadOnlyTarget } from "../oci/content.ts";
import { createVerifyStream } from "../oci/digest.ts";
import { parseManifest } from "../oci/manifests.ts";
import type { Descriptor } from "../oci/types.ts";
import type { WritableTarget } from "./copy_target.ts";

/** What {@linkcode copyArtifact} did. */
export interface CopyResult {
  /** Digest of the copied manifest (the same in both stores). */
  digest: string;
  /** Blobs and manifests written. */
  copied: number;
  /** Blobs the destination already held. */
  skipped: number;
  /** Bytes streamed across. */
  bytes: number;
  /** Signature tags copied with it (`sha256-<hex>.sig`). */
  signatures: string[];
}

/** Options of {@linkcode copyArtifact}. */
export interface CopyOptions {
  /** Aborts the copy. */
  signal?: AbortSignal;
}

/** How deep an index may nest (as `resolveArtifact` allows). */
const MAX_DEPTH = 2;

/**
 * Copies `reference` (a tag or digest of `from`) to `to` under `tag`.
 *
 * @example
 * ```ts ignore
 * const result = await copyArtifact(createRemoteTarget(client, ref), layoutWritable(dir, "aws"),
 *   "1.0.0", "1.0.0");
 * ```
 *
 * @param from Where the artifact is.
 * @param to Where it goes.
 * @param reference Its tag or digest in `from`, or the descriptor already resolved.
 * @param tag The tag to give it in `to` (undefined: by digest only).
 * @param options Abort signal.
 * @returns The digest and what was written.
 * @throws {ProvisioningError} `NOT_FOUND`; `DIGEST_MISMATCH` / `SIZE_MISMATCH` when `from`
 *   serves other bytes (nothing is named in `to` then); store errors.
 */
export async function copyArtifact(
  from: ReadOnlyTarget,
  to: WritableTarget,
  reference: string | Descriptor,
  tag: string | undefined,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const result: CopyResult = { digest: "", copied: 0, skipped: 0, bytes: 0, signatures: [] };
  const descriptor = typeof reference === "string"
    ? await from.resolve(reference, signalOf(options))
    : reference;
  await copyManifest(from, to, descriptor, tag, result, options, 0);
  result.digest = descriptor.digest;
  // cosign's tag scheme: the signature manifest of sha256:<hex> is tagged sha256-<hex>.sig.
  const signatureTag = `${descriptor.digest.replace(":", "-")}.sig`;
  let signature: Descriptor | undefined;
  try {
    signature = await from.resolve(signatureTag, signalOf(options));
  } catch (error) {
    if (!isProvisioningError(error, "NOT_FOUND")) throw error;
  }
  if (signature !== undefined) {
    await copyManifest(from, to, signature, signatureTag, result, options, 0);
    result.signatures.push(signatureTag);
  }
  return result;
}

async function copyManifest(
  from: ReadOnlyTarget,
  to: WritableTarget,
  descriptor: Descriptor,
  tag: string | undefined,
  result: CopyResult,
  options: CopyOptions,
  depth: number,
): Promise<void> {
  const label = `manifest "${descriptor.digest}" of "${from.label}"`;
  const bytes = await fetchAll(from, descriptor, { label, ...signalOf(options) });
  const parsed = parseManifest(bytes, descriptor.mediaType, label);
  const children: Descriptor[] = parsed.kind === "index"
    ? parsed.index.manifests
    : [parsed.manifest.config, ...parsed.manifest.layers];
  if (parsed.kind === "index" && depth >= MAX_DEPTH) {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `${label} nests indexes more than ${MAX_DEPTH} deep`,
    );
  }
  for (const child of children) {
    if (isManifestMediaType(child.mediaType)) {
      await copyManifest(from, to, child, undefined, result, options, depth + 1);
      continue;
    }
    if (await to.has(child)) {
      result.skipped++;
      continue;
    }
    const open = async () =>
      (await from.fetch(child, signalOf(options))).pipeThrough(
        createVerifyStream({
          digest: child.digest,
          size: child.size,
          label: `blob "${child.digest}" of "${from.label}"`,
        }),
      );
    await to.pushBlob(child, open);
    result.copied++;
    result.bytes += child.size;
  }
  await to.pushManifest({ ...descriptor, mediaType: parsed.mediaType }, bytes, tag);
  result.copied++;
  result.bytes += bytes.byteLength;
}

function signalOf(options: CopyOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}
