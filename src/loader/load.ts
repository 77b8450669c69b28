/**
 * The lazy loader: in memory → cache → source → cache → memory.
 *
 * `loadExtension` resolves a name and version spec through the sources (`auto`: in
 * `extensions.auto_order`), reusing the cache (an exact version already cached needs no
 * network), and remembers each answer for the life of the process. `pullExtension` does the
 * same for the remote sources only, so the result is always a cache entry.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import type { ExtensionType } from "../manifest/types.ts";
import type { MaterializedExtension } from "../sources/types.ts";
import { runChain } from "./_chain.ts";
import type { LoadOptions, LoadResult } from "./types.ts";

/** Options of {@linkcode loadExtension} with the configuration to use. */
export interface LoadExtensionOptions extends LoadOptions {
  /** The effective configuration (see `loadConfig`). */
  config: ResolvedConfig;
}

const memo = new Map<string, Promise<LoadResult>>();

/**
 * Loads an extension and returns the seed's result object. Failures are returned, not
 * thrown: `success` is false and `error` carries a typed {@linkcode ProvisioningError}
 * (`NOT_FOUND`, `VERSION_NOT_FOUND`, `TYPE_MISMATCH`, `UNREACHABLE`, `DIGEST_MISMATCH`…).
 * Successful loads are memoised for the life of the process (concurrent calls share one
 * load); `force` bypasses the memo and refetches.
 *
 * @example Load a bundled example
 * ```ts
 * import { loadExtension } from "./load.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import { bundledExamplesDir } from "../sources/local.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({
 *   cwd: "/", home: "/nonexistent",
 *   env: { PROVISIONING_EXTENSIONS_PATH: bundledExamplesDir(), PROVISIONING_SOURCE_TYPE: "local" },
 * });
 * const result = await loadExtension("taskserv", "kubernetes", "^1.28.0", { config });
 * assert.equal(result.success, true);
 * assert.equal(result.version, "1.29.1");
 * assert.equal(result.source, "local");
 * ```
 *
 * @param type The extension type (filters and asserts), or undefined for any type.
 * @param name Extension name, or a git reference (`git+https://…`, `git://…`, `file://…`,
 *   `https://…/x.git`): that repository is loaded with the `git` source under the name its
 *   `extension.yaml` declares.
 * @param spec Version spec; `latest` for the highest.
 * @param options Configuration, source, force, offline, progress and message callbacks.
 * @returns `{success, name, type, version, source, path, manifest, digest, error}`.
 */
export function loadExtension(
  type: ExtensionType | undefined,
  name: string,
  spec: string,
  options: LoadExtensionOptions,
): Promise<LoadResult> {
  return remembered("load", type, name, spec, options);
}

/**
 * Fetches an extension into the cache without loading it from a local folder: like
 * {@linkcode loadExtension} but over the remote sources only (`local` is left out of `auto`,
 * and `sourceType: "local"` is a `USAGE` error). Same result shape; `path` is the cache entry.
 *
 * @example
 * ```ts
 * import { pullExtension } from "./load.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({ cwd: "/", home: "/nonexistent", env: {} });
 * const result = await pullExtension(undefined, "aws", "1.0.0", { config, sourceType: "local" });
 * assert.equal(result.error?.code, "USAGE");
 * ```
 *
 * @param type The extension type (filters and asserts), or undefined for any type.
 * @param name Extension name, or a git reference (as for {@linkcode loadExtension}).
 * @param spec Version spec; `latest` for the highest.
 * @param options As for {@linkcode loadExtension}.
 * @returns The same result shape as {@linkcode loadExtension}.
 */
export function pullExtension(
  type: ExtensionType | undefined,
  name: string,
  spec: string,
  options: LoadExtensionOptions,
): Promise<LoadResult> {
  return remembered("pull", type, name, spec, options);
}

/**
 * Forgets every remembered load (for long-running hosts and tests).
 *
 * @example
 * ```ts
 * import { clearLoadMemo } from "./load.ts";
 *
 * clearLoadMemo();
 * ```
 */
export function clearLoadMemo(): void {
  memo.clear();
}

function remembered(
  mode: "load" | "pull",
  type: ExtensionType | undefined,
  name: string,
  spec: string,
  given: LoadExtensionOptions,
): Promise<LoadResult> {
  // `source` (the discovery functions' name) and `sourceType` (the seed's) mean the same.
  const options = given.sourceType === undefined && given.source !== undefined
    ? { ...given, sourceType: given.source }
    : given;
  const sourceType = options.sourceType ?? options.config.settings.extensions.source_type;
  const key = JSON.stringify([
    mode,
    sourceType,
    type,
    name,
    spec,
    options.offline === true,
    options.config.settings,
    options.config.workspace,
  ]);
  if (options.force !== true) {
    const known = memo.get(key);
    if (known !== undefined) return known;
  }
  const pending = load(mode, type, name, spec, options).then((result) => {
    if (!result.success && memo.get(key) === pending) memo.delete(key);
    return result;
  });
  memo.set(key, pending);
  return pending;
}

async function load(
  mode: "load" | "pull",
  type: ExtensionType | undefined,
  name: string,
  spec: string,
  options: LoadExtensionOptions,
): Promise<LoadResult> {
  try {
    const ext = await runChain({ type, name, spec, mode, options });
    return toResult(ext);
  } catch (error) {
    const typed = error instanceof ProvisioningError
      ? error
      : new ProvisioningError("INTERNAL", `Loading "${name}" failed: ${String(error)}`, {
        cause: error,
      });
    return { success: false, name, ...(type ? { type } : {}), error: typed };
  }
}

function toResult(ext: MaterializedExtension): LoadResult {
  return {
    success: true,
    name: ext.name,
    type: ext.type,
    version: ext.version,
    source: ext.source,
    path: ext.path,
    manifest: ext.manifest,
    ...(ext.digest === undefined ? {} : { digest: ext.digest }),
    ...(ext.digest === undefined || ext.origin === undefined
      ? {}
      : { reference: `${ext.origin}@${ext.digest}` }),
    ...(ext.signer === undefined ? {} : { signer: ext.signer }),
  };
}
