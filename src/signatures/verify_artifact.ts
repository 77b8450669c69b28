/**
 * Verifying an artifact in a registry as `cosign verify --key` does: find its signatures
 * (the `sha256-<hex>.sig` tag, and the referrers API where there is one) and accept the first
 * that verifies with one of the trusted keys and names exactly this digest (and, by default,
 * this `registry/repository`).
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { RegistryClient } from "../oci/client.ts";
import type { Reference } from "../oci/types.ts";
import { findSignatures } from "./find_signatures.ts";
import { signatureTag } from "./signature_tag.ts";
import type { PublicKeyInfo, StoredSignature, VerifiedArtifact } from "./types.ts";
import { verifyCosignSignature } from "./verify_signature.ts";

/** What {@linkcode verifyArtifact} checks. */
export interface VerifyArtifactOptions {
  /** The registry client. */
  client: RegistryClient;
  /** Registry and repository of the artifact. */
  repository: Reference;
  /** The manifest digest being verified (what will be loaded). */
  digest: string;
  /** The trusted keys; a signature by any of them is accepted. */
  keys: readonly PublicKeyInfo[];
  /**
   * Require the payload's `docker-reference` to be this `registry/repository` (default
   * true; turn off for content read through a mirror that rewrites hosts).
   */
  checkReference?: boolean;
}

/**
 * Verifies an artifact's signatures against trusted keys.
 *
 * @example
 * ```ts ignore
 * const key = await importPublicKeyPem(await Deno.readTextFile("cosign.pub"), "cosign.pub");
 * const verified = await verifyArtifact({ client, repository, digest, keys: [key] });
 * console.log(verified.signer);
 * ```
 *
 * @param options Client, repository, digest, keys and the reference check.
 * @returns The verified digest and the signer's fingerprint.
 * @throws {ProvisioningError} `UNSIGNED` (exit 5) when no signature is stored;
 *   `SIGNATURE_INVALID` (exit 5) when none verifies with a trusted key for this digest (a
 *   tampered payload, a swapped signature, another key, another digest); registry errors.
 */
export async function verifyArtifact(options: VerifyArtifactOptions): Promise<VerifiedArtifact> {
  const { client, repository, digest } = options;
  const signatures = await findSignatures(client, repository, digest);
  return await chooseVerified(signatures, options);
}

/**
 * The first of `signatures` that verifies with one of the keys; the decision of
 * {@linkcode verifyArtifact} over signatures already read.
 *
 * @param signatures Signatures found for the digest.
 * @param options Repository, digest, keys and the reference check.
 * @returns The verified artifact.
 * @throws {ProvisioningError} `UNSIGNED`, `SIGNATURE_INVALID`, `INVALID_KEY` (no keys).
 */
export async function chooseVerified(
  signatures: readonly StoredSignature[],
  options: Omit<VerifyArtifactOptions, "client">,
): Promise<VerifiedArtifact> {
  const { repository, digest, keys } = options;
  const dockerReference = `${repository.registry}/${repository.repository}`;
  const label = `${dockerReference}@${digest}`;
  if (keys.length === 0) {
    throw new ProvisioningError("INVALID_KEY", `No trusted key to verify "${label}" with`, {
      hint: "Pass --key cosign.pub, or list keys in [[signatures.trust]]",
    });
  }
  if (signatures.length === 0) {
    throw new ProvisioningError(
      "UNSIGNED",
      `"${label}" is not signed: no signature at tag "${signatureTag(digest)}"`,
      { hint: `Sign it with \`provisioning ext sign ${dockerReference}@${digest} --key …\`` },
    );
  }
  const reasons = new Set<string>();
  for (const stored of signatures) {
    for (const key of keys) {
      const check = await verifyCosignSignature({
        payload: stored.payload,
        signature: stored.signature,
        publicKey: key,
        digest,
        ...(options.checkReference === false ? {} : { dockerReference }),
      });
      if (check.valid) {
        return {
          reference: label,
          digest,
          signer: key.keyId,
          dockerReference,
          signatures: signatures.length,
        };
      }
      reasons.add(check.reason ?? "invalid");
    }
  }
  throw new ProvisioningError(
    "SIGNATURE_INVALID",
    `No valid signature of "${label}" by a trusted key (${signatures.length} found)`,
    {
      details: [...reasons],
      hint: "The content or its signature changed, or it was signed by a key you do not trust",
    },
  );
}
