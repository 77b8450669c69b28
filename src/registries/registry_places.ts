/**
 * The registries a read goes to (`[[oci.registries]]`, in order), each as the `[oci]`
 * settings a registry client is made from. With no list, `[oci] registry` alone; a
 * `--registry` flag or `PROVISIONING_OCI_REGISTRY` picks one registry (a listed one keeps
 * its own TLS and credential settings).
 *
 * @module
 */

import type { ConfigOrigin, OciRegistry, OciSettings } from "../config/types.ts";
import { splitRegistrySetting } from "../oci/transport.ts";

/** One registry a read may go to. */
export interface RegistryPlace {
  /** `[[oci.registries]] name`, or undefined for `[oci] registry` alone. */
  name: string | undefined;
  /** The settings of a client for this registry (its `registries` list is empty). */
  oci: OciSettings;
}

/** What {@linkcode registryPlaces} reads of a configuration. */
export interface PlacesConfig {
  settings: { oci: OciSettings };
  origins: Readonly<Record<string, ConfigOrigin>>;
}

/**
 * The registries a read asks, in order.
 *
 * @example
 * ```ts
 * import { registryPlaces } from "./registry_places.ts";
 * import { defaultSettings } from "../config/defaults.ts";
 * import assert from "node:assert/strict";
 *
 * const base = defaultSettings("/home/u").oci;
 * const entry = {
 *   name: "b", registry: "b:5000", namespace: "team", insecure: undefined,
 *   ca_file: undefined, cert_file: undefined, key_file: undefined, auth_token_path: undefined,
 * };
 * const oci = { ...base, registries: [{ ...entry, name: "a", registry: "a:5000" }, entry] };
 * const places = registryPlaces({ settings: { oci }, origins: {} });
 * assert.deepEqual(places.map((p) => [p.name, p.oci.registry, p.oci.namespace]), [
 *   ["a", "a:5000", "team"],
 *   ["b", "b:5000", "team"],
 * ]);
 * // --registry picks one.
 * const flag = { "oci.registry": { kind: "flag" as const, source: "--registry" } };
 * const picked = registryPlaces({ settings: { oci: { ...oci, registry: "b:5000" } }, origins: flag });
 * assert.deepEqual(picked.map((p) => p.name), ["b"]);
 * ```
 *
 * @param config Settings and the origin of each value.
 * @returns One place per registry, in order (never empty).
 */
export function registryPlaces(config: PlacesConfig): RegistryPlace[] {
  const oci = config.settings.oci;
  const list = oci.registries ?? [];
  if (list.length === 0) return [{ name: undefined, oci }];
  const namespaceGiven = picked(config.origins["oci.namespace"]);
  if (picked(config.origins["oci.registry"])) {
    const place = placeOfRegistry(oci, oci.registry, config.origins);
    return [
      namespaceGiven ? { ...place, oci: { ...place.oci, namespace: oci.namespace } } : place,
    ];
  }
  return list.map((entry) => {
    const place = { name: entry.name, oci: entrySettings(oci, entry, config.origins) };
    return namespaceGiven ? { ...place, oci: { ...place.oci, namespace: oci.namespace } } : place;
  });
}

/**
 * The place of a registry named outright (a flag, or a reference like `oci://host/ns/x`):
 * the listed entry with that host, with its own TLS and credential settings, or `[oci]`'s
 * settings pointed at that host.
 *
 * @example
 * ```ts
 * import { placeOfRegistry } from "./registry_places.ts";
 * import { defaultSettings } from "../config/defaults.ts";
 * import assert from "node:assert/strict";
 *
 * const base = defaultSettings("/home/u").oci;
 * const oci = { ...base, registries: [{
 *   name: "b", registry: "b:5000", namespace: undefined, insecure: undefined,
 *   ca_file: "/etc/b-ca.pem", cert_file: undefined, key_file: undefined, auth_token_path: undefined,
 * }] };
 * assert.equal(placeOfRegistry(oci, "b:5000").oci.ca_file, "/etc/b-ca.pem");
 * assert.equal(placeOfRegistry(oci, "c:5000").name, undefined);
 * assert.equal(placeOfRegistry(oci, "c:5000").oci.registry, "c:5000");
 * ```
 *
 * @param oci `[oci]` settings.
 * @param registry `host[:port]` (or the setting as written).
 * @param origins Where each value came from: `--insecure`/`--ca-file` win over the entry's.
 * @returns Its place; its `registries` list is empty.
 */
export function placeOfRegistry(
  oci: OciSettings,
  registry: string,
  origins: Readonly<Record<string, ConfigOrigin>> = {},
): RegistryPlace {
  const host = splitRegistrySetting(registry).host;
  const entry = (oci.registries ?? []).find((e) => splitRegistrySetting(e.registry).host === host);
  if (entry !== undefined) return { name: entry.name, oci: entrySettings(oci, entry, origins) };
  return { name: undefined, oci: { ...oci, registry, registries: [] } };
}

/**
 * Every registry the configuration names: `[oci]`'s (publish and delete write there) and the
 * places reads go to, each with its own settings and each once (a host may appear twice, with
 * different settings). What the permission plan grants and `ext permissions` reports on.
 *
 * @example
 * ```ts
 * import { configuredRegistries } from "./registry_places.ts";
 * import { defaultSettings } from "../config/defaults.ts";
 * import assert from "node:assert/strict";
 *
 * const config = { settings: defaultSettings("/h"), origins: {} };
 * assert.deepEqual(configuredRegistries(config).map((oci) => oci.registry), ["localhost:5000"]);
 * ```
 *
 * @param config Settings and where each came from.
 * @returns The registries' settings, `[oci]` first.
 */
export function configuredRegistries(config: PlacesConfig): OciSettings[] {
  const all = [config.settings.oci, ...registryPlaces(config).map((place) => place.oci)];
  const keys = all.map((oci) => JSON.stringify(oci));
  return all.filter((_, index) => keys.indexOf(keys[index]!) === index);
}

/**
 * The registry a command-line word names: a `[[oci.registries]]` entry's `registry` when the
 * word is that entry's `name`, else the word itself (a `host[:port]`).
 *
 * @example
 * ```ts
 * import { namedRegistry } from "./registry_places.ts";
 * import assert from "node:assert/strict";
 *
 * const oci = { registries: [{ name: "team", registry: "r.lan:5000" }] };
 * assert.equal(namedRegistry(oci, "team"), "r.lan:5000");
 * assert.equal(namedRegistry(oci, "ghcr.io"), "ghcr.io");
 * ```
 *
 * @param oci The `[oci]` settings with their `registries`.
 * @param typed The word as typed.
 * @returns The registry it names.
 */
export function namedRegistry(
  oci: { registries?: readonly { name: string; registry: string }[] | undefined },
  typed: string,
): string {
  return (oci.registries ?? []).find((entry) => entry.name === typed)?.registry ?? typed;
}

/** A flag or the environment chose the value (over the files' `[[oci.registries]]`). */
function picked(origin: ConfigOrigin | undefined): boolean {
  return origin?.kind === "flag" || origin?.kind === "env";
}

/**
 * `[oci]` with one entry's values; credentials and client certificates are the entry's own;
 * `--insecure`, `--plain-http` and `--ca-file` on the command line win over the entry.
 */
function entrySettings(
  oci: OciSettings,
  entry: OciRegistry,
  origins: Readonly<Record<string, ConfigOrigin>>,
): OciSettings {
  const flag = (key: string) => origins[key]?.kind === "flag";
  return {
    ...oci,
    registry: entry.registry,
    namespace: entry.namespace ?? oci.namespace,
    insecure: flag("oci.insecure") ? oci.insecure : entry.insecure ?? oci.insecure,
    ca_file: flag("oci.ca_file") ? oci.ca_file : entry.ca_file ?? oci.ca_file,
    cert_file: entry.cert_file,
    key_file: entry.key_file,
    auth_token_path: entry.auth_token_path,
    registries: [],
  };
}
