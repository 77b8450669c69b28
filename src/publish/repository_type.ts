/**
 * Which extension type a repository already holds, read from its highest version: the
 * manifest's `dev.provisioning.extension.type` annotation, else the config blob's
 * `extension.type`.
 *
 * @module
 */

import { isProvisioningError } from "../errors.ts";
import type { ExtensionType } from "../manifest/types.ts";
import type { RegistryClient } from "../oci/client.ts";
import { createRemoteTarget } from "../oci/content.ts";
import { formatReference } from "../oci/reference.ts";
import { readDeclaredIdentity, resolveArtifact } from "../oci/resolve_artifact.ts";
import { sortTags } from "../oci/tags.ts";
import type { Reference } from "../oci/types.ts";
import { tagToVersion } from "../versions/tag_to_version.ts";

/** The type a repository holds and the tag it was read from. */
export interface RepositoryType {
  /** The tag whose artifact was read (the highest semver tag considered). */
  tag: string;
  /** The extension type found there. */
  type: ExtensionType;
}

/**
 * Reads the extension type of the highest semver tag of a repository, ignoring tags of
 * `excludeVersion` (the version about to be overwritten) and non-semver tags.
 *
 * Artifacts that say nothing about their type (pushed by other tools) and artifacts this
 * client cannot read give `undefined`: there is nothing to clash with.
 *
 * @example
 * ```ts ignore
 * const held = await readRepositoryType(client, reference, tags, "1.2.0");
 * if (held && held.type !== "taskserv") console.error(`holds ${held.type}`);
 * ```
 *
 * @param client The registry client.
 * @param repository The repository (tag or digest ignored).
 * @param tags The repository's tags.
 * @param excludeVersion A version whose tags are not considered.
 * @returns The type and the tag it came from, or `undefined`.
 * @throws {ProvisioningError} Network, auth and registry errors.
 */
export async function readRepositoryType(
  client: RegistryClient,
  repository: Reference,
  tags: readonly string[],
  excludeVersion?: string,
): Promise<RepositoryType | undefined> {
  const candidates = sortTags(tags).filter((tag) => {
    const version = tagToVersion(tag);
    return version !== undefined && version !== excludeVersion;
  });
  const tag = candidates.at(-1);
  if (tag === undefined) return undefined;
  const { digest: _digest, ...rest } = repository;
  try {
    const target = createRemoteTarget(client, rest);
    const label = formatReference({ ...rest, tag });
    const { manifest } = await resolveArtifact(target, tag, { label });
    const { type } = await readDeclaredIdentity(target, manifest, label);
    return type === undefined ? undefined : { tag, type };
  } catch (error) {
    if (
      isProvisioningError(error, "UNSUPPORTED") || isProvisioningError(error, "NOT_FOUND") ||
      isProvisioningError(error, "INVALID_EXTENSION")
    ) {
      return undefined;
    }
    throw error;
  }
}
