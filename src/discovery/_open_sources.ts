/**
 * How a discovery run (listing every extension, or looking one name up) picks its sources
 * and opens them: through `createSource`, as loading does, so a source that can be loaded
 * can be listed and the same availability and permission checks decide both. Private to
 * discovery.
 *
 * @module
 */

import type { ConcreteSourceType, ResolvedConfig, SourceType } from "../config/types.ts";
import type { ProvisioningError } from "../errors.ts";
import type { RegistryClientOptions } from "../oci/mod.ts";
import { createSource, unavailableError } from "../sources/create_source.ts";
import type { GiteaSourceOptions } from "../sources/gitea_source.ts";
import type { OciListingOptions } from "../sources/oci_source.ts";
import type { ExtensionDiscoverer, Source } from "../sources/types.ts";
import { selectSources } from "./select_sources.ts";

/** What discovery asks of a source. */
export type ListedSource = Pick<
  Source,
  "kind" | "label" | "cacheKey" | "discover" | "lookup" | "describe"
>;

/** What a discovery run reads from its options to open its sources. */
export interface OpenSourcesOptions {
  /** The effective configuration. */
  config: ResolvedConfig;
  /** `auto` (every source) or one source; default `[extensions] source_type`. */
  source?: SourceType;
  /** Home directory, for the registry credential store. */
  home?: string;
  /** Extra options of the registry client (a recording `fetch`, retry timing…). */
  registry?: RegistryClientOptions;
  /** How the `oci` source lists a registry (repositories at once, catalog page size). */
  oci?: OciListingOptions;
  /** Options of the Gitea client (a recording `fetch`, a client). */
  gitea?: GiteaSourceOptions;
  /**
   * `auto` mode (the default for `auto`): skip sources this process may not use (no
   * network permission) instead of failing on them, and leave out those not set up.
   */
  skipUnavailable?: boolean;
  /** Read these instead of the sources the configuration makes (tests). */
  discoverers?: readonly ExtensionDiscoverer[];
}

/** One source a run reads. */
export interface OpenSource {
  source: ListedSource;
  /** An unreachable source is skipped without a warning (see `Source.implicit`). */
  optional: boolean;
}

/** The sources of a run, and those left out with why. */
export interface SourceSet {
  sources: OpenSource[];
  skipped: { source: ConcreteSourceType; label: string; reason: ProvisioningError }[];
  /** Closes every source. */
  close(): void;
}

/**
 * The sources a run asks, in order, opened: the given ones, or made by `createSource` (a
 * source made of several registries is read registry by registry).
 *
 * @param options The run's options.
 * @returns The source order and the open sources (the caller closes them).
 * @throws {ProvisioningError} `UNSUPPORTED` for a source that cannot be discovered; when
 *   `skipUnavailable` is off, a source that cannot be used as `unavailableError` says
 *   (`USAGE` without permission, `INVALID_CONFIG` when not set up).
 */
export function openSources(
  options: OpenSourcesOptions,
): { order: ConcreteSourceType[]; set: SourceSet } {
  const settings = options.config.settings;
  const asked = options.source ?? settings.extensions.source_type;
  const order = selectSources(asked, settings.extensions.auto_order);
  if (options.discoverers !== undefined) {
    const sources = options.discoverers.map((d) => ({
      source: { ...d, kind: d.source },
      optional: d.optional ?? false,
    }));
    return { order, set: { sources, skipped: [], close: () => {} } };
  }
  const skip = options.skipUnavailable ?? asked === "auto";
  const made: Source[] = [];
  const set: SourceSet = {
    sources: [],
    skipped: [],
    close: () => {
      for (const source of made) source.close();
    },
  };
  try {
    for (const kind of order) {
      const source = createSource(kind, {
        config: options.config,
        ...(options.home === undefined ? {} : { home: options.home }),
        ...(options.registry === undefined ? {} : { registry: options.registry }),
        ...(options.oci === undefined ? {} : { ociListing: options.oci }),
        ...(options.gitea === undefined ? {} : { gitea: options.gitea }),
      });
      made.push(source);
      for (const part of source.parts ?? [source]) {
        if (part.unlisted === undefined && part.unavailable === undefined) {
          set.sources.push({ source: part, optional: skip && part.implicit === true });
          continue;
        }
        const reason = unavailableError(part, "list");
        if (!skip) throw reason;
        // Set up but not permitted: said in the run's report; not set up: not in play.
        if (part.denied === true && part.unlisted === undefined) {
          set.skipped.push({ source: kind, label: part.label, reason });
        }
      }
    }
  } catch (error) {
    set.close();
    throw error;
  }
  return { order, set };
}
