/**
 * The built-in discoverers (`local`, `oci`, `gitea`, `git`) and the choice of sources for a
 * run: `auto` means every discoverable source, in `[extensions] auto_order` (Gitea and git
 * only when configured).
 *
 * @module
 */

import type { ConcreteSourceType, ResolvedConfig, SourceType } from "../config/types.ts";
import { type ErrorCode, isProvisioningError, ProvisioningError } from "../errors.ts";
import {
  createRegistryClient,
  getArtifactTags,
  type Reference,
  type RegistryClient,
  type RegistryClientOptions,
  testOciConnection,
} from "../oci/mod.ts";
import {
  folderRoots,
  type FolderSourceKind,
  type LocalScan,
  missingRootWarning,
  scanLocalExtensions,
} from "../sources/local.ts";
import { localDetails, localEntries } from "./discover_local.ts";
import {
  discoverOciExtensions,
  type DiscoverOciOptions,
  ociDetails,
  ociEntry,
} from "./discover_oci.ts";
import {
  getOciExtensionMetadata,
  type OciExtensionMetadata,
  readArtifactMetadata,
} from "./oci_metadata.ts";
import { createGitDiscoverer } from "./discover_git.ts";
import { createGiteaDiscoverer } from "./discover_gitea.ts";
import {
  giteaClientFor,
  type GiteaSourceOptions,
  giteaUnconfigured,
} from "../sources/gitea_source.ts";
import { netHostOfUrl } from "../permissions/net_host.ts";
import { createLayoutDiscoverer } from "./discover_layout.ts";
import { registryPlaces } from "../registries/registry_places.ts";
import { versionsFromTags } from "./_tags.ts";
import type {
  DiscoverContext,
  DiscoveredExtension,
  ExtensionDiscoverer,
  ExtensionVersionDetails,
  SourceListing,
} from "./types.ts";

/** Sources discovery can read today, in display order. */
export const DISCOVERABLE_SOURCES: readonly ConcreteSourceType[] = [
  "local",
  "oci-layout",
  "oci",
  "gitea",
  "git",
  "examples",
];

/**
 * The concrete sources a run reads: the given one, or every discoverable source in
 * `auto_order` for `auto`.
 *
 * @example
 * ```ts
 * import { selectSources } from "./discoverers.ts";
 * import assert from "node:assert/strict";
 *
 * const order = ["local", "oci-layout", "oci", "gitea", "git", "examples"] as const;
 * assert.deepEqual(selectSources("auto", [...order]), [
 *   "local", "oci-layout", "oci", "gitea", "git", "examples",
 * ]);
 * assert.deepEqual(selectSources("auto", ["oci"]), ["oci", "local", "oci-layout", "gitea", "git"]);
 * assert.deepEqual(selectSources("oci", [...order]), ["oci"]);
 * ```
 *
 * @param source `auto` or one source.
 * @param autoOrder `[extensions] auto_order`.
 * @returns The sources, in order.
 * @throws {ProvisioningError} `UNSUPPORTED` for a source discovery cannot read yet.
 */
export function selectSources(
  source: SourceType,
  autoOrder: readonly ConcreteSourceType[],
): ConcreteSourceType[] {
  if (source === "auto") {
    const ordered = autoOrder.filter((s) => DISCOVERABLE_SOURCES.includes(s));
    // `examples` counts only where auto_order lists it: leaving it out turns the demos off.
    for (const s of DISCOVERABLE_SOURCES) {
      if (!ordered.includes(s) && s !== "examples") ordered.push(s);
    }
    return ordered;
  }
  if (!DISCOVERABLE_SOURCES.includes(source)) {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `Source "${source}" cannot be listed or searched yet`,
      { hint: `Use --source ${["auto", ...DISCOVERABLE_SOURCES].join(", --source ")}` },
    );
  }
  return [source];
}

/**
 * A discoverer over local folders. The folders are scanned once per discoverer.
 *
 * @example
 * ```ts
 * import { createLocalDiscoverer } from "./discoverers.ts";
 * import { bundledExamplesDir } from "../sources/local.ts";
 * import assert from "node:assert/strict";
 *
 * const local = createLocalDiscoverer([bundledExamplesDir()]);
 * const context = { signal: new AbortController().signal, warn: () => {} };
 * const [aws] = await local.lookup("aws", context);
 * assert.equal(aws?.type, "provider");
 * const details = await local.describe(aws!, aws!.version, context);
 * assert.equal(details.manifest?.extension.name, "aws");
 * ```
 *
 * @param roots Folders, highest precedence first.
 * @param source `local` (default) or `examples`.
 * @returns The discoverer.
 */
export function createLocalDiscoverer(
  roots: readonly string[],
  source: FolderSourceKind = "local",
): ExtensionDiscoverer {
  let scanning: Promise<LocalScan> | undefined;
  let warned = false;
  const scan = async (context: DiscoverContext) => {
    const result = await (scanning ??= scanLocalExtensions(roots));
    if (!warned) {
      warned = true;
      for (const root of result.missingRoots ?? []) context.warn(missingRootWarning(root));
      for (const bad of result.invalid) {
        context.warn(`skipping "${bad.path}": ${bad.error.message}`);
      }
      for (const ext of result.extensions) for (const w of ext.warnings ?? []) context.warn(w);
    }
    return result;
  };
  return {
    source,
    label: roots.join(":") || "(no folders configured)",
    cacheKey: undefined,
    async discover(context): Promise<SourceListing> {
      return { extensions: localEntries(await scan(context), source), complete: true };
    },
    async lookup(name, context) {
      return localEntries(await scan(context), source).filter((e) => e.name === name);
    },
    async describe(entry, version, context) {
      const found = (await scan(context)).extensions.find((e) =>
        e.name === entry.name && e.type === entry.type && e.version === version
      );
      if (found === undefined) {
        throw new ProvisioningError(
          "VERSION_NOT_FOUND",
          `Version "${version}" of ${entry.type} "${entry.name}" not found in the ${source} source`,
        );
      }
      return localDetails(found, source);
    },
  };
}

/** Options of {@linkcode createOciDiscoverer}. */
export interface OciDiscovererOptions extends Pick<DiscoverOciOptions, "concurrency" | "pageSize"> {
  /** Mark the discoverer optional (see {@linkcode ExtensionDiscoverer.optional}). */
  optional?: boolean;
  /**
   * The `[[oci.registries]] name` of this registry, when several are configured: rows carry
   * it as `registry`, and the label names it.
   */
  registryName?: string;
}

/**
 * A discoverer over one registry namespace (or the configured repositories).
 *
 * @example
 * ```ts ignore
 * using client = createRegistryClient(settings.oci, { home });
 * const oci = createOciDiscoverer(client);
 * const { extensions } = await oci.discover({ signal, warn: console.error });
 * ```
 *
 * @param client The registry client (the discoverer does not close it).
 * @param options Concurrency and catalog page size.
 * @returns The discoverer.
 */
export function createOciDiscoverer(
  client: RegistryClient,
  options: OciDiscovererOptions = {},
): ExtensionDiscoverer {
  const namespace = client.settings.namespace;
  const repositories = [...(client.settings.repositories ?? [])];
  const place = repositories.length > 0
    ? `${client.registry} (${repositories.length} configured repositories)`
    : `${client.registry}/${namespace}`;
  const registryName = options.registryName;
  const label = registryName === undefined ? place : `${registryName}: ${place}`;
  /** Rows say which of several registries they come from. */
  const named = <T extends DiscoveredExtension>(row: T): T =>
    registryName === undefined ? row : { ...row, registry: registryName };
  /** Repositories that may hold `name`: configured ones ending in it, else namespace/name. */
  const candidates = (name: string): Reference[] => {
    const configured = repositories.map((r) => client.reference(r)).filter((r) => r.name === name);
    return configured.length > 0 ? configured : [client.reference(name)];
  };
  // What one run read, so `info` (a lookup, then a describe) asks for nothing twice.
  const tagsRead = new Map<string, readonly string[]>();
  const metadataRead = new Map<string, OciExtensionMetadata>();
  const metadataKey = (repository: string, version: string) => `${repository}@${version}`;
  let reachable: Promise<void> | undefined;
  /** One probe without retries, so a registry that is not running fails at once. */
  const probe = () =>
    reachable ??= testOciConnection(client, { retry: false }).then((report) => {
      if (report.reachable || report.error === undefined) return;
      const { code, message, hint } = report.error;
      throw new ProvisioningError(
        code as ErrorCode,
        message,
        hint === undefined ? {} : { hint },
      );
    });
  return {
    source: "oci",
    label,
    // Rows of one of several registries carry its name: a listing cached without it differs.
    cacheKey: JSON.stringify([
      "oci",
      client.registry,
      namespace,
      repositories,
      ...(registryName === undefined ? [] : [registryName]),
    ]),
    optional: options.optional ?? false,
    async discover(context): Promise<SourceListing> {
      await probe();
      const result = await discoverOciExtensions(client, {
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
        signal: context.signal,
        onWarning: context.warn,
      });
      return {
        extensions: result.extensions.map(named),
        complete: result.failed.length === 0,
      };
    },
    async lookup(name, context) {
      if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(name)) return [];
      await probe();
      const found: DiscoveredExtension[] = [];
      for (const reference of candidates(name)) {
        let tags: string[];
        try {
          tags = await getArtifactTags(client, reference);
        } catch (error) {
          if (isProvisioningError(error, "NOT_FOUND")) continue;
          throw error;
        }
        tagsRead.set(reference.repository, tags);
        const { versions, highest, tagOf } = versionsFromTags(tags);
        if (highest === undefined) continue;
        const meta = await readArtifactMetadata(
          client,
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
    async describe(entry, version, context): Promise<ExtensionVersionDetails> {
      const repository = entry.reference === null
        ? entry.name
        : entry.reference.replace(/:[^/:@]+$/, "");
      const full = client.reference(repository).repository;
      const tags = tagsRead.get(full);
      const meta = metadataRead.get(metadataKey(full, version)) ??
        await getOciExtensionMetadata(client, repository, {
          version,
          signal: context.signal,
          onWarning: context.warn,
          ...(tags === undefined ? {} : { tags }),
        });
      return ociDetails(meta, "oci");
    },
  };
}

/** Options of {@linkcode createDiscoverers}. */
export interface CreateDiscoverersOptions {
  /** Home directory, for the registry credential store. */
  home?: string;
  /** Extra options of the registry client (a recording `fetch`, retry timing…). */
  registry?: RegistryClientOptions;
  /** OCI discovery tuning. */
  oci?: OciDiscovererOptions;
  /**
   * `auto` mode: skip sources this process may not use (no network permission) instead of
   * failing on them, and leave out Gitea and git when they are not configured.
   */
  skipUnavailable?: boolean;
  /** Options of the Gitea client (a recording `fetch`). */
  gitea?: GiteaSourceOptions;
}

/** The discoverers of a run, and the sources left out with why. */
export interface DiscovererSet {
  discoverers: ExtensionDiscoverer[];
  skipped: { source: ConcreteSourceType; label: string; reason: ProvisioningError }[];
  /** Closes every registry client, and what the discoverers hold. */
  close(): void;
}

/**
 * Builds the discoverers for the given sources from the configuration.
 *
 * @example
 * ```ts ignore
 * const set = await createDiscoverers(config, ["local", "oci"], { home });
 * try { … } finally { set.close(); }
 * ```
 *
 * @param config The effective configuration.
 * @param sources Sources to read (see {@linkcode selectSources}).
 * @param options Home, registry client options, OCI tuning, `skipUnavailable`.
 * @returns The discoverers and the skipped sources.
 * @throws {ProvisioningError} `USAGE` when a source needs network access (or git) this
 *   process does not have and `skipUnavailable` is off; `INVALID_CONFIG` when Gitea or git
 *   is asked for but not configured; `UNSUPPORTED` for sources without a discoverer.
 */
export async function createDiscoverers(
  config: ResolvedConfig,
  sources: readonly ConcreteSourceType[],
  options: CreateDiscoverersOptions = {},
): Promise<DiscovererSet> {
  const discoverers: ExtensionDiscoverer[] = [];
  const skipped: DiscovererSet["skipped"] = [];
  const clients: RegistryClient[] = [];
  for (const source of sources) {
    if (source === "local" || source === "examples") {
      discoverers.push(createLocalDiscoverer(await folderRoots(source, config), source));
    } else if (source === "oci") {
      const places = registryPlaces(config);
      for (const place of places) {
        const client = createRegistryClient(place.oci, {
          ...(options.home === undefined ? {} : { home: options.home }),
          ...options.registry,
        });
        const host = client.registry;
        if (!hasNetPermission(host)) {
          const reason = new ProvisioningError(
            "USAGE",
            `Source "oci" needs network access to "${host}", which this run does not allow`,
            { hint: "Run with --allow-net (the `ext` task of deno.json runs without it)" },
          );
          client.close();
          if (options.skipUnavailable) {
            skipped.push({ source, label: `${host}/${place.oci.namespace}`, reason });
            continue;
          }
          throw reason;
        }
        clients.push(client);
        const defaultRegistry = places.length === 1 &&
          config.origins["oci.registry"]?.kind === "default";
        discoverers.push(createOciDiscoverer(client, {
          ...options.oci,
          optional: options.skipUnavailable === true && defaultRegistry,
          ...(places.length > 1 && place.name !== undefined ? { registryName: place.name } : {}),
        }));
      }
    } else if (source === "oci-layout") {
      const paths = config.settings.extensions.layout_paths;
      if (paths.length === 0) {
        if (options.skipUnavailable) continue; // not in play
        throw new ProvisioningError("INVALID_CONFIG", "No OCI layouts are configured", {
          hint: "List them in [extensions] layout_paths",
        });
      }
      discoverers.push(createLayoutDiscoverer(paths));
    } else if (source === "gitea") {
      const found = giteaDiscoverer(config, options);
      if (found instanceof ProvisioningError) {
        if (found.code === "INVALID_CONFIG" && options.skipUnavailable) continue; // not in play
        if (!options.skipUnavailable) throw found;
        skipped.push({ source, label: giteaLabel(config), reason: found });
        continue;
      }
      discoverers.push(found);
    } else if (source === "git") {
      const remotes = config.settings.git.remotes;
      if (remotes.length === 0) {
        if (options.skipUnavailable) continue; // not in play
        throw new ProvisioningError("INVALID_CONFIG", "No git remotes are configured", {
          hint: "List them in [git] remotes",
        });
      }
      if (!hasRunPermission("git")) {
        const reason = new ProvisioningError(
          "USAGE",
          'Source "git" needs to run "git", which this run does not allow',
          { hint: "Run with --allow-run=git" },
        );
        if (!options.skipUnavailable) throw reason;
        skipped.push({ source, label: `${remotes.length} git remotes`, reason });
        continue;
      }
      discoverers.push(createGitDiscoverer(remotes, {
        cacheRoot: config.settings.cache.dir,
        concurrency: config.settings.oci.concurrency,
      }));
    } else {
      selectSources(source, []);
    }
  }
  return {
    discoverers,
    skipped,
    close: () => {
      for (const client of clients) client.close();
      for (const discoverer of discoverers) discoverer.close?.();
    },
  };
}

/**
 * The Gitea discoverer of a configuration, or why there is none: `INVALID_CONFIG` when the
 * source is not configured, `USAGE` without network permission for its host.
 */
function giteaDiscoverer(
  config: ResolvedConfig,
  options: CreateDiscoverersOptions,
): ExtensionDiscoverer | ProvisioningError {
  const unconfigured = giteaUnconfigured(config);
  if (unconfigured !== undefined) {
    return new ProvisioningError("INVALID_CONFIG", `Cannot use the Gitea source: ${unconfigured}`);
  }
  const { url, organization, subpath } = config.settings.gitea;
  let host: string | undefined;
  try {
    host = netHostOfUrl(new URL(url!.trim()));
  } catch {
    host = undefined; // the client reports a bad URL when the source is read
  }
  if (host !== undefined && !hasNetPermission(host)) {
    return new ProvisioningError(
      "USAGE",
      `Source "gitea" needs network access to "${host}", which this run does not allow`,
      { hint: "Run with --allow-net" },
    );
  }
  return createGiteaDiscoverer(
    () => giteaClientFor(config, options.gitea ?? {}),
    {
      concurrency: config.settings.oci.concurrency,
      label: giteaLabel(config),
      cacheKey: JSON.stringify([
        "gitea",
        url!.trim(),
        organization!.trim(),
        subpath ?? "",
        config.secrets.gitea_token !== undefined || (config.settings.gitea.token_path ?? "") !== "",
      ]),
    },
  );
}

/** `{host}/{organization}` of the configured Gitea, for messages. */
function giteaLabel(config: ResolvedConfig): string {
  const { url, organization } = config.settings.gitea;
  let host = url ?? "";
  try {
    host = new URL(host.trim()).host;
  } catch {
    // Keep the URL as configured.
  }
  return `${host}/${organization ?? ""}`;
}

function hasRunPermission(command: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "run", command }).state === "granted";
  } catch {
    return false;
  }
}

function hasNetPermission(host: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "net", host }).state === "granted";
  } catch {
    return false;
  }
}
