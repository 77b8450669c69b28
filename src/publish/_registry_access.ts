// Shared by publish and delete: the effective `[oci]` settings with the registry/namespace
// overrides applied, the reference of a version, and the registry client.

import type { ConfigOrigin, OciSettings } from "../config/types.ts";
import { registryOfName } from "../config/picked_registry.ts";
import { placeOfRegistry } from "../registries/registry_places.ts";
import { forgetOciListings } from "../discovery/discovery_cache.ts";
import { createRegistryClient, type RegistryClient } from "../oci/client.ts";
import { parseReference } from "../oci/reference.ts";
import type { Reference } from "../oci/types.ts";
import type { RegistryAccessOptions } from "./publish_types.ts";

/**
 * The `[oci]` settings of the registry a write goes to: `options.registry` (a host, or the
 * `name` of one of the `[[oci.registries]]`) or else `[oci] registry`; a listed registry
 * brings its own namespace, TLS and credential settings (as reads use them). The namespace
 * is `options.namespace`, else one a flag or the environment gave, else the registry's.
 */
export function effectiveOciSettings(options: RegistryAccessOptions): OciSettings {
  const oci = options.config.settings.oci;
  const listed = oci.registries ?? [];
  const registry = options.registry === undefined
    ? oci.registry
    : registryOfName(options.registry, listed);
  const origins = (options.config as { origins?: Record<string, ConfigOrigin> }).origins ?? {};
  const place = listed.length === 0
    ? { ...oci, registry }
    : placeOfRegistry(oci, registry, origins).oci;
  const namespaceGiven = ["flag", "env"].includes(origins["oci.namespace"]?.kind ?? "");
  return {
    ...place,
    namespace: options.namespace ?? (namespaceGiven ? oci.namespace : place.namespace),
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
