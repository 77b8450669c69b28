/**
 * Publishing an extension directory to an OCI registry: validate and package it, refuse an
 * existing version (unless forced) and a repository of another type, then push config,
 * layer and manifest under the version's tag.
 *
 * @module
 */

import { readBlobOrigins, recordBlobOrigins } from "../cache/blob_origins.ts";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { getArtifactTags } from "../oci/tags.ts";
import { resolveManifest } from "../oci/manifests.ts";
import { pushArtifact } from "../oci/push.ts";
import { formatReference } from "../oci/reference.ts";
import type { RegistryClient } from "../oci/client.ts";
import type { Reference } from "../oci/types.ts";
import { tagToVersion } from "../versions/tag_to_version.ts";
import {
  effectiveOciSettings,
  forgetListings,
  openRegistryClient,
  versionReference,
} from "./_registry_access.ts";
import { packageExtension } from "./package.ts";
import type { PublishOptions, PublishResult } from "./publish_types.ts";
import { readRepositoryType } from "./repository_type.ts";
import type { PackagedExtension, PackageOptions } from "./types.ts";

/**
 * Publishes an extension directory. In order, and nothing remote before the package is
 * complete:
 *
 * 1. validates and packages it ({@linkcode packageExtension}: manifest rules, layout,
 *    escaping symlinks, oversized files — all refused before a byte is sent); a
 *    `version` that differs from the manifest's is reported through `onNotice`;
 * 2. with `dryRun`, returns what would be pushed without creating a registry client;
 * 3. reads the repository's tags: refuses when its highest other version holds another
 *    extension type (`TYPE_MISMATCH`), and when the version is already published unless
 *    `force` (`ALREADY_EXISTS`, hint: `--force`);
 * 4. pushes the config and the layer — skipped when the repository has them, mounted from
 *    another repository of the registry that a pull or publish recorded holding them
 *    (`<cache>/origins/`), uploaded otherwise — and the manifest under the tag (`+` written
 *    `_`), then records where the blobs now are.
 *
 * The same directory gives the same manifest digest every time (see
 * {@linkcode packageExtension}). A forced overwrite moves the tag; the manifest it pointed
 * at stays in the registry untagged, and its digest is returned as `replaced`.
 *
 * @example Dry run: validate and package, touch no registry
 * ```ts
 * import { publishExtension } from "./publish.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   `${dir}/extension.yaml`,
 *   "extension:\n  name: demo\n  version: 1.0.0\n  type: provider\n",
 * );
 * import { defaultSettings } from "../config/defaults.ts";
 * const oci = defaultSettings(dir).oci;
 * const result = await publishExtension(dir, {
 *   config: { settings: { oci } }, version: "1.0.1+build.2", dryRun: true,
 * });
 * assert.equal(result.reference, "localhost:5000/provisioning-extensions/demo:1.0.1_build.2");
 * assert.equal(result.dryRun, true);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The extension directory.
 * @param options Configuration, overrides, `force`, `dryRun`, callbacks.
 * @returns Reference, digests and sizes of what was (or would be) pushed.
 * @throws {ProvisioningError} `INVALID_MANIFEST` / `INVALID_EXTENSION` / `INVALID_VERSION`
 *   for a bad directory; `INVALID_REFERENCE` for a namespace a registry refuses;
 *   `ALREADY_EXISTS` and `TYPE_MISMATCH` (exit 2); registry, network and auth errors.
 */
export async function publishExtension(
  dir: string,
  options: PublishOptions,
): Promise<PublishResult> {
  const settings = effectiveOciSettings(options);
  const pkg = await packageExtension(dir, packageOptions(options));
  try {
    for (const notice of pkg.notices) options.onNotice?.(notice);
    const reference = versionReference(settings, pkg.name, pkg.tag);
    if (options.dryRun === true) return describe(pkg, reference, true, null);

    using client = openRegistryClient(settings, options);
    const replaced = await checkRepository(client, reference, pkg, options.force === true);
    const cacheDir = options.config.settings.cache?.dir;
    const pushed = await pushArtifact(client, reference, {
      config: pkg.config,
      layers: [pkg.layer],
      manifest: pkg.manifest.bytes,
      // Blobs this registry holds in another repository (a pull or publish recorded where)
      // are mounted from there instead of uploaded again.
      ...(cacheDir === undefined ? {} : {
        mountFrom: (blob) => readBlobOrigins(cacheDir, reference.registry, blob.digest),
      }),
      ...(options.onProgress === undefined ? {} : {
        onProgress: (progress) =>
          options.onProgress?.({
            ...progress,
            blob: progress.digest === pkg.config.digest ? "config" : "layer",
          }),
      }),
    });
    await forgetListings(options, client); // the next list/search shows the change
    if (cacheDir !== undefined) {
      await recordBlobOrigins(cacheDir, reference.registry, reference.repository, [
        pkg.config.digest,
        pkg.layer.digest,
      ]).catch(() => {}); // a hint for later mounts: never worth failing a publish over
    }
    const result = describe(pkg, reference, false, replaced);
    result.config.outcome = pushed.blobs[0]!.outcome;
    result.layer.outcome = pushed.blobs[1]!.outcome;
    return result;
  } finally {
    await pkg.cleanup();
  }
}

/** The packaging options among the publish options. */
function packageOptions(options: PublishOptions): PackageOptions {
  const out: PackageOptions = {};
  if (options.version !== undefined) out.version = options.version;
  if (options.sourceDateEpoch !== undefined) out.sourceDateEpoch = options.sourceDateEpoch;
  if (options.maxFileSize !== undefined) out.maxFileSize = options.maxFileSize;
  if (options.tmpDir !== undefined) out.tmpDir = options.tmpDir;
  if (options.onWarning !== undefined) out.onWarning = options.onWarning;
  const onProgress = options.onProgress;
  if (onProgress !== undefined) {
    out.onPackProgress = (done, total) =>
      onProgress({ blob: "package", digest: "", transferred: done, total });
  }
  return out;
}

/**
 * Refuses a repository of another type and an existing version without `force`.
 *
 * @returns The digest the tag points at now when it is about to be overwritten, else null.
 */
async function checkRepository(
  client: RegistryClient,
  reference: Reference,
  pkg: PackagedExtension,
  force: boolean,
): Promise<string | null> {
  const tags = await repositoryTags(client, reference);
  const held = await readRepositoryType(client, reference, tags, pkg.version);
  const repositoryName = `${reference.registry}/${reference.repository}`;
  if (held !== undefined && held.type !== pkg.type) {
    throw new ProvisioningError(
      "TYPE_MISMATCH",
      `Cannot publish ${pkg.type} "${pkg.name}" to "${repositoryName}": it holds a ${held.type} ` +
        `(version "${tagToVersion(held.tag) ?? held.tag}")`,
      {
        hint: "A repository holds one extension type; rename the extension or publish to " +
          "another namespace (--namespace)",
      },
    );
  }
  const existing = tags.filter((tag) => tagToVersion(tag) === pkg.version);
  if (existing.length === 0) return null;
  if (!force) {
    throw new ProvisioningError(
      "ALREADY_EXISTS",
      `Version "${pkg.version}" of "${repositoryName}" is already published`,
      { hint: "Pass --force to overwrite it, or publish another version (--version)" },
    );
  }
  if (!existing.includes(pkg.tag)) return null;
  const current = await resolveManifest(client, reference).catch((error: unknown) => {
    if (isProvisioningError(error, "NOT_FOUND")) return undefined;
    throw error;
  });
  return current === undefined || current.digest === pkg.manifest.digest ? null : current.digest;
}

/** The tags of a repository; none when it does not exist yet. */
async function repositoryTags(client: RegistryClient, reference: Reference): Promise<string[]> {
  try {
    return await getArtifactTags(client, reference);
  } catch (error) {
    if (isProvisioningError(error, "NOT_FOUND")) return [];
    throw error;
  }
}

/** The result object of a package and its reference. */
function describe(
  pkg: PackagedExtension,
  reference: Reference,
  dryRun: boolean,
  replaced: string | null,
): PublishResult {
  return {
    reference: formatReference(reference),
    name: pkg.name,
    registry: reference.registry,
    repository: reference.repository,
    tag: pkg.tag,
    version: pkg.version,
    type: pkg.type,
    digest: pkg.manifest.digest,
    size: pkg.manifest.size,
    files: pkg.files.map(({ path, type, size }) => ({ path, type, size })),
    dryRun,
    layer: { digest: pkg.layer.digest, size: pkg.layer.size },
    config: { digest: pkg.config.digest, size: pkg.config.size },
    replaced,
  };
}
