/**
 * Discovery in an OCI registry: the repositories under the namespace (catalog, paginated;
 * or the configured `[oci] repositories`), then for each one its tags and the config blob of
 * its highest version — metadata without downloading any layer — with bounded concurrency.
 *
 * @module
 */

import { isProvisioningError } from "../errors.ts";
import { getArtifactTags, listArtifacts, type Reference, type RegistryClient } from "../oci/mod.ts";
import { mapConcurrent } from "../net/map_concurrent.ts";
import { versionsFromTags } from "./_tags.ts";
import { type OciExtensionMetadata, readArtifactMetadata } from "./oci_metadata.ts";
import type { DiscoveredExtension, ExtensionVersionDetails } from "./types.ts";

/** Default number of repositories read at once. */
export const DEFAULT_DISCOVERY_CONCURRENCY = 8;

/** Individual per-repository warnings before they are summed up in one line. */
const MAX_REPOSITORY_WARNINGS = 5;

/** Error codes that concern the registry as a whole: discovery stops at the first. */
const FATAL_CODES = new Set([
  "UNREACHABLE",
  "TIMEOUT",
  "RATE_LIMITED",
  "INSECURE_TRANSPORT",
  "INVALID_CONFIG",
  "INTERNAL",
]);

/** Options of {@linkcode discoverOciExtensions}. */
export interface DiscoverOciOptions {
  /** Namespace to list; default `[oci] namespace` of the client. */
  namespace?: string;
  /**
   * Repositories to read instead of the catalog (`aws`, `team/aws`,
   * `ghcr.io/org/aws`); default `[oci] repositories`. When empty, the catalog is listed.
   */
  repositories?: readonly string[];
  /** Repositories read at once; default `[oci] concurrency`, else 8. */
  concurrency?: number;
  /** Catalog page size; default 100. */
  pageSize?: number;
  /** Stops starting new repositories once aborted. */
  signal?: AbortSignal;
  /** Receives one line per problem that does not stop discovery. */
  onWarning?: (message: string) => void;
}

/** The result of {@linkcode discoverOciExtensions}. */
export interface OciDiscovery {
  /** One entry per repository with at least one version tag, sorted by name. */
  extensions: DiscoveredExtension[];
  /** Every repository looked at (`namespace/name`). */
  repositories: string[];
  /** Repositories that could not be read (each reported through `onWarning`). */
  failed: string[];
  /** Repositories without any version tag (left out). */
  skipped: string[];
}

/**
 * Discovers every extension in a registry namespace.
 *
 * A repository that cannot be read (a broken manifest, a refused pull) is reported and left
 * out; a failure of the registry as a whole (unreachable, timeout) stops discovery and is
 * thrown, as is the error of the first repository when every repository failed.
 *
 * @example
 * ```ts ignore
 * using client = createRegistryClient(settings.oci, { home });
 * const { extensions } = await discoverOciExtensions(client, { concurrency: 8 });
 * for (const e of extensions) console.log(e.name, e.type, e.version, e.digest);
 * ```
 *
 * @param client The registry client.
 * @param options Namespace, repositories, concurrency, page size, abort signal, warnings.
 * @returns The extensions and what was read, failed and skipped.
 * @throws {ProvisioningError} `AUTH_REFUSED` / `UNSUPPORTED` when the registry forbids the
 *   catalog and no repositories are configured (the hint says how to configure them);
 *   `UNREACHABLE`, `TIMEOUT` and other registry-wide failures.
 */
export async function discoverOciExtensions(
  client: RegistryClient,
  options: DiscoverOciOptions = {},
): Promise<OciDiscovery> {
  const warn = options.onWarning ?? (() => {});
  const configured = options.repositories ?? client.settings.repositories ?? [];
  const references = configured.length > 0
    ? configured.map((entry) => client.reference(entry))
    : (await listArtifacts(client, {
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    })).map((repository) => client.reference(repository));

  const failed: string[] = [];
  const skipped: string[] = [];
  let firstError: unknown;
  const concurrency = options.concurrency ?? client.settings.concurrency ??
    DEFAULT_DISCOVERY_CONCURRENCY;
  const found = await mapConcurrent(references, concurrency, async (reference) => {
    try {
      const metadata = await readRepository(client, reference, options.signal, warn);
      if (metadata === undefined) skipped.push(reference.repository);
      return metadata;
    } catch (error) {
      if (!isProvisioningError(error) || FATAL_CODES.has(error.code)) throw error;
      firstError ??= error;
      failed.push(reference.repository);
      if (failed.length <= MAX_REPOSITORY_WARNINGS) {
        warn(`skipping "${reference.registry}/${reference.repository}": ${error.message}`);
      }
      return undefined;
    }
  }, options.signal);
  if (failed.length > MAX_REPOSITORY_WARNINGS) {
    warn(`… and ${failed.length - MAX_REPOSITORY_WARNINGS} more repositories could not be read`);
  }
  if (references.length > 0 && failed.length === references.length) throw firstError;
  const extensions = found
    .filter((m): m is OciExtensionMetadata => m !== undefined)
    .map(ociEntry)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    extensions,
    repositories: references.map((r) => r.repository),
    failed,
    skipped,
  };
}

/**
 * The discovery entry of an artifact's metadata.
 *
 * @example
 * ```ts ignore
 * const entry = ociEntry(await getOciExtensionMetadata(client, "aws"));
 * ```
 *
 * @param meta Metadata of the highest version.
 * @returns The entry (`cached` empty: the caller marks cached versions).
 */
export function ociEntry(meta: OciExtensionMetadata): DiscoveredExtension {
  return {
    name: meta.name,
    type: meta.type,
    version: meta.version,
    versions: meta.versions,
    source: "oci",
    description: meta.description,
    author: meta.author,
    license: meta.license,
    homepage: meta.homepage,
    path: null,
    reference: meta.reference,
    digest: meta.digest,
    size: meta.size,
    metadataFrom: meta.metadataFrom,
    cached: [],
  };
}

/**
 * The `ext info` details of an artifact's metadata, from a registry or an OCI layout.
 *
 * @param meta What {@linkcode readArtifactMetadata} (or `describeArtifact`) read.
 * @param source Which source read it.
 * @returns The details.
 */
export function ociDetails(
  meta: OciExtensionMetadata,
  source: "oci" | "oci-layout",
): ExtensionVersionDetails {
  return {
    name: meta.name,
    type: meta.type,
    version: meta.version,
    source,
    manifest: meta.manifest,
    description: meta.description,
    author: meta.author,
    license: meta.license,
    homepage: meta.homepage,
    repository: meta.sourceRepository,
    path: null,
    reference: meta.reference,
    digest: meta.digest,
    size: meta.size,
    metadataFrom: meta.metadataFrom,
  };
}

/** Tags, then manifest and config of the highest version; undefined without version tags. */
async function readRepository(
  client: RegistryClient,
  reference: Reference,
  signal: AbortSignal | undefined,
  warn: (message: string) => void,
): Promise<OciExtensionMetadata | undefined> {
  if (signal?.aborted) throw signal.reason;
  const tags = await getArtifactTags(client, reference);
  const { versions, highest, tagOf } = versionsFromTags(tags);
  if (highest === undefined) return undefined;
  const tag = tagOf.get(highest)!;
  return await readArtifactMetadata(client, { ...reference, tag }, highest, versions, {
    ...(signal === undefined ? {} : { signal }),
    onWarning: warn,
  });
}
