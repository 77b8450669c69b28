/**
 * Deleting an artifact: tag → digest (HEAD `Docker-Content-Digest`) → `DELETE` by digest
 * (registries refuse DELETE by tag). Deleting the manifest removes every tag pointing at it.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { RegistryClient } from "./client.ts";
import { discardBody } from "./http.ts";
import { resolveManifest } from "./manifests.ts";
import { formatReference } from "./reference.ts";
import type { Reference } from "./types.ts";

/** The result of {@linkcode deleteArtifact}. */
export interface DeleteArtifactResult {
  /** The reference that was deleted. */
  reference: Reference;
  /** The manifest digest that was deleted (all its tags are gone too). */
  digest: string;
}

/**
 * Deletes the manifest a reference points at.
 *
 * @example
 * ```ts ignore
 * const { digest } = await deleteArtifact(client, "aws:1.0.0");
 * ```
 *
 * @param client The registry client.
 * @param ref Reference with a tag or digest.
 * @returns The deleted digest.
 * @throws {ProvisioningError} `NOT_FOUND`; `UNSUPPORTED` when the registry has deletion
 *   disabled; network and auth errors.
 */
export async function deleteArtifact(
  client: RegistryClient,
  ref: string | Reference,
): Promise<DeleteArtifactResult> {
  const reference = client.reference(ref);
  const scopes = [`repository:${reference.repository}:pull,delete`];
  const digest = reference.digest ?? (await resolveManifest(client, reference, scopes)).digest;
  const url = client.repositoryUrl(reference, `manifests/${digest}`);
  const response = await client.send({ method: "DELETE", url, scopes });
  if (response.ok) {
    await discardBody(response);
    return { reference, digest };
  }
  const error = await client.fail("DELETE", url, response, {
    what: `delete from "${reference.repository}"`,
    notFound: `Manifest "${formatReference(reference)}" not found`,
  });
  if (error.code === "UNSUPPORTED") {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `Registry "${reference.registry}" has deletion disabled: cannot delete "${
        formatReference(reference)
      }"`,
      {
        cause: error,
        details: error.details,
        hint:
          "Ask the registry operator to enable deletes (distribution: storage.delete.enabled: true)",
      },
    );
  }
  throw error;
}
