/**
 * The lazy loader: resolve an extension from a source and return where it lives.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { localRoots, scanLocalExtensions } from "../sources/local.ts";
import { resolveLocalExtension } from "../sources/resolve_local.ts";
import type { LoadOptions, LoadResult } from "./types.ts";

/** Options of {@linkcode loadExtension} with the configuration to use. */
export interface LoadExtensionOptions extends LoadOptions {
  /** The effective configuration (see `loadConfig`). */
  config: ResolvedConfig;
}

const memo = new Map<string, LoadResult>();

/**
 * Loads an extension and returns the seed's result object. Failures are returned, not
 * thrown: `success` is false and `error` carries a typed {@linkcode ProvisioningError}.
 * Successful loads are memoised for the life of the process.
 *
 * @example Load the bundled taskserv
 * ```ts ignore
 * const result = await loadExtension("taskserv", "kubernetes", "^1.28.0", { config });
 * if (result.success) console.log(result.path);
 * ```
 *
 * @param type The extension type, or undefined for any type.
 * @param name Extension name.
 * @param spec Version spec; `latest` for the highest.
 * @param options Source, force and configuration.
 * @returns `{success, name, type, version, source, path, manifest, error}`.
 */
export async function loadExtension(
  type: ExtensionType | undefined,
  name: string,
  spec: string,
  options: LoadExtensionOptions,
): Promise<LoadResult> {
  const sourceType = options.sourceType ?? options.config.settings.extensions.source_type;
  const key = JSON.stringify([sourceType, type, name, spec]);
  const remembered = memo.get(key);
  if (remembered !== undefined && options.force !== true) return remembered;
  try {
    if (sourceType !== "local" && sourceType !== "auto") {
      throw new ProvisioningError(
        "UNSUPPORTED",
        `Source "${sourceType}" is not available in this version`,
        { hint: "Use --source local" },
      );
    }
    const scan = await scanLocalExtensions(await localRoots(options.config));
    const ext = resolveLocalExtension(scan, name, spec, type);
    const result: LoadResult = {
      success: true,
      name: ext.name,
      type: ext.type,
      version: ext.version,
      source: "local",
      path: ext.path,
      manifest: ext.manifest,
    };
    memo.set(key, result);
    return result;
  } catch (error) {
    const typed = error instanceof ProvisioningError
      ? error
      : new ProvisioningError("INTERNAL", `Loading "${name}" failed: ${String(error)}`, {
        cause: error,
      });
    return { success: false, name, ...(type ? { type } : {}), error: typed };
  }
}
