/**
 * "Did you mean" for an extension that is not found: the best of the search ranking
 * (`rankExtensions`) over what the same sources list, asked only after the failure.
 *
 * @module
 */

import type { ResolvedConfig, SourceType } from "../config/types.ts";
import { discoverAllExtensions } from "../discovery/discover_all.ts";
import { rankExtensions } from "../discovery/search_extensions.ts";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import type { ExtensionType } from "../manifest/types.ts";

/** How long the listing behind a suggestion may take per source (ms). */
const SUGGESTION_TIMEOUT_MS = 5000;

/**
 * `error` with a hint naming the closest extension (`Did you mean "redis"?`) when it is a
 * `NOT_FOUND` for `name` and the sources list a name close to it; otherwise `error` itself.
 * A listing that fails leaves the error as it was.
 *
 * @example
 * ```ts
 * import { withExtensionSuggestion } from "./suggest_extension_name.ts";
 * import { ProvisioningError } from "../errors.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({ cwd: "/", home: "/nonexistent", env: {} });
 * const error = new ProvisioningError("NOT_FOUND", 'Extension "kubernets" not found');
 * const told = await withExtensionSuggestion(error, "kubernets", { config, source: "examples" });
 * assert.equal((told as ProvisioningError).hint, 'Did you mean "kubernetes"?');
 * ```
 *
 * @param error What the load threw or returned.
 * @param name The name asked for.
 * @param options The configuration, and the `--source` / `--type` of the command.
 * @returns The error to report.
 */
export async function withExtensionSuggestion(
  error: unknown,
  name: string,
  options: {
    config: ResolvedConfig;
    source?: SourceType | undefined;
    type?: ExtensionType | undefined;
  },
): Promise<unknown> {
  if (!isProvisioningError(error, "NOT_FOUND")) return error;
  try {
    const { extensions } = await discoverAllExtensions({
      config: options.config,
      ...(options.source === undefined ? {} : { source: options.source }),
      ...(options.type === undefined ? {} : { type: options.type }),
      sourceTimeoutMs: SUGGESTION_TIMEOUT_MS,
      onWarning: () => {},
    });
    const best = rankExtensions(extensions.filter((e) => e.name !== name), name, { limit: 1 })[0];
    if (best === undefined) return error;
    return new ProvisioningError(error.code, error.message, {
      hint: `Did you mean "${best.name}"?`,
      details: error.details,
      cause: error,
    });
  } catch {
    return error;
  }
}
