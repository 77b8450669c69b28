/**
 * Types of the effective configuration. Keys mirror the TOML files exactly
 * (`[oci] retry_count` is `settings.oci.retry_count`), so a value's path is the same in the
 * file, in `provisioning env` and in code.
 *
 * @module
 */

import type { Secret } from "./secret.ts";

/**
 * Where extensions are loaded from. `auto` tries the others in `extensions.auto_order`;
 * `examples` is the bundled demo extensions, a last resort.
 */
export type SourceType = "auto" | "local" | "oci" | "oci-layout" | "gitea" | "git" | "examples";

/** Every concrete source (everything but `auto`). */
export type ConcreteSourceType = Exclude<SourceType, "auto">;

/** Every source type, in display order (`auto` first). */
export const SOURCE_TYPES: readonly SourceType[] = [
  "auto",
  "local",
  "oci-layout",
  "oci",
  "gitea",
  "git",
  "examples",
];

/** Every concrete source type (all but `auto`), in the default `auto` order. */
export const CONCRETE_SOURCE_TYPES: readonly ConcreteSourceType[] = [
  "local",
  "oci-layout",
  "oci",
  "gitea",
  "git",
  "examples",
];

/**
 * Sources whose extensions are folders used in place, never copied into the cache.
 *
 * @example
 * ```ts
 * import { isInPlaceSource } from "./types.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isInPlaceSource("examples"));
 * assert.ok(!isInPlaceSource("oci"));
 * ```
 *
 * @param source A source.
 * @returns Whether it is `local` or `examples`.
 */
export function isInPlaceSource(source: SourceType): boolean {
  return source === "local" || source === "examples";
}

/** `[oci]` settings. */
export interface OciSettings {
  /** `host[:port]` of the default registry. */
  registry: string;
  /** Namespace (path prefix) extensions live under. */
  namespace: string;
  /** File holding a bearer token or `user:password` for the registry. */
  auth_token_path: string | undefined;
  /** Allow plain HTTP to a non-loopback registry. */
  insecure: boolean;
  /** Per-request timeout in seconds. */
  timeout: number;
  /** How many times a retryable request is retried. */
  retry_count: number;
  /** PEM file with extra CA certificates for HTTPS. */
  ca_file: string | undefined;
  /** PEM client certificate for registries that require one (mTLS), with `key_file`. */
  cert_file: string | undefined;
  /** PEM private key of `cert_file`. */
  key_file: string | undefined;
  /** Docker's config folder (`DOCKER_CONFIG`); unset: `~/.docker`. */
  docker_config: string | undefined;
  /**
   * Podman's auth file (`REGISTRY_AUTH_FILE`, else `${XDG_RUNTIME_DIR}/containers/auth.json`).
   */
  auth_file: string | undefined;
  /** Repositories to use when the registry forbids the catalog (GHCR, ECR…). */
  repositories: string[];
  /** Maximum concurrent requests for fan-out work (discovery). */
  concurrency: number;
  /**
   * Blobs above this many bytes upload in PATCH chunks of this size; 0 (the default) sends
   * every blob in one streamed PUT.
   */
  chunk_size: number;
  /**
   * `host` or `host:port` entries the registry may redirect blob downloads to (a CDN or S3);
   * granted network access with the registry under least privilege (`host` means port 443).
   */
  redirect_hosts: string[];
  /** Pull mirrors per registry prefix (`[[oci.mirrors]]`), and blocked registries. */
  mirrors: OciMirror[];
  /**
   * Several registries read in order (`[[oci.registries]]`); empty: `registry` alone. A
   * `--registry` flag (or `PROVISIONING_OCI_REGISTRY`) picks one of them, or another.
   */
  registries: OciRegistry[];
}

/**
 * One `[[oci.registries]]` table: a registry reads (resolution, discovery) go to, in the
 * order of the tables, in the style of containers-registries.conf's
 * `unqualified-search-registries` with a `[[registry]]` table each. Unset `namespace`,
 * `insecure` and `ca_file` take the `[oci]` value; credentials and the client certificate
 * (`auth_token_path`, `cert_file`, `key_file`) belong to their registry alone.
 */
export interface OciRegistry {
  /** A short name for rows and messages (`internal`, `public`). */
  name: string;
  /** `host[:port]` of the registry. */
  registry: string;
  /** Namespace extensions live under there (default: `[oci] namespace`). */
  namespace: string | undefined;
  /** Allow plain HTTP to this (non-loopback) registry (default: `[oci] insecure`). */
  insecure: boolean | undefined;
  /** Extra CA certificates for this registry (default: `[oci] ca_file`). */
  ca_file: string | undefined;
  /** Client certificate for this registry (mTLS), with `key_file`. */
  cert_file: string | undefined;
  /** Private key of `cert_file`. */
  key_file: string | undefined;
  /** Bearer token or `user:password` file for this registry. */
  auth_token_path: string | undefined;
}

/**
 * One `[[oci.mirrors]]` table, in the style of containers-registries.conf and containerd's
 * `hosts.toml`: pulls of repositories under `prefix` try `locations` in order, then the
 * registry itself.
 */
export interface OciMirror {
  /** `host[:port]` of the canonical registry, optionally with a namespace (`host/team`). */
  prefix: string;
  /** Mirror `host[:port]`s, tried in order; the same repository path on each. */
  locations: string[];
  /** Ask the mirrors for content by digest only, never to resolve a tag. */
  digest_only: boolean;
  /** Refuse the prefix altogether. */
  blocked: boolean;
}

/** `[extensions]` settings. */
export interface ExtensionsSettings {
  /** Default source for load/pull/list. */
  source_type: SourceType;
  /** Extra local extension folders (also `PROVISIONING_EXTENSIONS_PATH`, colon separated). */
  paths: string[];
  /** Order `auto` tries the sources in. */
  auto_order: ConcreteSourceType[];
  /** Seconds a discovery result stays fresh. */
  discovery_ttl: number;
  /** OCI image-layout directories used by the `oci-layout` source. */
  layout_paths: string[];
}

/** `[cache]` settings. */
export interface CacheSettings {
  /** Cache root (also `PROVISIONING_CACHE_DIR`, `--cache-dir`). */
  dir: string;
  /** Automatic prune after pulls: entries unused for this many days. */
  max_age_days: number | undefined;
  /** Automatic prune after pulls: keep the cache under this many bytes. */
  max_size: number | undefined;
  /** Refuse archives that unpack to more than this many bytes. */
  max_extract_bytes: number;
  /** Refuse archives with more than this many entries. */
  max_extract_files: number;
}

/** `[gitea]` settings. */
export interface GiteaSettings {
  /** Base URL of the Gitea/Forgejo server. */
  url: string | undefined;
  /** Organisation holding one repository per extension. */
  organization: string | undefined;
  /** File holding the API token. */
  token_path: string | undefined;
  /** Sub-path of the repository holding `extension.yaml` (default: root). */
  subpath: string | undefined;
  /**
   * Hosts (`host` or `host:port`) Gitea redirects archive downloads to — its object storage
   * under `[storage.repo-archive] SERVE_DIRECT = true` — granted network access with the
   * Gitea host under least privilege (`host` means port 443), like `[oci] redirect_hosts`.
   */
  redirect_hosts: string[];
  /** Seconds a request may stay idle, as `[oci] timeout`; unset: `[oci] timeout`. */
  timeout: number | undefined;
  /** Retries of a retryable request, as `[oci] retry_count`; unset: `[oci] retry_count`. */
  retry_count: number | undefined;
  /** PEM file with extra CA certificates for the server's HTTPS, as `[oci] ca_file`. */
  ca_file: string | undefined;
}

/** `[git]` settings. */
export interface GitSettings {
  /** Git remotes, one repository per extension. */
  remotes: string[];
}

/** One `[[signatures.trust]]` rule: keys trusted for extensions under a reference prefix. */
export interface SignatureTrustRule {
  /** `registry[/namespace…]` prefix, matched on whole path components (`localhost:5000/team`). */
  prefix: string;
  /** Public key files (`cosign.pub`), absolute after loading. */
  keys: string[];
}

/** `[signatures]` settings: the trust policy for cosign signatures. */
export interface SignaturesSettings {
  /** Refuse to load or pull an extension without a valid signature by a trusted key. */
  require: boolean;
  /** Require the signed payload's `docker-reference` to be the extension's repository. */
  check_reference: boolean;
  /** Trusted keys per registry/namespace prefix (`[[signatures.trust]]`). */
  trust: SignatureTrustRule[];
}

/** The whole effective configuration. */
export interface Settings {
  /** `[oci]`: the registry. */
  oci: OciSettings;
  /** `[extensions]`: sources and local folders. */
  extensions: ExtensionsSettings;
  /** `[cache]`: the local cache. */
  cache: CacheSettings;
  /** `[gitea]`: the Gitea/Forgejo source. */
  gitea: GiteaSettings;
  /** `[git]`: the plain git source. */
  git: GitSettings;
  /** `[signatures]`: the signature trust policy. */
  signatures: SignaturesSettings;
}

/** Where a value came from. */
export type ConfigOriginKind = "default" | "user" | "workspace" | "env" | "flag";

/** The origin of one effective value. */
export interface ConfigOrigin {
  /** Which layer set the value. */
  kind: ConfigOriginKind;
  /** The file for `user` and `workspace`, the variable for `env`, the flag for `flag`. */
  source?: string;
}

/** A dotted settings key, the same in TOML, in `provisioning env` and in code: `oci.registry`. */
export type SettingKey = {
  [S in keyof Settings]: `${S}.${keyof Settings[S] & string}`;
}[keyof Settings];

/** Any value a setting can hold. */
export type SettingValue = {
  [S in keyof Settings]: Settings[S][keyof Settings[S]];
}[keyof Settings];

/** Secrets read from the environment; kept out of {@linkcode Settings} so they never print. */
export interface ConfigSecrets {
  /** Gitea/Forgejo API token from `PROVISIONING_GITEA_TOKEN` (key `gitea.token` in origins). */
  gitea_token: Secret | undefined;
}

/** One layer of the precedence chain: the values it sets and where they came from. */
export interface ConfigLayer {
  /** Origin of every value in this layer. */
  origin: ConfigOrigin;
  /** Checked values (paths already absolute), only for the keys this layer sets. */
  values: Partial<Record<SettingKey, SettingValue>>;
}

/** A config file `loadConfig` looked at, and whether it existed. */
export interface ConfigFileStatus {
  /** Which layer the file is. */
  kind: "user" | "workspace";
  /** Absolute path of the file. */
  path: string;
  /** Whether the file existed (and was applied). */
  found: boolean;
}

/** Settings plus, for every dotted key (`oci.registry`), where its value came from. */
export interface ResolvedConfig {
  /** The effective settings. */
  settings: Settings;
  /**
   * Origin of every {@linkcode SettingKey}, plus `gitea.token` for
   * {@linkcode ConfigSecrets.gitea_token}.
   */
  origins: Record<string, ConfigOrigin>;
  /**
   * Workspace directory (the one holding `config/local-overrides.toml`), found from the
   * current directory upwards or named by `PROVISIONING_WORKSPACE`; undefined when none.
   */
  workspace: string | undefined;
  /** Secrets from the environment; they print as `[redacted]`. */
  secrets: ConfigSecrets;
  /** The config files considered, lowest precedence first (user, then workspace if any). */
  files: ConfigFileStatus[];
}

/**
 * Command-line flags that override configuration (applied last, origin `flag`).
 * Undefined members are ignored, so a command's parsed options can be passed as is.
 */
export interface ConfigFlags {
  /** `--registry host[:port]` → `oci.registry`. */
  registry?: string | undefined;
  /** `--namespace ns` → `oci.namespace`. */
  namespace?: string | undefined;
  /** `--cache-dir dir` → `cache.dir` (relative to the current directory). */
  cacheDir?: string | undefined;
  /** `--source type` → `extensions.source_type`. */
  source?: string | undefined;
  /** `--insecure` → `oci.insecure`. */
  insecure?: boolean | undefined;
  /** `--plain-http` → `oci.insecure` (ORAS's name for it). */
  plainHttp?: boolean | undefined;
  /** `--ca-file FILE` → `oci.ca_file` (relative to the current directory). */
  caFile?: string | undefined;
}

/** Options of `loadConfig`. Everything global is passed in; nothing is read from `Deno`. */
export interface LoadConfigOptions {
  /** Absolute current directory: workspace discovery starts here; relative env/flag paths resolve here. */
  cwd: string;
  /** Absolute home directory: user config and default cache live under `<home>/.provisioning`. */
  home: string;
  /** The environment; only the names in `CONFIG_ENV_VARS` are read. */
  env: Readonly<Record<string, string | undefined>>;
  /** Command-line flags, applied last. */
  flags?: ConfigFlags | undefined;
}

/** One row of `provisioning env`. */
export interface EnvEntry {
  /** Dotted key (`oci.registry`); `gitea.token` for the secret. */
  key: string;
  /** The effective value; `null` when unset; secrets are `"(set)"` or `"(not set)"`. */
  value: string | number | boolean | string[] | null;
  /**
   * Where the value came from: `default`, `user (<file>)`, `workspace (<file>)`,
   * `env (<VARIABLE>)` or `flag (<--flag>)`.
   */
  origin: string;
}

/** The JSON-ready object `provisioning env --format json|yaml` prints. */
export interface EnvReport {
  /** The workspace directory, or `null` when none was found. */
  workspace: string | null;
  /** Config files considered, lowest precedence first. */
  files: ConfigFileStatus[];
  /** Every setting in a stable order (the order of `SETTING_KEYS`, secrets in their section). */
  settings: EnvEntry[];
}
