/**
 * The artifact a `sign` or `verify` command names: an extension reference (`aws:1.2.0`,
 * `team/aws@sha256:…`, `oci://host/ns/aws:1.2.0`, with `--version`) resolved through the
 * `oci` source to its registry, repository and manifest digest.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/types.ts";
import {
  createRegistryClient,
  type RegistryClient,
  type RegistryClientOptions,
} from "../oci/client.ts";
import type { Reference } from "../oci/types.ts";
import { parseExtensionReference, withReferencePlace } from "../sources/extension_reference.ts";
import { createOciSource } from "../sources/oci_source.ts";

/** An artifact resolved for signing or verifying. */
export interface SignedArtifactTarget {
  /** The client it was resolved with (close it when done). */
  client: RegistryClient;
  /** Its registry and repository. */
  repository: Reference;
  /** The manifest digest its tag names (or the digest given). */
  digest: string;
  /** The version it holds (the tag's, or the one its manifest declares). */
  version: string;
  /** The configuration with the reference's registry and namespace placed. */
  config: ResolvedConfig;
}

/**
 * Resolves an extension reference to the registry manifest it names.
 *
 * @example
 * ```ts ignore
 * const target = await resolveSignedArtifact(config, "aws:1.2.0");
 * try { console.log(target.digest); } finally { target.client.close(); }
 * ```
 *
 * @param config The effective configuration.
 * @param input The reference as typed.
 * @param version `--version` (a spec or a digest), when given.
 * @param clientOptions Options of the registry client (home for credentials, notes).
 * @returns Client, repository, digest and version.
 * @throws {ProvisioningError} `INVALID_REFERENCE`, `NOT_FOUND`, `VERSION_NOT_FOUND`,
 *   network and auth errors.
 */
export async function resolveSignedArtifact(
  config: ResolvedConfig,
  input: string,
  version: string | undefined,
  clientOptions: RegistryClientOptions = {},
): Promise<SignedArtifactTarget> {
  const ref = parseExtensionReference(input, version, config.settings.oci);
  const placed = withReferencePlace(config, ref);
  const client = createRegistryClient(placed.settings.oci, clientOptions);
  try {
    const source = createOciSource(placed.settings.oci, { client });
    const repository = client.reference(ref.name);
    if (ref.digest !== undefined) {
      const resolved = await source.resolveDigest!(ref.name, ref.digest);
      return { client, repository, digest: ref.digest, version: resolved.version, config: placed };
    }
    const resolved = await source.resolve(ref.name, ref.spec);
    const digest = await source.currentDigest!(resolved);
    return { client, repository, digest, version: resolved.version, config: placed };
  } catch (error) {
    client.close();
    throw error;
  }
}
