/**
 * `--registry` (or `PROVISIONING_OCI_REGISTRY`) naming one of the `[[oci.registries]]`: by its
 * `name` (`--registry internal`, as Helm and ORAS users name a configured registry) or by its
 * host. The picked entry's settings become `[oci]`'s, so every command — reads, writes
 * (`publish`, `delete`), and the least-privilege plan made from the same configuration — talks
 * to that registry with its own namespace, TLS and credential files.
 *
 * @module
 */

import type { ConfigLayer, ConfigOrigin, OciRegistry, OciSettings } from "./types.ts";

/**
 * The `[[oci.registries]]` the file layers set (the last one that sets them), before the
 * environment and flags are read.
 *
 * @param layers The file layers, lowest precedence first.
 * @returns The entries (empty when none).
 */
export function listedRegistries(layers: readonly ConfigLayer[]): OciRegistry[] {
  let listed: OciRegistry[] = [];
  for (const layer of layers) {
    const value = layer.values["oci.registries"];
    if (value !== undefined) listed = value as OciRegistry[];
  }
  return listed;
}

/**
 * The `host[:port]` a `--registry` value stands for: a listed entry's `registry` when the
 * value is that entry's `name` and no entry has it as host; else the value itself.
 *
 * @example
 * ```ts
 * import { registryOfName } from "./picked_registry.ts";
 * import assert from "node:assert/strict";
 *
 * const entry = {
 *   name: "internal", registry: "registry.internal:5000", namespace: undefined,
 *   insecure: undefined, ca_file: undefined, cert_file: undefined, key_file: undefined,
 *   auth_token_path: undefined,
 * };
 * assert.equal(registryOfName("internal", [entry]), "registry.internal:5000");
 * assert.equal(registryOfName("ghcr.io", [entry]), "ghcr.io");
 * ```
 *
 * @param value The flag's or variable's value.
 * @param listed The listed registries.
 * @returns The registry it means.
 */
export function registryOfName(value: string, listed: readonly OciRegistry[]): string {
  const wanted = value.trim();
  if (listed.some((entry) => sameHost(entry.registry, wanted))) return value;
  return listed.find((entry) => entry.name === wanted)?.registry ?? value;
}

/**
 * When a flag or the environment picked a listed registry (by host, after
 * {@linkcode registryOfName}), `[oci]` takes that entry's values: `namespace`, `insecure` and
 * `ca_file` where the entry sets them (a `--namespace` or `PROVISIONING_OCI_NAMESPACE`, and an
 * `--insecure`/`--plain-http` or `--ca-file` on the command line, still win), and `cert_file`, `key_file` and
 * `auth_token_path` always (they belong to their registry alone). Origins follow: a value
 * taken from the entry has the origin of `oci.registries`. Changes `oci` and `origins` in place.
 *
 * @example
 * ```ts
 * import { adoptPickedRegistry } from "./picked_registry.ts";
 * import { defaultSettings } from "./defaults.ts";
 * import assert from "node:assert/strict";
 *
 * const oci = defaultSettings("/home/u").oci;
 * oci.registry = "b:5000";
 * oci.registries = [{
 *   name: "b", registry: "b:5000", namespace: "team", insecure: undefined,
 *   ca_file: "/etc/b-ca.pem", cert_file: undefined, key_file: undefined, auth_token_path: undefined,
 * }];
 * const file = { kind: "user" as const, source: "/home/u/.provisioning/config.toml" };
 * const origins = { "oci.registry": { kind: "flag" as const, source: "--registry" }, "oci.registries": file };
 * adoptPickedRegistry(oci, origins);
 * assert.equal(oci.ca_file, "/etc/b-ca.pem");
 * assert.equal(oci.namespace, "team");
 * assert.deepEqual(origins["oci.ca_file" as keyof typeof origins], file);
 * ```
 *
 * @param oci The effective `[oci]` settings.
 * @param origins Where each value came from.
 */
export function adoptPickedRegistry(
  oci: OciSettings,
  origins: Record<string, ConfigOrigin>,
): void {
  const kind = origins["oci.registry"]?.kind;
  if (kind !== "flag" && kind !== "env") return;
  const entry = oci.registries.find((e) => sameHost(e.registry, oci.registry));
  if (entry === undefined) return;
  const from = origins["oci.registries"] ?? { kind: "default" };
  // As `registryPlaces` has it: a namespace from a flag or the environment, TLS from a flag.
  const given = (key: string) =>
    (key === "namespace" ? ["flag", "env"] : ["flag"]).includes(origins[`oci.${key}`]?.kind ?? "");
  const take = <K extends "namespace" | "insecure" | "ca_file">(key: K) => {
    const value = entry[key];
    if (value === undefined || given(key)) return;
    (oci as unknown as Record<string, unknown>)[key] = value;
    origins[`oci.${key}`] = { ...from };
  };
  take("namespace");
  take("insecure");
  take("ca_file");
  for (const key of ["cert_file", "key_file", "auth_token_path"] as const) {
    oci[key] = entry[key];
    origins[`oci.${key}`] = { ...from };
  }
}

function sameHost(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
