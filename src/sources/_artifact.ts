/**
 * What the `oci` and `oci-layout` sources share once they hold an image manifest: deciding
 * whether it is an extension (leniently, for ORAS-pushed artifacts), which layer holds the
 * tree, what type it declares, and saving it into the cache with the `extension.yaml` inside
 * validated — name, type and version compared with what was asked — before the entry
 * becomes visible. Private to the sources.
 *
 * @module
 */

import { join } from "node:path";
import { blobPath, extractArchive, makeScratchDir, saveOciToCache } from "../cache/mod.ts";
import type { BlobSource } from "../cache/types.ts";
import { ProvisioningError } from "../errors.ts";
import { readManifest } from "../manifest/mod.ts";
import { EXTENSION_TYPES, type ExtensionManifest, type ExtensionType } from "../manifest/mod.ts";
import {
  ANNOTATION_EXTENSION_TYPE,
  ANNOTATION_ORAS_CONTENT_UNPACK,
  ARTIFACT_TYPE_EXTENSION,
  type Descriptor,
  type ImageManifest,
  MEDIA_TYPE_EXTENSION_CONFIG,
  MEDIA_TYPE_LAYER_TAR,
  MEDIA_TYPE_LAYER_TAR_GZIP,
} from "../oci/mod.ts";
import { validateUnpackedTree } from "./_validate_tree.ts";
import { withOrigin } from "./from_cache_entry.ts";
import type { MaterializedExtension, MaterializeOptions, ResolvedVersion } from "./types.ts";

/** Config media types of container images: such an artifact is not an extension. */
const IMAGE_CONFIG_TYPES = [
  "application/vnd.oci.image.config.v1+json",
  "application/vnd.docker.container.image.v1+json",
];

/** Layer media types holding a tar (gzip-compressed or not). */
const TAR_LAYER_TYPES = [
  MEDIA_TYPE_LAYER_TAR_GZIP,
  MEDIA_TYPE_LAYER_TAR,
  "application/vnd.docker.image.rootfs.diff.tar.gzip",
];

/** Where an artifact was found, for the cache record and for messages. */
export interface ArtifactOrigin {
  /** `oci` or `oci-layout`. */
  source: "oci" | "oci-layout";
  /** `registry/repository:tag` or `layout-dir:tag`, for messages. */
  label: string;
  /** Registry `host[:port]` (OCI only). */
  registry?: string;
  /** Repository path, or the layout directory. */
  repository: string;
}

/** An image manifest and how to read the blobs it names. */
export interface ArtifactHandle {
  /** The image manifest. */
  manifest: ImageManifest;
  /** Its digest. */
  digest: string;
  /** The digest the tag names, when the manifest was chosen from an index. */
  tagDigest?: string;
  /** Reads a small blob (the config) whole, verified. */
  readBlob(descriptor: Descriptor): Promise<Uint8Array>;
  /** Opens a blob as a stream; the cache verifies digest and size as it flows. */
  openBlob(
    descriptor: Descriptor,
    onProgress?: (transferred: number, total: number) => void,
  ): Promise<ReadableStream<Uint8Array>>;
}

/**
 * Refuses manifests that are plainly not extensions (container images); anything else is
 * accepted here and judged by the `extension.yaml` inside its layer.
 */
export function checkArtifactKind(manifest: ImageManifest, label: string): void {
  if (manifest.artifactType === ARTIFACT_TYPE_EXTENSION) return;
  if (manifest.config.mediaType === MEDIA_TYPE_EXTENSION_CONFIG) return;
  if (IMAGE_CONFIG_TYPES.includes(manifest.config.mediaType)) {
    throw new ProvisioningError(
      "INVALID_EXTENSION",
      `Artifact "${label}" is a container image, not an extension`,
      { hint: "Extensions are pushed with `provisioning ext publish` or `oras push` of a folder" },
    );
  }
}

/** The layer holding the extension tree: the only one, or the one directory (tar) layer. */
export function chooseLayer(manifest: ImageManifest, label: string): Descriptor {
  const layers = manifest.layers;
  if (layers.length === 1) return layers[0]!;
  if (layers.length === 0) {
    throw new ProvisioningError("INVALID_EXTENSION", `Artifact "${label}" has no layers`);
  }
  const unpack = layers.filter((l) => l.annotations?.[ANNOTATION_ORAS_CONTENT_UNPACK] === "true");
  if (unpack.length === 1) return unpack[0]!;
  const tars = layers.filter((l) => TAR_LAYER_TYPES.includes(l.mediaType));
  if (tars.length === 1) return tars[0]!;
  throw new ProvisioningError(
    "UNSUPPORTED",
    `Artifact "${label}" has ${layers.length} layers; expected one layer holding the extension folder`,
    {
      hint:
        "Push the extension as one directory: `provisioning ext publish` or `oras push` of a folder",
    },
  );
}

/** The type an artifact declares (annotation, else our config blob), without its layer. */
export async function declaredType(
  handle: ArtifactHandle,
  name: string,
  label: string,
): Promise<ExtensionType | undefined> {
  const annotated = handle.manifest.annotations?.[ANNOTATION_EXTENSION_TYPE];
  if (isExtensionType(annotated)) return annotated;
  if (handle.manifest.config.mediaType !== MEDIA_TYPE_EXTENSION_CONFIG) return undefined;
  const bytes = await handle.readBlob(handle.manifest.config);
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ProvisioningError("INVALID_EXTENSION", `Config of "${label}" is not valid JSON`);
  }
  const extension = (config as { extension?: { name?: unknown; type?: unknown } } | null)
    ?.extension;
  if (typeof extension?.name === "string" && extension.name !== name) {
    throw new ProvisioningError(
      "INVALID_EXTENSION",
      `Artifact "${label}" holds extension "${extension.name}", not "${name}"`,
    );
  }
  return isExtensionType(extension?.type) ? extension.type : undefined;
}

function isExtensionType(value: unknown): value is ExtensionType {
  return typeof value === "string" && (EXTENSION_TYPES as readonly string[]).includes(value);
}

/**
 * Saves the artifact's layer into the cache as `{type}/{name}/{version}` (or returns the
 * entry already there): the type comes from the artifact, or from `options.type`, or — for
 * an artifact that says nothing — from the `extension.yaml` in its layer (downloaded once
 * into a temporary file for that). The unpacked tree is validated before it becomes visible.
 *
 * @throws {ProvisioningError} `TYPE_MISMATCH` when the artifact's type is not
 *   `options.type`; `INVALID_EXTENSION` / `INVALID_MANIFEST` when the tree does not hold a
 *   valid extension of that name, type and version; cache and transfer errors.
 */
export async function materializeArtifact(
  handle: ArtifactHandle,
  resolved: ResolvedVersion,
  origin: ArtifactOrigin,
  options: MaterializeOptions,
): Promise<MaterializedExtension> {
  const { label } = origin;
  const { name, version } = resolved;
  checkArtifactKind(handle.manifest, label);
  const layer = chooseLayer(handle.manifest, label);
  const declared = await declaredType(handle, name, label);
  if (declared !== undefined && options.type !== undefined && declared !== options.type) {
    throw typeMismatch(name, label, declared, options.type);
  }
  const progress = options.onProgress;
  const onProgress = progress === undefined
    ? undefined
    : (transferred: number, total: number) => progress({ name, version, transferred, total });
  let source: BlobSource = {
    digest: layer.digest,
    size: layer.size,
    mediaType: layer.mediaType,
    open: () => handle.openBlob(layer, onProgress),
  };
  const temps: AsyncDisposable[] = [];
  try {
    let type = declared ?? options.type;
    if (type === undefined) {
      const peeked = await peekLayer(source, options, temps);
      type = peeked.type;
      source = peeked.source;
    }
    const keyType: ExtensionType = type;
    if (options.force) {
      // A forced pull fetches the bytes again instead of unpacking the stored blob.
      await Promise.resolve().then(() => Deno.remove(blobPath(options.cacheRoot, layer.digest)))
        .catch(() => {});
    }
    let manifest: ExtensionManifest | undefined;
    const entry = await saveOciToCache(
      options.cacheRoot,
      { type: keyType, name, version },
      {
        layer: source,
        digest: handle.digest,
        repository: origin.repository,
        reference: resolved.spec,
        tag: resolved.ref,
        source: origin.source,
        ...(handle.tagDigest === undefined || handle.tagDigest === handle.digest
          ? {}
          : { tagDigest: handle.tagDigest }),
        ...(origin.registry === undefined ? {} : { registry: origin.registry }),
      },
      {
        force: options.force === true,
        ...(options.limits === undefined ? {} : { limits: options.limits }),
        validate: async (dir) => {
          manifest = await validateUnpackedTree(dir, `Artifact "${label}"`);
          checkIdentity(manifest, { name, version, type: keyType, label });
        },
      },
    );
    return {
      source: entry.source === "oci-layout" ? "oci-layout" : origin.source,
      name,
      type: entry.type,
      version: entry.version,
      path: entry.path,
      manifest: manifest ?? await readManifest(entry.path),
      ...(entry.digest === undefined ? {} : { digest: entry.digest }),
      ...withOrigin(entry),
      ...(entry.tagDigest === undefined ? {} : { tagDigest: entry.tagDigest }),
      fetched: manifest !== undefined,
    };
  } finally {
    for (const temp of temps) await temp[Symbol.asyncDispose]();
  }
}

function checkIdentity(
  manifest: ExtensionManifest,
  expected: { name: string; version: string; type: ExtensionType; label: string },
): void {
  const { name, version, type } = manifest.extension;
  if (name !== expected.name) {
    throw new ProvisioningError(
      "INVALID_EXTENSION",
      `Artifact "${expected.label}" holds extension "${name}", not "${expected.name}"`,
    );
  }
  if (type !== expected.type) throw typeMismatch(name, expected.label, type, expected.type);
  if (version !== expected.version) {
    throw new ProvisioningError(
      "INVALID_EXTENSION",
      `Artifact "${expected.label}" holds version "${version}" of "${name}", not "${expected.version}"`,
      { hint: "The tag and the extension.yaml inside disagree; republish the extension" },
    );
  }
}

function typeMismatch(
  name: string,
  label: string,
  actual: ExtensionType,
  wanted: ExtensionType,
): ProvisioningError {
  return new ProvisioningError(
    "TYPE_MISMATCH",
    `Extension "${name}" at "${label}" is a ${actual}, not a ${wanted}`,
    { hint: `Ask for --type ${actual}, or leave --type out` },
  );
}

/**
 * For an artifact that declares no type: downloads the layer once into a temporary file
 * (verified), unpacks it into a temporary folder to read its `extension.yaml`, and returns
 * the type with a source that reads the downloaded file. The temporary folder is a scratch
 * folder of the cache (`<cache root>/tmp`, never the system temporary directory: a scoped
 * run may write only under the cache root), created without following links; the cache's
 * sweep removes it if the process dies.
 */
async function peekLayer(
  layer: BlobSource,
  options: MaterializeOptions,
  temps: AsyncDisposable[],
): Promise<{ type: ExtensionType; source: BlobSource }> {
  const scratch = await makeScratchDir(options.cacheRoot, "peek");
  temps.push(scratch);
  const dir = scratch.path;
  const file = join(dir, "layer");
  await (await layer.open()).pipeTo((await Deno.create(file)).writable);
  const tree = join(dir, "tree");
  await extractArchive((await Deno.open(file)).readable, tree, options.limits);
  const manifest = await readManifest(await extensionRootOf(tree)).catch((error) => {
    throw new ProvisioningError(
      "INVALID_EXTENSION",
      "Artifact layer holds no valid extension.yaml",
      {
        cause: error,
        ...(error instanceof ProvisioningError
          ? { details: [error.message, ...error.details] }
          : {}),
      },
    );
  });
  const source: BlobSource = {
    digest: layer.digest,
    size: layer.size,
    open: async () => (await Deno.open(file)).readable,
    ...(layer.mediaType === undefined ? {} : { mediaType: layer.mediaType }),
  };
  return { type: manifest.extension.type, source };
}

/** The folder holding `extension.yaml`: the tree itself or its single top-level folder. */
async function extensionRootOf(tree: string): Promise<string> {
  const entries = await Array.fromAsync(Deno.readDir(tree));
  if (entries.some((e) => e.name === "extension.yaml")) return tree;
  const dirs = entries.filter((e) => e.isDirectory);
  return entries.length === 1 && dirs.length === 1 ? join(tree, dirs[0]!.name) : tree;
}
