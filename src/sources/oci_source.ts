/**
 * The `oci` source: extensions in an OCI distribution registry, one repository per
 * extension (`{registry}/{namespace}/{name}`), tags as versions.
 *
 * Resolving lists the repository's tags and picks one with `resolveOciVersion` (`v1.2.3`
 * reads as `1.2.3`, `_` as `+`, non-semver tags ignored). Materialising walks the repository
 * as a content store (`createRemoteTarget`) with the walk every store shares
 * (`materializeArtifact`): the manifest (searched for in an index), the type from the
 * `dev.provisioning.extension.type` annotation or our config blob (an ORAS-pushed artifact
 * with an empty or unknown config is accepted; its type comes from the `extension.yaml` in
 * its layers), and the layers streamed into the cache, each hashed once on the way,
 * recording the manifest digest, registry, repository, reference and tag.
 *
 * @module
 */

import type { OciSettings } from "../config/types.ts";
import { type CacheOrigin, isSameOrigin } from "../cache/origin.ts";
import { ProvisioningError } from "../errors.ts";
import {
  createRegistryClient,
  createRemoteTarget,
  formatReference,
  getArtifactTags,
  parseReference,
  type Reference,
  type RegistryClient,
  type RegistryClientOptions,
} from "../oci/mod.ts";
import { resolveOciVersion, sortBySemver, tagToVersion } from "../versions/mod.ts";
import { materializeArtifact } from "./_artifact.ts";
import { versionsOfTags } from "./_tag_versions.ts";
import type {
  MaterializedExtension,
  MaterializeOptions,
  ResolvedVersion,
  Source,
  SourceVersion,
} from "./types.ts";

/** Options of {@linkcode createOciSource}. */
export interface OciSourceOptions {
  /** An existing client (not closed by the source); default: one made from `settings`. */
  client?: RegistryClient;
  /** Options for the client the source makes (home for credentials, fetch, notes). */
  clientOptions?: RegistryClientOptions;
}

/**
 * Creates the OCI source. Nothing is sent until a version is listed or resolved.
 *
 * @example
 * ```ts ignore
 * const source = createOciSource(config.settings.oci, { clientOptions: { home } });
 * try {
 *   const resolved = await source.resolve("aws", "^2.0.0");
 *   const ext = await source.materialize(resolved, { cacheRoot: config.settings.cache.dir });
 *   console.log(ext.path, ext.digest);
 * } finally {
 *   source.close();
 * }
 * ```
 *
 * @param settings `[oci]` settings (registry, namespace, credentials, timeouts).
 * @param options A client to use, or options for the one made here.
 * @returns The source.
 */
export function createOciSource(settings: OciSettings, options: OciSourceOptions = {}): Source {
  const owned = options.client === undefined;
  let client = options.client;
  const getClient = () => client ??= createRegistryClient(settings, options.clientOptions);
  const tagsByName = new Map<string, Promise<string[]>>();
  const tagsOf = (name: string) => {
    let tags = tagsByName.get(name);
    if (tags === undefined) {
      tags = getArtifactTags(getClient(), repositoryRef(getClient(), name)).catch((error) => {
        tagsByName.delete(name);
        throw notFoundAsExtension(error, name, getClient());
      });
      tagsByName.set(name, tags);
    }
    return tags;
  };

  return {
    kind: "oci",
    unavailable: undefined,
    cached: true,
    network: true,
    async listVersions(name: string): Promise<SourceVersion[]> {
      return versionsOfTags((await tagsOf(name)).flatMap((tag) => {
        const version = tagToVersion(tag);
        return version === undefined ? [] : [{ tag, version }];
      }));
    },
    async resolve(name: string, spec: string): Promise<ResolvedVersion> {
      const tags = await tagsOf(name);
      const match = resolveOciVersion(spec, tags);
      if (match === undefined) {
        const versions = sortBySemver(
          tags.map(tagToVersion).filter((v): v is string => v !== undefined),
        ).reverse();
        throw new ProvisioningError(
          "VERSION_NOT_FOUND",
          `No version of "${name}" in "${
            formatReference(repositoryRef(getClient(), name))
          }" satisfies "${spec}"`,
          {
            hint: versions.length > 0
              ? `Available versions: ${versions.join(", ")}`
              : "The repository has no semantic-version tags",
          },
        );
      }
      return { source: "oci", name, version: match.version, ref: match.tag, spec };
    },
    async materialize(
      resolved: ResolvedVersion,
      materializeOptions: MaterializeOptions,
    ): Promise<MaterializedExtension> {
      const c = getClient();
      const repository = repositoryRef(c, resolved.name);
      const label = formatReference({ ...repository, tag: resolved.ref });
      return await materializeArtifact(createRemoteTarget(c, repository), resolved.ref, resolved, {
        source: "oci",
        label,
        registry: repository.registry,
        repository: repository.repository,
      }, materializeOptions);
    },
    async currentDigest(resolved: ResolvedVersion): Promise<string> {
      const c = getClient();
      return (await createRemoteTarget(c, repositoryRef(c, resolved.name)).resolve(resolved.ref))
        .digest;
    },
    isOriginOf: (record, name) => isOciOriginOf(settings, record, name),
    close() {
      if (owned) client?.close();
    },
  };
}

/**
 * Whether a cache record came from `{registry}/{namespace}/{name}` of these settings (also
 * when the source cannot be used, e.g. offline: its entries stay its own).
 *
 * @example
 * ```ts
 * import { isOciOriginOf } from "./oci_source.ts";
 * import assert from "node:assert/strict";
 *
 * const settings = { registry: "r:5000", namespace: "ns" } as Parameters<typeof isOciOriginOf>[0];
 * const record = { source: "oci", registry: "r:5000", repository: "ns/aws" } as const;
 * assert.equal(isOciOriginOf(settings, record, "aws"), true);
 * assert.equal(isOciOriginOf({ ...settings, namespace: "other" }, record, "aws"), false);
 * ```
 *
 * @param settings `[oci]` settings.
 * @param record The cache record.
 * @param name The extension name asked for.
 * @returns True when registry and repository match.
 */
export function isOciOriginOf(
  settings: Pick<OciSettings, "registry" | "namespace">,
  record: CacheOrigin,
  name: string,
): boolean {
  try {
    const ref = parseReference(name, settings);
    return isSameOrigin(record, {
      source: "oci",
      registry: ref.registry,
      repository: ref.repository,
    });
  } catch {
    return false; // not a name this registry could hold
  }
}

/** `{registry}/{namespace}/{name}` with no tag. */
function repositoryRef(client: RegistryClient, name: string): Reference {
  return client.reference(name);
}

/** A missing repository is a missing extension, said in the extension's words. */
function notFoundAsExtension(error: unknown, name: string, client: RegistryClient): unknown {
  if (!(error instanceof ProvisioningError) || error.code !== "NOT_FOUND") return error;
  const ref = repositoryRef(client, name);
  return new ProvisioningError(
    "NOT_FOUND",
    `Extension "${name}" not found in registry "${ref.registry}" (repository "${ref.repository}")`,
    {
      cause: error,
      hint: "Check the name, --registry and --namespace, or publish it first",
    },
  );
}
