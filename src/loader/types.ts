/**
 * Options and result types of loading an extension.
 *
 * @module
 */

import type { ConcreteSourceType, SourceType } from "../config/types.ts";
import type { ProvisioningError } from "../errors.ts";
import type { ExtensionManifest, ExtensionType } from "../manifest/types.ts";
import type { SourceProgress } from "../sources/types.ts";

/** Options of {@linkcode loadExtension} and {@linkcode pullExtension}. */
export interface LoadOptions {
  /**
   * Where to load from; `auto` (the default from config) tries the sources in order. A git
   * reference as the name (`git+https://…`, `git://…`, `file://…`) goes to `git` unless
   * another source is named here.
   */
  sourceType?: SourceType;
  /**
   * The same as {@linkcode LoadOptions.sourceType}, under the name the discovery functions
   * (`listExtensions`, `searchExtensions`, `getExtensionVersions`…) use; `sourceType` wins
   * when both are given.
   */
  source?: SourceType;
  /** Refetch even when cached (remote sources) and bypass the in-process memo. */
  force?: boolean;
  /** Use no network: the best cached match, or sources on disk (`local`, `oci-layout`). */
  offline?: boolean;
  /** Called as bytes arrive while an artifact is downloaded. */
  onProgress?: (progress: SourceProgress) => void;
  /** Receives warnings meant for the user (an unreachable registry served from the cache…). */
  onWarning?: (message: string) => void;
  /** Receives debugging notes (sources skipped in `auto` and why). */
  onDebug?: (message: string) => void;
  /** Home directory, for registry credentials (`~/.docker/config.json`…). */
  home?: string;
  /** The `fetch` the registry client builds on (tests count requests with it). */
  fetch?: typeof fetch;
}

/** The seed's load result: `success` plus what was loaded, or `error`. */
export interface LoadResult {
  success: boolean;
  name: string;
  type?: ExtensionType;
  version?: string;
  source?: ConcreteSourceType;
  /** Directory holding the extension (in place for `local`, the cache entry otherwise). */
  path?: string;
  manifest?: ExtensionManifest;
  /** Manifest digest for OCI sources; the archive's SHA-256 for git and Gitea. */
  digest?: string;
  /**
   * The canonical reference of what was loaded, `origin@digest`
   * (`registry/namespace/name@sha256:…` for OCI): what loads these exact bytes again.
   */
  reference?: string;
  /**
   * The fingerprint of the key whose cosign signature was verified when this content was
   * fetched (`[signatures] require`), as the cache entry records it; absent otherwise.
   */
  signer?: string;
  error?: ProvisioningError;
}
