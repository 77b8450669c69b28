/**
 * The schema of the config files: every key, the kind of value it takes, and which keys are
 * paths (resolved against the directory of the file that sets them).
 *
 * @module
 */

import type { SettingKey, Settings } from "./types.ts";

/**
 * The kind of value a setting takes; it decides how a raw value is checked and converted.
 *
 * - `string`, `strings`: any string / array of strings.
 * - `path`, `paths`: a non-empty path / array of them; `~/` expands to the home directory and
 *   relative paths resolve against the directory of the file (or the current directory for
 *   environment variables and flags).
 * - `cache_dir`: a `path` that is a folder of its own: not the file-system root and not the
 *   home directory (the cache deletes what it made below its folder).
 * - `boolean`.
 * - `positive_number` (> 0), `non_negative_number` (≥ 0), `positive_integer` (≥ 1),
 *   `non_negative_integer` (≥ 0).
 * - `registry`: `host[:port]`, no scheme, no path.
 * - `hosts`: an array of `host[:port]` (same rule as `registry`).
 * - `namespace`: OCI repository path components (`a/b-c`), or `""` for the registry root.
 * - `url`: an `http://` or `https://` URL.
 * - `source_type`: one of `SOURCE_TYPES`; `source_order`: a non-empty array of distinct
 *   `CONCRETE_SOURCE_TYPES`.
 * - `mirrors`: `[[oci.mirrors]]` tables: `prefix` (`host[:port][/namespace…]`), `locations`
 *   (`host[:port]` list), `digest_only` and `blocked` (booleans, default false).
 * - `registries`: `[[oci.registries]]` tables: `name` and `registry` (`host[:port]`) required,
 *   `namespace`, `insecure`, `ca_file`, `cert_file`, `key_file`, `auth_token_path` optional.
 * - `trust_rules`: an array of tables `{ prefix = "registry/ns", keys = ["k.pub", …] }`
 *   (`[[signatures.trust]]`); `keys` are paths.
 */
export type SettingKind =
  | "string"
  | "strings"
  | "path"
  | "paths"
  | "cache_dir"
  | "boolean"
  | "positive_number"
  | "non_negative_number"
  | "positive_integer"
  | "non_negative_integer"
  | "registry"
  | "hosts"
  | "namespace"
  | "url"
  | "source_type"
  | "source_order"
  | "mirrors"
  | "registries"
  | "trust_rules";

/** One key of the schema. */
export interface SettingSpec {
  /** Dotted key: `[section] name` in TOML. */
  readonly key: SettingKey;
  /** How its value is checked. */
  readonly kind: SettingKind;
  /** Whether it may be unset (its default is undefined). */
  readonly optional: boolean;
  /** The largest number accepted (numeric kinds), where a larger one is surely a mistake. */
  readonly max?: number;
}

/**
 * Every setting, in the stable order `provisioning env` lists them (the order of
 * `src/config/types.ts`).
 *
 * Path keys (relative values resolve against the file's directory): `oci.auth_token_path`,
 * `oci.ca_file`, `oci.cert_file`, `oci.key_file`, `oci.docker_config`, `oci.auth_file`, `extensions.paths`, `extensions.layout_paths`, `cache.dir`,
 * `gitea.token_path`, `gitea.ca_file`.
 *
 * @example
 * ```ts
 * import { SETTING_SPECS } from "./schema.ts";
 * import assert from "node:assert/strict";
 *
 * const timeout = SETTING_SPECS.find((spec) => spec.key === "oci.timeout");
 * assert.equal(timeout?.kind, "positive_number");
 * ```
 */
export const SETTING_SPECS: readonly SettingSpec[] = [
  { key: "oci.registry", kind: "registry", optional: false },
  { key: "oci.namespace", kind: "namespace", optional: false },
  { key: "oci.auth_token_path", kind: "path", optional: true },
  { key: "oci.insecure", kind: "boolean", optional: false },
  // Seconds; an hour is far past any registry's answer, and larger values overflow timers.
  { key: "oci.timeout", kind: "positive_number", optional: false, max: 3600 },
  { key: "oci.retry_count", kind: "non_negative_integer", optional: false, max: 20 },
  { key: "oci.ca_file", kind: "path", optional: true },
  { key: "oci.cert_file", kind: "path", optional: true },
  { key: "oci.key_file", kind: "path", optional: true },
  { key: "oci.docker_config", kind: "path", optional: true },
  { key: "oci.auth_file", kind: "path", optional: true },
  { key: "oci.repositories", kind: "strings", optional: false },
  { key: "oci.concurrency", kind: "positive_integer", optional: false, max: 256 },
  { key: "oci.chunk_size", kind: "non_negative_integer", optional: false },
  { key: "oci.redirect_hosts", kind: "hosts", optional: false },
  { key: "oci.mirrors", kind: "mirrors", optional: false },
  { key: "oci.registries", kind: "registries", optional: false },
  { key: "extensions.source_type", kind: "source_type", optional: false },
  { key: "extensions.paths", kind: "paths", optional: false },
  { key: "extensions.auto_order", kind: "source_order", optional: false },
  { key: "extensions.discovery_ttl", kind: "non_negative_number", optional: false },
  { key: "extensions.layout_paths", kind: "paths", optional: false },
  { key: "cache.dir", kind: "cache_dir", optional: false },
  { key: "cache.max_age_days", kind: "positive_number", optional: true },
  { key: "cache.max_size", kind: "positive_integer", optional: true },
  { key: "cache.max_extract_bytes", kind: "positive_integer", optional: false },
  { key: "cache.max_extract_files", kind: "positive_integer", optional: false },
  { key: "gitea.url", kind: "url", optional: true },
  { key: "gitea.organization", kind: "string", optional: true },
  { key: "gitea.token_path", kind: "path", optional: true },
  { key: "gitea.subpath", kind: "string", optional: true },
  { key: "gitea.redirect_hosts", kind: "hosts", optional: false },
  // The same kinds and bounds as `[oci] timeout`, `retry_count` and `ca_file`.
  { key: "gitea.timeout", kind: "positive_number", optional: true, max: 3600 },
  { key: "gitea.retry_count", kind: "non_negative_integer", optional: true, max: 20 },
  { key: "gitea.ca_file", kind: "path", optional: true },
  { key: "git.remotes", kind: "strings", optional: false },
  { key: "signatures.require", kind: "boolean", optional: false },
  { key: "signatures.check_reference", kind: "boolean", optional: false },
  { key: "signatures.trust", kind: "trust_rules", optional: false },
];

/**
 * Every dotted settings key, in the stable order of {@linkcode SETTING_SPECS}.
 *
 * @example
 * ```ts
 * import { SETTING_KEYS } from "./schema.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(SETTING_KEYS[0], "oci.registry");
 * assert.ok(SETTING_KEYS.includes("cache.dir"));
 * ```
 */
export const SETTING_KEYS: readonly SettingKey[] = SETTING_SPECS.map((spec) => spec.key);

/** The TOML sections, in order. */
export const SETTING_SECTIONS: readonly (keyof Settings)[] = [
  "oci",
  "extensions",
  "cache",
  "gitea",
  "git",
  "signatures",
];

/**
 * The spec of a dotted key, or undefined when the key is not part of the schema.
 *
 * @example
 * ```ts
 * import { settingSpec } from "./schema.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(settingSpec("cache.dir")?.kind, "cache_dir");
 * assert.equal(settingSpec("oci.ca_file")?.kind, "path");
 * assert.equal(settingSpec("oci.regsitry"), undefined);
 * ```
 *
 * @param key A dotted key such as `oci.registry`.
 * @returns Its spec, if it exists.
 */
export function settingSpec(key: string): SettingSpec | undefined {
  return SETTING_SPECS.find((spec) => spec.key === key);
}
