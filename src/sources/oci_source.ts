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
 * Discovery reads metadata only: the repositories under the namespace (the catalog,
 * paginated; or the configured `[oci] repositories`), then for each one its tags and the
 * config blob of its highest version — never a layer — with bounded concurrency.
 *
 * @module
 */

import type { OciSettings } from "../config/types.ts";
import { type CacheOrigin, isSameOrigin } from "../cache/origin.ts";
import { type ErrorCode, isProvisioningError, ProvisioningError } from "../errors.ts";
import type { RegistryClient, RegistryClientOptions } from "../oci/client.ts";
import type { ReadOnlyTarget } from "../oci/content.ts";
import { formatReference, isDigest, parseReference } from "../oci/reference.ts";
import { splitRegistrySetting } from "../oci/transport.ts";
import type { Reference } from "../oci/types.ts";
import { mapConcurrent } from "../net/map_concurrent.ts";
import { sortBySemver } from "../versions/sort_by_semver.ts";
import { tagToVersion } from "../versions/tag_to_version.ts";
import type { OciExtensionMetadata } from "./oci_metadata.ts";
import type {
  DiscoveredExtension,
  MaterializedExtension,
  MaterializeOptions,
  ResolvedVersion,
  Source,
  SourceListing,
  SourceVersion,
} from "./types.ts";

/** Options of {@linkcode createOciSource}. */
export interface OciSourceOptions {
  /** An existing client (not closed by the source); default: one made from `settings`. */
  client?: RegistryClient;
  /** Options for the client the source makes (home for credentials, fetch, notes). */
  clientOptions?: RegistryClientOptions;
  /** How discovery reads the registry (repositories at once, catalog page size). */
  listing?: OciListingOptions;
  /**
   * The `[[oci.registries]] name` of this registry, when several are configured: discovered
   * rows carry it as `registry`, and the label names it.
   */
  registryName?: string;
  /** The built-in default registry nobody configured (see {@linkcode Source.implicit}). */
  implicit?: boolean;
}

/** How the `oci` source lists a registry. */
export interface OciListingOptions {
  /** Repositories read at once; default `[oci] concurrency`, else 8. */
  concurrency?: number;
  /** Catalog page size; default 100. */
  pageSize?: number;
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
  // The registry client and calls load with the first request: a cache hit only asks
  // `isOriginOf` (see _fetching.ts). Every method awaits `fetching()` before `getClient()`.
  let lib: typeof import("./_fetching.ts") | undefined;
  const fetching = async () => lib ??= await import("./_fetching.ts");
  let client = options.client;
  const getClient = () => client ??= lib!.createRegistryClient(settings, options.clientOptions);
  const tagsByName = new Map<string, Promise<string[]>>();
  // One store per repository, remembering manifests by digest and configs: a digest
  // reference is resolved and then materialised with one request for each.
  const targets = new Map<string, ReadOnlyTarget>();
  const targetOf = async (repository: Reference) => {
    const { createRemoteTarget, rememberingTarget } = await fetching();
    let target = targets.get(repository.repository);
    if (target === undefined) {
      target = rememberingTarget(createRemoteTarget(getClient(), repository));
      targets.set(repository.repository, target);
    }
    return target;
  };
  const tagsOf = (name: string) => {
    let tags = tagsByName.get(name);
    if (tags === undefined) {
      tags = fetching().then(({ getArtifactTags }) =>
        getArtifactTags(getClient(), repositoryRef(getClient(), name))
      ).catch((error) => {
        tagsByName.delete(name);
        throw lib === undefined ? error : notFoundAsExtension(error, name, getClient());
      });
      tagsByName.set(name, tags);
    }
    return tags;
  };

  const namespace = settings.namespace;
  const repositories = [...(settings.repositories ?? [])];
  const host = splitRegistrySetting(settings.registry).host;
  const place = repositories.length > 0
    ? `${host} (${repositories.length} configured repositories)`
    : `${host}/${namespace}`;
  const registryName = options.registryName;
  /** Rows say which of several registries they come from. */
  const named = <T extends DiscoveredExtension>(row: T): T =>
    registryName === undefined ? row : { ...row, registry: registryName };
  /** Repositories that may hold `name`: configured ones ending in it, else namespace/name. */
  const candidates = (name: string): Reference[] => {
    const c = getClient();
    const configured = repositories.map((r) => c.reference(r)).filter((r) => r.name === name);
    return configured.length > 0 ? configured : [c.reference(name)];
  };
  // What discovery read, so `info` (a lookup, then a describe) asks for nothing twice.
  const tagsRead = new Map<string, readonly string[]>();
  const metadataRead = new Map<string, OciExtensionMetadata>();
  const metadataKey = (repository: string, version: string) => `${repository}@${version}`;
  let reachable: Promise<void> | undefined;
  /** One probe without retries, so a registry that is not running fails at once. */
  const probe = () =>
    reachable ??= fetching().then(({ testOciConnection }) =>
      testOciConnection(getClient(), { retry: false })
    ).then((report) => {
      if (report.reachable || report.error === undefined) return;
      const { code, message, hint } = report.error;
      throw new ProvisioningError(code as ErrorCode, message, hint === undefined ? {} : { hint });
    });

  return {
    kind: "oci",
    label: registryName === undefined ? place : `${registryName}: ${place}`,
    unavailable: undefined,
    ...(options.implicit === true ? { implicit: true } : {}),
    // Rows of one of several registries carry its name: a listing cached without it differs.
    cacheKey: JSON.stringify([
      "oci",
      host,
      namespace,
      repositories,
      ...(registryName === undefined ? [] : [registryName]),
    ]),
    cached: true,
    network: true,
    async listVersions(name: string): Promise<SourceVersion[]> {
      const { versionsOfTags } = await fetching();
      return versionsOfTags((await tagsOf(name)).flatMap((tag) => {
        const version = tagToVersion(tag);
        return version === undefined ? [] : [{ tag, version }];
      }));
    },
    async resolve(name: string, spec: string): Promise<ResolvedVersion> {
      const tags = await tagsOf(name);
      const match = (await fetching()).resolveOciVersion(spec, tags);
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
    async resolveDigest(name: string, digest: string): Promise<ResolvedVersion> {
      await fetching();
      const c = getClient();
      const repository = repositoryRef(c, name);
      const label = formatReference({ ...repository, digest });
      const { declaredVersionAt } = await fetching();
      const declared = await declaredVersionAt(await targetOf(repository), digest, label)
        .catch((error) => {
          throw notFoundAsExtension(error, name, c, `No content "${digest}" in "${label}"`);
        });
      return { source: "oci", name, ...declared, ref: digest, spec: digest };
    },
    async materialize(
      resolved: ResolvedVersion,
      materializeOptions: MaterializeOptions,
    ): Promise<MaterializedExtension> {
      await fetching();
      const c = getClient();
      const repository = repositoryRef(c, resolved.name);
      const label = formatReference(
        isDigest(resolved.ref)
          ? { ...repository, digest: resolved.ref }
          : { ...repository, tag: resolved.ref },
      );
      const { materializeArtifact } = await fetching();
      return await materializeArtifact(await targetOf(repository), resolved.ref, resolved, {
        source: "oci",
        label,
        registry: repository.registry,
        repository: repository.repository,
      }, materializeOptions);
    },
    async currentDigest(resolved: ResolvedVersion): Promise<string> {
      await fetching();
      const c = getClient();
      return (await (await targetOf(repositoryRef(c, resolved.name))).resolve(resolved.ref))
        .digest;
    },
    isOriginOf: (record, name) => isOciOriginOf(settings, record, name),
    async discover(context): Promise<SourceListing> {
      await probe();
      const listing = options.listing ?? {};
      const result = await discoverOciExtensions(getClient(), {
        ...(listing.concurrency === undefined ? {} : { concurrency: listing.concurrency }),
        ...(listing.pageSize === undefined ? {} : { pageSize: listing.pageSize }),
        signal: context.signal,
        onWarning: context.warn,
      });
      return { extensions: result.extensions.map(named), complete: result.failed.length === 0 };
    },
    async lookup(name, context) {
      if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(name)) return [];
      await probe();
      const { getArtifactTags, ociEntry, readArtifactMetadata, versionsFromTags } =
        await fetching();
      const found: DiscoveredExtension[] = [];
      for (const reference of candidates(name)) {
        let tags: string[];
        try {
          tags = await getArtifactTags(getClient(), reference);
        } catch (error) {
          if (isProvisioningError(error, "NOT_FOUND")) continue;
          throw error;
        }
        tagsRead.set(reference.repository, tags);
        const { versions, highest, tagOf } = versionsFromTags(tags);
        if (highest === undefined) continue;
        const meta = await readArtifactMetadata(
          getClient(),
          { ...reference, tag: tagOf.get(highest)! },
          highest,
          versions,
          { signal: context.signal, onWarning: context.warn },
        );
        metadataRead.set(metadataKey(reference.repository, highest), meta);
        found.push(named(ociEntry(meta)));
      }
      return found;
    },
    async describe(entry, version, context) {
      const { getOciExtensionMetadata, ociDetails } = await fetching();
      const repository = entry.reference === null
        ? entry.name
        : entry.reference.replace(/:[^/:@]+$/, "");
      const full = getClient().reference(repository).repository;
      const tags = tagsRead.get(full);
      const meta = metadataRead.get(metadataKey(full, version)) ??
        await getOciExtensionMetadata(getClient(), repository, {
          version,
          signal: context.signal,
          onWarning: context.warn,
          ...(tags === undefined ? {} : { tags }),
        });
      return ociDetails(meta, "oci");
    },
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
function notFoundAsExtension(
  error: unknown,
  name: string,
  client: RegistryClient,
  message?: string,
): unknown {
  if (!(error instanceof ProvisioningError) || error.code !== "NOT_FOUND") return error;
  const ref = repositoryRef(client, name);
  return new ProvisioningError(
    "NOT_FOUND",
    message ??
      `Extension "${name}" not found in registry "${ref.registry}" (repository "${ref.repository}")`,
    {
      cause: error,
      hint: "Check the name, --registry and --namespace, or publish it first",
    },
  );
}

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
  const { listArtifacts, ociEntry } = await import("./_fetching.ts");
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

/** Tags, then manifest and config of the highest version; undefined without version tags. */
async function readRepository(
  client: RegistryClient,
  reference: Reference,
  signal: AbortSignal | undefined,
  warn: (message: string) => void,
): Promise<OciExtensionMetadata | undefined> {
  if (signal?.aborted) throw signal.reason;
  const { getArtifactTags, readArtifactMetadata, versionsFromTags } = await import(
    "./_fetching.ts"
  );
  const tags = await getArtifactTags(client, reference);
  const { versions, highest, tagOf } = versionsFromTags(tags);
  if (highest === undefined) return undefined;
  const tag = tagOf.get(highest)!;
  return await readArtifactMetadata(client, { ...reference, tag }, highest, versions, {
    ...(signal === undefined ? {} : { signal }),
    onWarning: warn,
  });
}
