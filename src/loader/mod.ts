/**
 * The lazy loader: resolve an extension through the sources (`local`, `oci`, `oci-layout`,
 * or `auto` in `extensions.auto_order`), reusing the cache — an exact version already cached
 * needs no network, `offline` and an unreachable registry fall back to the best cached match
 * — and remember the answer for the life of the process.
 *
 * @example
 * ```ts
 * import { loadExtension } from "./mod.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import { bundledExamplesDir } from "../sources/local.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({
 *   cwd: "/", home: "/nonexistent",
 *   env: { PROVISIONING_EXTENSIONS_PATH: bundledExamplesDir(), PROVISIONING_SOURCE_TYPE: "local" },
 * });
 * const result = await loadExtension(undefined, "aws", "latest", { config });
 * assert.equal(result.type, "provider");
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./load.ts";
export * from "./cached.ts";
export * from "./auto_prune.ts";
