/**
 * Types of the pushing half of publishing: options and results of
 * `publishExtension` and `deleteExtension`, and the registry access they
 * share.
 *
 * @module
 */

import type { OciSettings } from "../config/types.ts";
import type { ExtensionType } from "../manifest/types.ts";
import type { PushBlobOutcome } from "../oci/blobs.ts";
import type { RegistryClientOptions } from "../oci/client.ts";
import type { TransferProgress } from "../oci/types.ts";
import type { PackagedEntryType } from "./types.ts";

/** How publishing and deleting reach the registry. */
export interface RegistryAccessOptions {
  /**
   * The effective configuration: `settings.oci`, and `settings.cache.dir` when given (the
   * cache whose discovery listings of this registry and namespace a change drops).
   */
  config: { settings: { oci: OciSettings; cache?: { dir: string } } };
  /** Registry `host[:port]` instead of `[oci] registry`. */
  registry?: string;
  /** Namespace instead of `[oci] namespace`. */
  namespace?: string;
  /**
   * Home directory for the default credential store (`~/.provisioning/credentials.json`,
   * Docker's `config.json`); without it only `[oci] auth_token_path` is read.
   */
  home?: string;
  /** Extra options of the registry client (credentials, `fetch`, retry timing, CA certs). */
  clientOptions?: RegistryClientOptions;
}

/** Upload progress of one blob of a publish. */
export interface PublishProgress extends TransferProgress {
  /** What moves: packing the files (`package`, before any upload), the config or the layer. */
  blob: "package" | "config" | "layer";
}

/** Options of `publishExtension`. */
export interface PublishOptions extends RegistryAccessOptions {
  /** Publish under this version instead of the manifest's (like `helm package --version`). */
  version?: string;
  /** Overwrite a version that is already published. */
  force?: boolean;
  /** Validate and package only; no registry is contacted (no client is even created). */
  dryRun?: boolean;
  /** `SOURCE_DATE_EPOCH` in seconds (tar mtimes and `org.opencontainers.image.created`). */
  sourceDateEpoch?: number;
  /** Largest file allowed in the package, in bytes (default 100 MiB). */
  maxFileSize?: number;
  /** Where the package's temporary directory goes (default: the system's). */
  tmpDir?: string;
  /** Called as blob bytes are sent. */
  onProgress?: (progress: PublishProgress) => void;
  /** Receives one-line notices (for example a version override), meant for stderr. */
  onNotice?: (line: string) => void;
  /** Receives the manifest's warnings (unknown keys, with a did-you-mean), once each. */
  onWarning?: (line: string) => void;
}

/** One packaged entry as reported by a publish. */
export interface PublishedFile {
  /** Path relative to the extension root. */
  path: string;
  /** Entry kind. */
  type: PackagedEntryType;
  /** Content bytes (0 for directories and symlinks). */
  size: number;
}

/** A blob of the artifact: digest, size and (after a real push) how it reached the registry. */
export interface PublishedBlob {
  /** `sha256:<hex>`. */
  digest: string;
  /** Bytes. */
  size: number;
  /** `uploaded`, `exists` (skipped) or `mounted`; absent on a dry run. */
  outcome?: PushBlobOutcome;
}

/** The result of `publishExtension`; the JSON of `ext publish --format json`. */
export interface PublishResult {
  /** `registry/namespace/name:tag`. */
  reference: string;
  /** Extension name (last path component of the repository). */
  name: string;
  /** `host[:port]`. */
  registry: string;
  /** `namespace/name`. */
  repository: string;
  /** The tag (the version with `+` written `_`). */
  tag: string;
  /** The published version. */
  version: string;
  /** Extension type. */
  type: ExtensionType;
  /** Digest of the image manifest. */
  digest: string;
  /** Size of the image manifest in bytes. */
  size: number;
  /** Every packaged entry, in tar order. */
  files: PublishedFile[];
  /** True when nothing was pushed. */
  dryRun: boolean;
  /** The layer blob. */
  layer: PublishedBlob;
  /** The config blob. */
  config: PublishedBlob;
  /** The manifest digest the tag pointed at before a `force` overwrite; `null` otherwise. */
  replaced: string | null;
}

/** Options of `deleteExtension`. */
export interface DeleteOptions extends RegistryAccessOptions {
  /**
   * Called once the version is found, before anything is deleted; returning `false` cancels
   * the deletion (a `USAGE` error, nothing deleted). Absent: no confirmation.
   */
  confirm?: (target: DeleteTarget) => Promise<boolean>;
}

/** What is about to be deleted (given to {@linkcode DeleteOptions.confirm}). */
export interface DeleteTarget {
  /** `registry/namespace/name:tag`. */
  reference: string;
  /** The manifest digest (every tag pointing at it goes too). */
  digest: string;
}

/** The result of `deleteExtension`; the JSON of `ext delete --format json`. */
export interface DeleteResult {
  /** `registry/namespace/name:tag` that was deleted. */
  reference: string;
  /** Extension name. */
  name: string;
  /** `host[:port]`. */
  registry: string;
  /** `namespace/name`. */
  repository: string;
  /** The tag that named the version. */
  tag: string;
  /** The version. */
  version: string;
  /** The deleted manifest digest (every tag that pointed at it is gone too). */
  digest: string;
}
