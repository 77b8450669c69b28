/**
 * Types of the effective configuration. Keys mirror the TOML files exactly
 * (`[oci] retry_count` is `settings.oci.retry_count`), so a value's path is the same in the
 * file, in `provisioning env` and in code.
 *
 * @module
 */

/** Where extensions are loaded from. `auto` tries the others in `extensions.auto_order`. */
export type SourceType = "auto" | "local" | "oci" | "oci-layout" | "gitea" | "git";

/** Every concrete source (everything but `auto`). */
export type ConcreteSourceType = Exclude<SourceType, "auto">;

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
  /** Repositories to use when the registry forbids the catalog (GHCR, ECR…). */
  repositories: string[];
  /** Maximum concurrent requests for fan-out work (discovery). */
  concurrency: number;
  /** Blobs above this many bytes upload in chunks of this size. */
  chunk_size: number;
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
}

/** `[git]` settings. */
export interface GitSettings {
  /** Git remotes, one repository per extension. */
  remotes: string[];
}

/** The whole effective configuration. */
export interface Settings {
  oci: OciSettings;
  extensions: ExtensionsSettings;
  cache: CacheSettings;
  gitea: GiteaSettings;
  git: GitSettings;
}

/** Where a value came from. */
export type ConfigOriginKind = "default" | "user" | "workspace" | "env" | "flag";

/** The origin of one effective value. */
export interface ConfigOrigin {
  kind: ConfigOriginKind;
  /** The file for `user` and `workspace`, the variable for `env`, the flag for `flag`. */
  source?: string;
}

/** Settings plus, for every dotted key (`oci.registry`), where its value came from. */
export interface ResolvedConfig {
  settings: Settings;
  origins: Record<string, ConfigOrigin>;
  /** Workspace root found from the current directory upwards, if any. */
  workspace: string | undefined;
}
