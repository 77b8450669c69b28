// Shared by publish and delete: the effective `[oci]` settings with the registry/namespace
// overrides applied, the reference of a version, and the registry client.

import type { OciSettings } from "../config/types.ts";
import { forgetOciListings } from "../discovery/discovery_cache.ts";
import { createRegistryClient, type RegistryClient } from "../oci/client.ts";
import { parseReference } from "../oci/reference.ts";
import type { Reference } from "../oci/types.ts";
import type { RegistryAccessOptions } from "./publish_types.ts";

/** `[oci]` settings with `options.registry` / `options.namespace` applied. */
export function effectiveOciSettings(options: RegistryAccessOptions): OciSettings {
  return {
    ...options.config.settings.oci,
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
  };
}

/**
 * The reference `registry/namespace/name:tag` under the effective settings.
 *
 * @throws {ProvisioningError} `INVALID_REFERENCE` for a name or namespace a registry refuses.
 */
export function versionReference(settings: OciSettings, name: string, tag: string): Reference {
  return parseReference(`${name}:${tag}`, settings);
}

/** A registry client for the effective settings; close it when done. */
export function openRegistryClient(
  settings: OciSettings,
  options: RegistryAccessOptions,
): RegistryClient {
  return createRegistryClient(settings, {
    ...(options.home === undefined ? {} : { home: options.home }),
    ...options.clientOptions,
  });
}

/**
 * Drops the discovery listings of the client's registry and namespace from the configured
 * cache (when the options name one), after a publish or delete changed what they list.
 */
export async function forgetListings(
  options: RegistryAccessOptions,
  client: RegistryClient,
): Promise<void> {
  const dir = options.config.settings.cache?.dir;
  if (dir !== undefined) await forgetOciListings(dir, client.registry, client.settings.namespace);
}
