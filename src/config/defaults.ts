/**
 * Built-in defaults, the lowest layer of the configuration.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import type { ConcreteSourceType, Settings } from "./types.ts";

/** Default registry: a local CNCF distribution on the standard port. */
export const DEFAULT_REGISTRY = "localhost:5000";

/** Default namespace (repository path prefix) extensions live under. */
export const DEFAULT_NAMESPACE = "provisioning-extensions";

/**
 * Default order the `auto` source tries: `local` first (a local copy is what a developer is
 * editing), then an on-disk OCI layout (offline), then the registry, then Gitea, then plain
 * git, and the bundled `examples` last, so a demo never shadows a real extension of the same
 * name but the tool still works with no server. Leave `examples` out of `auto_order` to never
 * use them.
 */
export const DEFAULT_AUTO_ORDER: readonly ConcreteSourceType[] = [
  "local",
  "oci-layout",
  "oci",
  "gitea",
  "git",
  "examples",
];

/**
 * 0: every blob uploads in one streamed PUT, never in chunks. Measured against the real
 * registry (`scripts/bench_oci.ts`, docs/benchmarks.md "OCI registries"), one streamed PUT was the fastest
 * (faster than curl's PUT) with flat memory, while PATCH chunks were ~1.3× slower than curl and
 * held several chunk sizes in memory. Set `[oci] chunk_size` to a byte count only for a
 * registry or proxy that limits request size: blobs above it then upload in chunks of it.
 */
export const DEFAULT_CHUNK_SIZE = 0;

/** 1 GiB: archives unpacking to more bytes than this are refused. */
export const DEFAULT_MAX_EXTRACT_BYTES = 1024 * 1024 * 1024;

/**
 * The built-in defaults. The cache lives at `<home>/.provisioning/cache`; every other default
 * is independent of the machine. Returns a fresh object on every call (safe to mutate).
 *
 * @example
 * ```ts
 * import { defaultSettings } from "./defaults.ts";
 * import assert from "node:assert/strict";
 *
 * const settings = defaultSettings("/home/ada");
 * assert.equal(settings.oci.registry, "localhost:5000");
 * assert.equal(settings.cache.dir, "/home/ada/.provisioning/cache");
 * assert.equal(settings.extensions.source_type, "auto");
 * ```
 *
 * @param home Absolute home directory.
 * @returns The default settings.
 */
export function defaultSettings(home: string): Settings {
  return {
    oci: {
      registry: DEFAULT_REGISTRY,
      namespace: DEFAULT_NAMESPACE,
      auth_token_path: undefined,
      insecure: false,
      timeout: 30,
      retry_count: 3,
      ca_file: undefined,
      cert_file: undefined,
      key_file: undefined,
      docker_config: undefined,
      auth_file: undefined,
      repositories: [],
      concurrency: 8,
      chunk_size: DEFAULT_CHUNK_SIZE,
      redirect_hosts: [],
      mirrors: [],
      registries: [],
    },
    extensions: {
      source_type: "auto",
      paths: [],
      auto_order: [...DEFAULT_AUTO_ORDER],
      discovery_ttl: 300,
      layout_paths: [],
    },
    cache: {
      dir: join(home, ".provisioning", "cache"),
      max_age_days: undefined,
      max_size: undefined,
      max_extract_bytes: DEFAULT_MAX_EXTRACT_BYTES,
      max_extract_files: 100_000,
    },
    gitea: {
      url: undefined,
      organization: undefined,
      token_path: undefined,
      subpath: undefined,
      redirect_hosts: [],
      timeout: undefined,
      retry_count: undefined,
      ca_file: undefined,
    },
    git: {
      remotes: [],
    },
    signatures: {
      require: false,
      check_reference: true,
      trust: [],
    },
  };
}
