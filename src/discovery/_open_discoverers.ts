/**
 * How a discovery run (listing every extension, or looking one name up) picks its sources
 * and opens their discoverers. Private to discovery.
 *
 * @module
 */

import type { ConcreteSourceType, ResolvedConfig, SourceType } from "../config/types.ts";
import {
  createDiscoverers,
  type CreateDiscoverersOptions,
  type DiscovererSet,
  selectSources,
} from "./discoverers.ts";
import type { ExtensionDiscoverer } from "./types.ts";

/** What {@linkcode openDiscoverers} reads from a run's options. */
export interface OpenDiscoverersOptions extends CreateDiscoverersOptions {
  /** The effective configuration. */
  config: ResolvedConfig;
  /** `auto` (every source) or one source; default `[extensions] source_type`. */
  source?: SourceType;
  /** Use these discoverers instead of the built-in ones for the selected sources. */
  discoverers?: readonly ExtensionDiscoverer[];
}

/**
 * The sources a run asks, in order, and their discoverers: the given ones, or built from
 * the configuration (skipping unavailable sources by default in `auto` mode).
 *
 * @param options The run's options.
 * @returns The source order and the open discoverers (the caller closes them).
 * @throws {ProvisioningError} `UNSUPPORTED` for a source that cannot be discovered.
 */
export async function openDiscoverers(
  options: OpenDiscoverersOptions,
): Promise<{ order: ConcreteSourceType[]; set: DiscovererSet }> {
  const settings = options.config.settings;
  const source = options.source ?? settings.extensions.source_type;
  const order = selectSources(source, settings.extensions.auto_order);
  const set = options.discoverers === undefined
    ? await createDiscoverers(options.config, order, {
      ...options,
      skipUnavailable: options.skipUnavailable ?? source === "auto",
    })
    : { discoverers: [...options.discoverers], skipped: [], close: () => {} };
  return { order, set };
}
