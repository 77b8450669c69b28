/**
 * Deleting a published version: find its tag, resolve it to the manifest digest, confirm,
 * then `DELETE` the manifest by digest (registries refuse deleting by tag).
 *
 * @module
 */

import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { deleteArtifact } from "../oci/delete.ts";
import { resolveManifest } from "../oci/manifests.ts";
import { formatReference } from "../oci/reference.ts";
import { getArtifactTags } from "../oci/tags.ts";
import { isSemver } from "../versions/is_semver.ts";
import { tagToVersion } from "../versions/tag_to_version.ts";
import { versionToTag } from "../versions/version_to_tag.ts";
import {
  effectiveOciSettings,
  forgetListings,
  openRegistryClient,
  versionReference,
} from "./_registry_access.ts";
import type { DeleteOptions, DeleteResult } from "./publish_types.ts";

/**
 * Deletes one published version of an extension. The version's tag is the version with `+`
 * written `_`, or any tag that reads as the version (`v1.2.0`). The manifest is deleted by
 * digest, so every tag pointing at the same manifest disappears with it; blobs are left to
 * the registry's garbage collection.
 *
 * @example
 * ```ts ignore
 * const result = await deleteExtension("aws", "1.2.0", { config, home: "/home/ada" });
 * console.log(`deleted ${result.reference} (${result.digest})`);
 * ```
 *
 * @param name Extension name (repository name under the namespace).
 * @param version The semantic version to delete.
 * @param options Configuration, overrides and an optional confirmation callback.
 * @returns Reference and digest of the deleted manifest.
 * @throws {ProvisioningError} `INVALID_VERSION` for a version that is not semver;
 *   `INVALID_REFERENCE` for a bad name or namespace; `NOT_FOUND` / `VERSION_NOT_FOUND`
 *   (exit 3); `UNSUPPORTED` (exit 2) when the registry has deletion disabled; `USAGE` when
 *   `confirm` answers no; network and auth errors.
 */
export async function deleteExtension(
  name: string,
  version: string,
  options: DeleteOptions,
): Promise<DeleteResult> {
  if (!isSemver(version)) {
    throw new ProvisioningError(
      "INVALID_VERSION",
      `Cannot delete version "${version}": expected a semantic version such as "1.2.3"`,
      { hint: "Name the exact version; list them with the publish tool's list command" },
    );
  }
  const settings = effectiveOciSettings(options);
  const wanted = versionReference(settings, name, versionToTag(version));
  const repositoryName = `${wanted.registry}/${wanted.repository}`;
  using client = openRegistryClient(settings, options);

  const tags = await getArtifactTags(client, wanted).catch((error: unknown) => {
    if (!isProvisioningError(error, "NOT_FOUND")) throw error;
    throw new ProvisioningError(
      "NOT_FOUND",
      `Extension "${name}" not found in "${repositoryName}"`,
      {
        cause: error,
        hint: "Check the name, --registry and --namespace",
      },
    );
  });
  const tag = tags.includes(wanted.tag!)
    ? wanted.tag!
    : tags.find((candidate) => tagToVersion(candidate) === version);
  if (tag === undefined) {
    const versions = tags.map(tagToVersion).filter((v) => v !== undefined);
    throw new ProvisioningError(
      "VERSION_NOT_FOUND",
      `Version "${version}" of "${repositoryName}" not found`,
      versions.length === 0 ? {} : { hint: `Published versions: ${versions.join(", ")}` },
    );
  }
  const reference = { ...wanted, tag };
  const scopes = [`repository:${reference.repository}:pull,delete`];
  const { digest } = await resolveManifest(client, reference, scopes);
  const target = { reference: formatReference(reference), digest };
  if (options.confirm !== undefined && !(await options.confirm(target))) {
    throw new ProvisioningError("USAGE", `Deletion of "${target.reference}" cancelled`, {
      hint: "Nothing was deleted",
    });
  }
  try {
    await deleteArtifact(client, { ...reference, digest });
  } catch (error) {
    if (!isProvisioningError(error, "UNSUPPORTED")) throw error;
    throw new ProvisioningError(
      "UNSUPPORTED",
      `Registry "${reference.registry}" has deletion disabled: cannot delete "${target.reference}"`,
      {
        cause: error,
        details: error.details,
        ...(error.hint === undefined ? {} : { hint: error.hint }),
      },
    );
  }
  await forgetListings(options, client); // the next list/search shows the change
  return {
    reference: target.reference,
    name,
    registry: reference.registry,
    repository: reference.repository,
    tag,
    version,
    digest,
  };
}
