/**
 * Test fixtures for discovery: a discovered extension with every optional field empty.
 *
 * @module
 */

import type { DiscoveredExtension } from "./types.ts";

/**
 * A discovered `provider` 1.0.0 from `oci` with no metadata; `fields` override any of it.
 *
 * @param name Extension name.
 * @param fields Fields to set instead of the defaults.
 * @returns The entry.
 */
export function discoveredEntry(
  name: string,
  fields: Partial<DiscoveredExtension> = {},
): DiscoveredExtension {
  return {
    name,
    type: "provider",
    version: "1.0.0",
    versions: ["1.0.0"],
    source: "oci",
    description: "",
    author: null,
    license: null,
    homepage: null,
    path: null,
    reference: null,
    digest: null,
    size: null,
    metadataFrom: "manifest",
    cached: [],
    ...fields,
  };
}
