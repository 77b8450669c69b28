/**
 * `ext info`: the metadata of one version of one extension, where it would load from, its
 * versions per source and whether it is cached.
 *
 * @module
 */

import type { ConcreteSourceType } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { parseVersionSpec, resolveVersion, sortBySemver } from "../versions/mod.ts";
import {
  type FoundIn,
  lookupExtension,
  type LookupOptions,
  readLookupReference,
} from "./_lookup.ts";
import { withDeadline } from "./_with_deadline.ts";
import { DEFAULT_SOURCE_TIMEOUT_MS } from "./discover_all.ts";
import type { ExtensionInfo } from "./types.ts";

/** Options of {@linkcode getExtensionInfo}. */
export interface InfoOptions extends LookupOptions {
  /** Version or spec; default: the highest. */
  version?: string;
}

/**
 * Describes one extension: the first source in order that has a version satisfying the spec
 * is where it would load from, and that version's manifest (for OCI: its config blob, or the
 * manifest annotations of an ORAS-style artifact) gives the metadata.
 *
 * @example
 * ```ts
 * import { getExtensionInfo } from "./get_extension_info.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const info = await getExtensionInfo("kubernetes", { config, source: "examples", version: "~1.28.0" });
 * assert.equal(info.version, "1.28.0");
 * assert.equal(info.source, "examples");
 * assert.deepEqual(info.versions, { examples: ["1.29.1", "1.28.0"] });
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param input Extension name, or a reference (`aws:2.4.1`, `oci://host/ns/aws`).
 * @param given Configuration, source, type, version spec, warnings.
 * @returns The info object of `ext info --format json`.
 * @throws {ProvisioningError} `INVALID_VERSION_SPEC`; `NOT_FOUND`; `VERSION_NOT_FOUND` naming
 *   the versions that exist; `USAGE` when the name exists as several types; source errors.
 */
export async function getExtensionInfo(
  input: string,
  given: InfoOptions,
): Promise<ExtensionInfo> {
  const read = readLookupReference(input, given.version, given);
  const { name } = read;
  const options = read.spec === "latest" ? read.options : { ...read.options, version: read.spec };
  if (options.version !== undefined) parseVersionSpec(options.version);
  const lookup = await lookupExtension(name, options);
  try {
    let chosen: { found: FoundIn; version: string } | undefined;
    for (const found of lookup.found) {
      const version = options.version === undefined
        ? found.entry.version
        : resolveVersion(options.version, found.entry.versions);
      if (version !== undefined) {
        chosen = { found, version };
        break;
      }
    }
    const versions: Partial<Record<ConcreteSourceType, string[]>> = {};
    for (const { entry } of lookup.found) {
      versions[entry.source] = sortBySemver([...(versions[entry.source] ?? []), ...entry.versions])
        .reverse();
    }
    if (chosen === undefined) {
      const available = Object.entries(versions).map(([s, v]) => `${s}: ${v.join(", ")}`);
      throw new ProvisioningError(
        "VERSION_NOT_FOUND",
        `No version of ${lookup.type} "${name}" satisfies "${options.version}"`,
        { hint: `Available versions: ${available.join("; ")}` },
      );
    }
    const { source, entry } = chosen.found;
    const details = await withDeadline(
      source,
      options.sourceTimeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS,
      (message) => options.onWarning?.(message, "item"),
      (context) => source.describe(entry, chosen.version, context),
    );
    const cachedVersions = sortBySemver(lookup.found.flatMap((f) => f.entry.cached)).reverse();
    const cached = entry.cached.includes(chosen.version);
    const cacheEntry = cached
      ? lookup.cached.get(entry.name)?.find((c) =>
        c.version === chosen.version && (entry.type === "unknown" || c.type === entry.type)
      )
      : undefined;
    const manifest = details.manifest;
    return {
      name: details.name,
      type: details.type,
      version: details.version,
      description: details.description,
      author: details.author,
      requires: manifest?.requires ?? null,
      dependencies: manifest?.dependencies ?? {},
      hooks: manifest?.hooks ?? {},
      permissions: manifest?.permissions ?? null,
      homepage: details.homepage,
      repository: details.repository,
      license: details.license,
      source: details.source,
      path: details.path ?? cacheEntry?.path ?? null,
      versions,
      reference: details.reference,
      digest: details.digest,
      size: details.size,
      cached,
      signer: cacheEntry?.signer ?? null,
      cachedVersions,
      metadataFrom: details.metadataFrom,
    };
  } finally {
    lookup.set.close();
  }
}
