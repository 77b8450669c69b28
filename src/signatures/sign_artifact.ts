/**
 * Signing an artifact in a registry as `cosign sign --key` does: the simple-signing payload
 * for its `registry/repository` and manifest digest, signed with the private key, appended
 * as a layer of the manifest at `sha256-<hex>.sig`.
 *
 * @module
 */

import type { RegistryClient } from "../oci/client.ts";
import type { Reference } from "../oci/types.ts";
import { appendSignature } from "./append_signature.ts";
import { buildSimpleSigningPayload } from "./payload.ts";
import { signPayload } from "./sign_payload.ts";
import type { PrivateKeyInfo } from "./types.ts";

/** What {@linkcode signArtifact} signs, and with what. */
export interface SignArtifactOptions {
  /** The registry client. */
  client: RegistryClient;
  /** Registry and repository of the artifact (tag and digest ignored). */
  repository: Reference;
  /** The artifact's manifest digest (the content that is signed). */
  digest: string;
  /** The signing key (see `readCosignPrivateKey`). */
  key: PrivateKeyInfo;
  /** Annotations written into the payload's `optional` (`cosign sign -a`). */
  annotations?: Record<string, string>;
}

/** What {@linkcode signArtifact} did. */
export interface SignArtifactResult {
  /** `registry/repository@digest` that was signed. */
  reference: string;
  /** The signed manifest digest. */
  digest: string;
  /** The signer's key fingerprint (`sha256:` of the public key's DER). */
  signer: string;
  /** `registry/repository:sha256-<hex>.sig`, where the signature is stored. */
  signatureReference: string;
  /** Signatures stored for the digest now (this one included). */
  signatures: number;
}

/**
 * Signs an artifact's manifest digest and stores the signature beside it.
 *
 * @example
 * ```ts ignore
 * const key = await readCosignPrivateKey(await Deno.readTextFile("cosign.key"), password);
 * const result = await signArtifact({ client, repository: client.reference("aws"), digest, key });
 * console.log(result.signatureReference);
 * ```
 *
 * @param options Client, repository, digest, key and annotations.
 * @returns What was signed, by which key, and where it is stored.
 * @throws {ProvisioningError} Registry, network and auth errors.
 */
export async function signArtifact(options: SignArtifactOptions): Promise<SignArtifactResult> {
  const { client, repository, digest, key } = options;
  const dockerReference = `${repository.registry}/${repository.repository}`;
  const payload = buildSimpleSigningPayload({
    dockerReference,
    digest,
    ...(options.annotations === undefined ? {} : { optional: options.annotations }),
  });
  const signature = await signPayload(key.privateKey, payload);
  const stored = await appendSignature(client, repository, digest, { payload, signature });
  return {
    reference: `${dockerReference}@${digest}`,
    digest,
    signer: key.publicKey.keyId,
    signatureReference: `${dockerReference}:${stored.tag}`,
    signatures: stored.signatures,
  };
}
