/**
 * The versions of one extension in every selected source, highest first.
 *
 * @module
 */

import type { ConcreteSourceType } from "../config/types.ts";
import { sortBySemver } from "../versions/mod.ts";
import { lookupExtension, type LookupOptions } from "./_lookup.ts";
import type { ExtensionVersions } from "./types.ts";

/**
 * Lists an extension's versions per source without listing whole sources (for OCI: the
 * repository's tags and its highest version's manifest and config).
 *
 * @example
 * ```ts
 * import { getExtensionVersions } from "./get_extension_versions.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const result = await getExtensionVersions("kubernetes", { config, source: "examples" });
 * assert.deepEqual(result.versions, ["1.29.1", "1.28.0"]);
 * assert.deepEqual(result.bySource, { examples: ["1.29.1", "1.28.0"] });
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param name Extension name.
 * @param options Configuration, source (default `[extensions] source_type`), type, warnings.
 * @returns Every version (highest first), per source, and the cached ones.
 * @throws {ProvisioningError} `NOT_FOUND` when no source has it; `USAGE` when it exists as
 *   several types and none was given; a failed source's error when it could not be asked
 *   and no other source has it.
 */
export async function getExtensionVersions(
  name: string,
  options: LookupOptions,
): Promise<ExtensionVersions> {
  const lookup = await lookupExtension(name, options);
  try {
    const bySource: Partial<Record<ConcreteSourceType, string[]>> = {};
    for (const { entry } of lookup.found) {
      bySource[entry.source] = highestFirst([...(bySource[entry.source] ?? []), ...entry.versions]);
    }
    return {
      name: lookup.name,
      type: lookup.type,
      source: lookup.found[0]!.entry.source,
      versions: highestFirst(lookup.found.flatMap((f) => f.entry.versions)),
      bySource,
      cached: highestFirst(lookup.found.flatMap((f) => f.entry.cached)),
    };
  } finally {
    lookup.set.close();
  }
}

function highestFirst(versions: readonly string[]): string[] {
  return sortBySemver(versions).reverse();
}
