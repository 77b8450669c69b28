/**
 * The OCI side of a package: the config blob and the image manifest bytes, serialised
 * deterministically so the same input always gives the same digests.
 *
 * @module
 */

import type { ExtensionManifest } from "../manifest/types.ts";
import { digestOf } from "../oci/digest.ts";
import { buildManifest } from "../oci/manifests.ts";
import {
  ANNOTATION_AUTHORS,
  ANNOTATION_CREATED,
  ANNOTATION_DESCRIPTION,
  ANNOTATION_EXTENSION_TYPE,
  ANNOTATION_LICENSES,
  ANNOTATION_ORAS_CONTENT_DIGEST,
  ANNOTATION_ORAS_CONTENT_UNPACK,
  ANNOTATION_SOURCE,
  ANNOTATION_TITLE,
  ANNOTATION_URL,
  ANNOTATION_VERSION,
  ARTIFACT_TYPE_EXTENSION,
  MEDIA_TYPE_EXTENSION_CONFIG,
  MEDIA_TYPE_IMAGE_MANIFEST,
  MEDIA_TYPE_LAYER_TAR_GZIP,
} from "./media_types.ts";
import type { PackagedConfig, PackagedManifest } from "./types.ts";

/** What {@linkcode buildImageManifest} needs to know about the layer. */
export interface LayerDescription {
  /** `sha256:<hex>` of the compressed layer. */
  digest: string;
  /** Byte length of the compressed layer. */
  size: number;
  /** `sha256:<hex>` of the uncompressed tar. */
  uncompressedDigest: string;
}

/** Input of {@linkcode buildImageManifest}. */
export interface ImageManifestInput {
  /** The manifest as published (its version is the published one). */
  extension: ExtensionManifest;
  /** The config blob's descriptor fields. */
  config: { digest: string; size: number };
  /** The layer. */
  layer: LayerDescription;
  /** `SOURCE_DATE_EPOCH` in seconds; when set, `org.opencontainers.image.created` is added. */
  sourceDateEpoch?: number;
}

/**
 * JSON with object keys sorted (recursively, by UTF-16 code unit, as `Array#sort`) and no
 * whitespace: the same value always gives the same bytes. `undefined` members are dropped.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "./artifact.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
 * ```
 *
 * @param value A JSON-compatible value.
 * @returns Its canonical JSON text.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) {
      sorted[key] = (item as Record<string, unknown>)[key];
    }
    return sorted;
  });
}

/**
 * The config blob: the extension manifest as canonical JSON
 * (`application/vnd.provisioning.extension.config.v1+json`).
 *
 * @example
 * ```ts
 * import { buildConfigBlob } from "./artifact.ts";
 * import assert from "node:assert/strict";
 *
 * const config = buildConfigBlob({ extension: { name: "aws", version: "1.0.0", type: "provider" } });
 * assert.equal(
 *   new TextDecoder().decode(config.bytes),
 *   '{"extension":{"name":"aws","type":"provider","version":"1.0.0"}}',
 * );
 * assert.match(config.digest, /^sha256:[0-9a-f]{64}$/);
 * ```
 *
 * @param extension The manifest as published.
 * @returns The blob, with digest, size, media type, bytes and `open()`.
 */
export function buildConfigBlob(extension: ExtensionManifest): PackagedConfig {
  const bytes = new TextEncoder().encode(canonicalJson(extension));
  return {
    digest: digestOf(bytes),
    size: bytes.length,
    mediaType: MEDIA_TYPE_EXTENSION_CONFIG,
    bytes,
    open: () => Promise.resolve(ReadableStream.from([bytes.slice()])),
  };
}

/**
 * Manifest annotations of an extension: `org.opencontainers.image.{title,version,
 * description,authors,url,source,licenses}` for the fields present,
 * `dev.provisioning.extension.type`, and `org.opencontainers.image.created` (RFC 3339, UTC)
 * only when `sourceDateEpoch` is given. Keys sorted.
 *
 * @example
 * ```ts
 * import { manifestAnnotations } from "./artifact.ts";
 * import assert from "node:assert/strict";
 *
 * const annotations = manifestAnnotations(
 *   { extension: { name: "aws", version: "1.0.0", type: "provider" } },
 *   1700000000,
 * );
 * assert.equal(annotations["org.opencontainers.image.created"], "2023-11-14T22:13:20Z");
 * assert.equal(annotations["dev.provisioning.extension.type"], "provider");
 * ```
 *
 * @param extension The manifest as published.
 * @param sourceDateEpoch `SOURCE_DATE_EPOCH` in seconds, if set.
 * @returns The annotations.
 */
export function manifestAnnotations(
  extension: ExtensionManifest,
  sourceDateEpoch?: number,
): Record<string, string> {
  const { name, version, type, description, author } = extension.extension;
  const metadata = extension.metadata ?? {};
  const pairs: [string, string | undefined][] = [
    [ANNOTATION_TITLE, name],
    [ANNOTATION_VERSION, version],
    [ANNOTATION_DESCRIPTION, description],
    [ANNOTATION_AUTHORS, author],
    [ANNOTATION_URL, metadata.homepage],
    [ANNOTATION_SOURCE, metadata.repository],
    [ANNOTATION_LICENSES, metadata.license],
    [ANNOTATION_EXTENSION_TYPE, type],
    [
      ANNOTATION_CREATED,
      sourceDateEpoch === undefined
        ? undefined
        : new Date(sourceDateEpoch * 1000).toISOString().replace(/\.000Z$/, "Z"),
    ],
  ];
  const present = pairs.filter((pair): pair is [string, string] =>
    typeof pair[1] === "string" && pair[1] !== ""
  );
  return Object.fromEntries(present.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The OCI image manifest of a package: `schemaVersion` 2, OCI 1.1 `artifactType`, the config
 * descriptor, one tar+gzip layer annotated the way `oras push` marks a directory (title =
 * extension name, digest of the uncompressed tar, unpack = `"true"`), and
 * {@linkcode manifestAnnotations}. Keys in a fixed order, annotation keys sorted, no
 * whitespace.
 *
 * @example
 * ```ts
 * import { buildConfigBlob, buildImageManifest } from "./artifact.ts";
 * import assert from "node:assert/strict";
 *
 * const extension = { extension: { name: "aws", version: "1.0.0", type: "provider" as const } };
 * const layer = { digest: `sha256:${"a".repeat(64)}`, size: 10, uncompressedDigest: `sha256:${"b".repeat(64)}` };
 * const manifest = buildImageManifest({ extension, config: buildConfigBlob(extension), layer });
 * const json = JSON.parse(new TextDecoder().decode(manifest.bytes));
 * assert.equal(json.artifactType, "application/vnd.provisioning.extension.v1");
 * assert.equal(json.layers[0].annotations["io.deis.oras.content.unpack"], "true");
 * ```
 *
 * @param input Manifest, config and layer.
 * @returns Digest, size, media type and bytes of the image manifest.
 */
export function buildImageManifest(input: ImageManifestInput): PackagedManifest {
  const { extension, config, layer } = input;
  const { bytes, digest } = buildManifest({
    artifactType: ARTIFACT_TYPE_EXTENSION,
    config: { mediaType: MEDIA_TYPE_EXTENSION_CONFIG, digest: config.digest, size: config.size },
    layers: [{
      mediaType: MEDIA_TYPE_LAYER_TAR_GZIP,
      digest: layer.digest,
      size: layer.size,
      annotations: {
        [ANNOTATION_ORAS_CONTENT_DIGEST]: layer.uncompressedDigest,
        [ANNOTATION_ORAS_CONTENT_UNPACK]: "true",
        [ANNOTATION_TITLE]: extension.extension.name,
      },
    }],
    annotations: manifestAnnotations(extension, input.sourceDateEpoch),
  });
  return { digest, size: bytes.length, mediaType: MEDIA_TYPE_IMAGE_MANIFEST, bytes };
}
