/**
 * Finding an artifact's cosign signatures in a registry: the manifest at the
 * `sha256-<hex>.sig` tag (cosign's scheme, which every registry can hold) and, where the
 * registry serves the OCI 1.1 referrers API, the signature manifests whose `subject` is the
 * artifact. Every layer blob is read through the one verifying fetch (digest and size
 * checked), at most 1 MiB each.
 *
 * @module
 */

import { isProvisioningError, ProvisioningError } from "../errors.ts";
import type { RegistryClient } from "../oci/client.ts";
import { createRemoteTarget, fetchAll, type ReadOnlyTarget } from "../oci/content.ts";
import { readBodyLimited } from "../oci/http.ts";
import { parseManifest } from "../oci/manifests.ts";
import { MEDIA_TYPE_OCI_INDEX } from "../oci/media_types.ts";
import type { Descriptor, ImageManifest, Reference } from "../oci/types.ts";
import {
  ANNOTATION_COSIGN_SIGNATURE,
  ARTIFACT_TYPE_COSIGN_SIGNATURE,
  MEDIA_TYPE_SIMPLE_SIGNING,
} from "./media_types.ts";
import { signatureTag } from "./signature_tag.ts";
import type { StoredSignature } from "./types.ts";

/** Largest payload blob read (cosign's are a few hundred bytes). */
const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** Most signature layers read from one manifest. */
const MAX_SIGNATURES = 64;

/**
 * Every signature layer stored for `digest` in `repository`: from the signature tag, then
 * from the referrers API (a registry without it — distribution 2.8 answers 404 — adds none).
 * A missing signature tag is no error: the list is empty.
 *
 * @example
 * ```ts ignore
 * const signatures = await findSignatures(client, client.reference("aws"), digest);
 * ```
 *
 * @param client The registry client.
 * @param repository Registry and repository of the artifact.
 * @param digest The artifact's manifest digest.
 * @returns The signatures found (payload bytes verified against their layer digests).
 * @throws {ProvisioningError} Network, auth and registry errors; `DIGEST_MISMATCH` for a
 *   payload blob that does not match its layer.
 */
export async function findSignatures(
  client: RegistryClient,
  repository: Reference,
  digest: string,
): Promise<StoredSignature[]> {
  const target = createRemoteTarget(client, repository);
  const found: StoredSignature[] = [];
  const tagged = await signatureManifest(target, signatureTag(digest));
  if (tagged !== undefined) found.push(...await readLayers(target, tagged, "tag"));
  const listed = await referrers(client, repository, digest);
  for (const descriptor of listed.slice(0, MAX_SIGNATURES)) {
    const manifest = await signatureManifest(target, descriptor.digest);
    if (manifest !== undefined) found.push(...await readLayers(target, manifest, "referrers"));
  }
  return found.slice(0, MAX_SIGNATURES);
}

/**
 * The signature manifest a tag or digest names in a store, or undefined when there is none.
 *
 * @param target The store.
 * @param reference The signature tag or a manifest digest.
 * @returns The manifest, or undefined.
 */
export async function signatureManifest(
  target: ReadOnlyTarget,
  reference: string,
): Promise<ImageManifest | undefined> {
  try {
    const fetched = target.fetchReference !== undefined
      ? await target.fetchReference(reference)
      : undefined;
    if (fetched === undefined) return undefined;
    const parsed = parseManifest(fetched.bytes, fetched.descriptor.mediaType, reference);
    return parsed.kind === "manifest" ? parsed.manifest : undefined;
  } catch (error) {
    if (isProvisioningError(error, "NOT_FOUND")) return undefined;
    throw error;
  }
}

async function readLayers(
  target: ReadOnlyTarget,
  manifest: ImageManifest,
  foundBy: StoredSignature["foundBy"],
): Promise<StoredSignature[]> {
  const result: StoredSignature[] = [];
  for (const layer of manifest.layers.slice(0, MAX_SIGNATURES)) {
    const signature = layer.annotations?.[ANNOTATION_COSIGN_SIGNATURE];
    if (layer.mediaType !== MEDIA_TYPE_SIMPLE_SIGNING || signature === undefined) continue;
    const payload = await fetchAll(target, layer, {
      maxBytes: MAX_PAYLOAD_BYTES,
      label: `signature payload "${layer.digest}" of "${target.label}"`,
    });
    result.push({ payload, signature, foundBy, layerDigest: layer.digest });
  }
  return result;
}

/**
 * The cosign signature manifests the referrers API lists for `digest`; none when the registry
 * has no such API (404, or an answer that is not an index).
 */
async function referrers(
  client: RegistryClient,
  repository: Reference,
  digest: string,
): Promise<Descriptor[]> {
  const url = client.repositoryUrl(repository, `referrers/${digest}`);
  url.searchParams.set("artifactType", ARTIFACT_TYPE_COSIGN_SIGNATURE);
  const response = await client.send({
    method: "GET",
    url,
    headers: { Accept: MEDIA_TYPE_OCI_INDEX },
    scopes: [`repository:${repository.repository}:pull`],
  });
  if (response.status === 404 || response.status === 400 || response.status === 405) {
    await response.body?.cancel();
    return [];
  }
  if (!response.ok) {
    throw await client.fail("GET", url, response, { what: "list referrers" });
  }
  let index: { manifests?: unknown };
  try {
    index = JSON.parse(new TextDecoder().decode(await readBodyLimited(response, 4 << 20)));
  } catch (error) {
    if (error instanceof ProvisioningError) throw error;
    return []; // not an index: treat as no referrers API
  }
  if (!Array.isArray(index.manifests)) return [];
  return (index.manifests as Descriptor[]).filter((d) =>
    typeof d?.digest === "string" && d.artifactType === ARTIFACT_TYPE_COSIGN_SIGNATURE
  );
}
