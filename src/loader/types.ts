/**
 * Result types of loading an extension.
 *
 * @module
 */

import type { ConcreteSourceType, SourceType } from "../config/types.ts";
import type { ProvisioningError } from "../errors.ts";
import type { ExtensionManifest, ExtensionType } from "../manifest/types.ts";

/** Options of {@linkcode loadExtension}. */
export interface LoadOptions {
  /** Where to load from; `auto` (the default from config) tries the sources in order. */
  sourceType?: SourceType;
  /** Refetch even when cached (remote sources). */
  force?: boolean;
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
  /** Manifest digest for OCI sources. */
  digest?: string;
  error?: ProvisioningError;
}
