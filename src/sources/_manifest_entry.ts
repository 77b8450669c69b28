/**
 * Discovery rows and details built from an `extension.yaml` read at a git tag, shared by the
 * `gitea` and `git` sources. Private to `src/sources`.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { type ExtensionManifest, parseManifest } from "../manifest/mod.ts";
import type { DiscoveredExtension, ExtensionVersionDetails } from "./types.ts";

/** What a tag's manifest is described with. */
export interface TagManifest {
  /** The source it came from. */
  source: "gitea" | "git";
  /** The extension name the repository stands for. */
  name: string;
  /** The version (from the tag). */
  version: string;
  /** Text of `extension.yaml` at the tag. */
  text: string;
  /** Names the tag in messages: `tag "v1.0.0" of git repository "…"`. */
  label: string;
  /** Used when the manifest has no description (the repository's own). */
  fallbackDescription?: string;
}

/**
 * Parses a tag's manifest and checks it names the extension the repository stands for.
 *
 * @param tag The manifest and where it came from.
 * @returns The manifest.
 * @throws {ProvisioningError} `INVALID_MANIFEST` for a bad manifest; `INVALID_EXTENSION`
 *   when it names another extension.
 */
export function parseTagManifest(tag: TagManifest): ExtensionManifest {
  const manifest = parseManifest(tag.text, `extension.yaml at ${tag.label}`);
  if (manifest.extension.name !== tag.name) {
    throw new ProvisioningError(
      "INVALID_EXTENSION",
      `The extension.yaml at ${tag.label} names "${manifest.extension.name}", not "${tag.name}"`,
      { hint: "An extension is found by its repository's name" },
    );
  }
  return manifest;
}

/**
 * The details of one version, from its manifest.
 *
 * @param tag The manifest and where it came from.
 * @param manifest The parsed manifest.
 * @returns The details.
 */
export function tagDetails(tag: TagManifest, manifest: ExtensionManifest): ExtensionVersionDetails {
  return {
    name: tag.name,
    type: manifest.extension.type,
    version: tag.version,
    source: tag.source,
    manifest,
    description: manifest.extension.description ?? tag.fallbackDescription ?? "",
    author: manifest.extension.author ?? null,
    license: manifest.metadata?.license ?? null,
    homepage: manifest.metadata?.homepage ?? null,
    repository: manifest.metadata?.repository ?? null,
    path: null,
    reference: null,
    digest: null,
    size: null,
    metadataFrom: "manifest",
  };
}

/**
 * The discovery row of a repository: its highest version's manifest and every version.
 *
 * @param tag The highest version's manifest and where it came from.
 * @param versions Every version, highest first.
 * @returns The row (`cached` empty: the caller marks cached versions).
 * @throws {ProvisioningError} As {@linkcode parseTagManifest}.
 */
export function tagEntry(tag: TagManifest, versions: string[]): DiscoveredExtension {
  const details = tagDetails(tag, parseTagManifest(tag));
  return {
    name: details.name,
    type: details.type,
    version: details.version,
    versions,
    source: tag.source,
    description: details.description,
    author: details.author,
    license: details.license,
    homepage: details.homepage,
    path: null,
    reference: null,
    digest: null,
    size: null,
    metadataFrom: "manifest",
    cached: [],
  };
}
