/**
 * Types of the packaging half of publishing: what is collected from an extension directory,
 * and the packaged artifact (config blob, layer, OCI image manifest) handed to the pusher.
 *
 * @module
 */

import type { ExtensionManifest, ExtensionType } from "../manifest/types.ts";

/** The kind of a packaged entry. Nothing else (fifos, sockets, devices) is ever packaged. */
export type PackagedEntryType = "file" | "directory" | "symlink";

/** One entry of an extension directory that will be packaged. */
export interface CollectedEntry {
  /** POSIX path relative to the extension root, no leading `./`, no trailing `/`. */
  path: string;
  /** Entry kind. */
  type: PackagedEntryType;
  /** Bytes of content (0 for directories and symlinks). */
  size: number;
  /** Normalised tar mode: 0o755 (directories, executables), 0o644 (files), 0o777 (symlinks). */
  mode: number;
  /** Target of a symlink, relative, exactly as on disk. Only for `symlink`. */
  linkTarget?: string;
}

/**
 * A blob the pusher can upload directly: digest, size, media type, and a way to read it
 * (again and again, for retries).
 */
export interface PublishBlob {
  /** `sha256:<hex>` of the bytes. */
  digest: string;
  /** Byte length. */
  size: number;
  /** OCI media type of the blob. */
  mediaType: string;
  /** A fresh stream of the bytes; each call starts from the beginning. */
  open(): Promise<ReadableStream<Uint8Array>>;
}

/** The config blob: the extension manifest as canonical JSON. */
export interface PackagedConfig extends PublishBlob {
  /** The exact bytes of the blob. */
  bytes: Uint8Array;
}

/** The single layer: the extension directory as a reproducible tar+gzip in a temp file. */
export interface PackagedLayer extends PublishBlob {
  /** Path of the compressed layer on disk (removed by `cleanup()`). */
  path: string;
  /** `sha256:<hex>` of the uncompressed tar (`io.deis.oras.content.digest`). */
  uncompressedDigest: string;
  /** Byte length of the uncompressed tar. */
  uncompressedSize: number;
}

/** The serialised OCI image manifest. */
export interface PackagedManifest {
  /** `sha256:<hex>` of `bytes`. */
  digest: string;
  /** Byte length of `bytes`. */
  size: number;
  /** Always `application/vnd.oci.image.manifest.v1+json`. */
  mediaType: string;
  /** The exact bytes to PUT. */
  bytes: Uint8Array;
}

/** A packaged extension, ready to push. Call `cleanup()` when done with it. */
export interface PackagedExtension {
  /** Extension name (repository name and top-level folder of the layer). */
  name: string;
  /** Extension type (`dev.provisioning.extension.type`). */
  type: ExtensionType;
  /** Published version (the `--version` override, else the manifest's). */
  version: string;
  /** OCI tag of the version (`+` written as `_`). */
  tag: string;
  /** The manifest as published (with the published version). */
  extension: ExtensionManifest;
  /** Every packaged entry below the top-level folder, in tar order. */
  files: CollectedEntry[];
  /** The config blob. */
  config: PackagedConfig;
  /** The layer blob. */
  layer: PackagedLayer;
  /** The OCI image manifest. */
  manifest: PackagedManifest;
  /** Things the user should be told (for example a version override), one line each. */
  notices: string[];
  /** Removes the temporary files of the package. Safe to call more than once. */
  cleanup(): Promise<void>;
}

/** Options of {@linkcode packageExtension}. */
export interface PackageOptions {
  /** Publish under this version instead of the manifest's (like `helm package --version`). */
  version?: string;
  /** `SOURCE_DATE_EPOCH` in seconds: tar mtimes and `org.opencontainers.image.created`. */
  sourceDateEpoch?: number;
  /** Largest file allowed, in bytes (default {@linkcode DEFAULT_MAX_FILE_SIZE}). */
  maxFileSize?: number;
  /** Directory to create the package's temp directory in (default: the system's). */
  tmpDir?: string;
  /**
   * Validates the extension directory and returns its manifest; throws on invalid input
   * (default: `validateExtensionDir` of the manifest module, warnings dropped).
   */
  validate?: (dir: string) => Promise<ExtensionManifest>;
  /** Called as file bytes are packed (bytes so far, total), for a progress bar. */
  onPackProgress?: (done: number, total: number) => void;
  /** Receives the manifest's warnings (unknown keys, with a did-you-mean) of the default validator. */
  onWarning?: (line: string) => void;
}

/** Default largest file allowed in a package: 100 MiB. */
export const DEFAULT_MAX_FILE_SIZE = 100 * 1024 * 1024;
