/**
 * The content walk the `oci` and `oci-layout` sources share, over any content store
 * (`ReadOnlyTarget`: a registry repository or an OCI layout): resolve the reference to the
 * extension's manifest (`resolveArtifact`, which searches an index), decide whether it is an
 * extension (leniently, for ORAS-pushed artifacts), lay its layers out the way `oras pull`
 * does (a directory layer unpacked, single-file layers written under their titles), read the
 * type it declares, and save it into the cache — each layer hashed once on its way to disk,
 * the `extension.yaml` inside validated (name, type and version compared with what was
 * asked) before the entry becomes visible. Private to the sources.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import {
  blobPath,
  extractArchive,
  makeScratchDir,
  recordBlobOrigins,
  resolveCacheRoot,
  saveOciToCache,
  storeBlob,
  type TreePart,
} from "../cache/mod.ts";
import type { BlobSource } from "../cache/types.ts";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { parseManifest, readManifest } from "../manifest/mod.ts";
import type { ExtensionManifest, ExtensionType } from "../manifest/mod.ts";
import {
  ANNOTATION_ORAS_CONTENT_DIGEST,
  ANNOTATION_ORAS_CONTENT_UNPACK,
  ANNOTATION_TITLE,
  ANNOTATION_VERSION,
  ARTIFACT_TYPE_EXTENSION,
  type Descriptor,
  fetchAll,
  type ImageManifest,
  MEDIA_TYPE_EXTENSION_CONFIG,
  MEDIA_TYPE_LAYER_TAR,
  MEDIA_TYPE_LAYER_TAR_GZIP,
  readDeclaredIdentity,
  type ReadOnlyTarget,
  resolveArtifact,
} from "../oci/mod.ts";
import { isSemver } from "../versions/mod.ts";
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

/** How an artifact's layers make the extension tree. */
export type LayerPlan =
  /** One archive (a directory layer, or an untitled tar) unpacked at the tree's root. */
  | { kind: "archive"; layer: Descriptor; contentDigest?: string }
  /** Several layers, each a file or a directory at its title (what `oras pull` writes). */
  | { kind: "parts"; parts: { layer: Descriptor; part: Omit<TreePart, "blob"> }[] };

/**
 * Lays an artifact's layers out the way `oras pull` does: a layer marked
 * `io.deis.oras.content.unpack: "true"` is a directory (tar+gzip) unpacked under its title,
 * its `io.deis.oras.content.digest` checked; any other titled layer is one file written at
 * its title, whatever its media type; untitled layers are skipped — except an untitled tar,
 * which is the extension tree itself when it is the only layer (images built by other
 * tools). One directory layer alone is unpacked at the root (the extension folder inside it
 * is found there). Titles are checked like archive entry names when the tree is built.
 *
 * @example
 * ```ts
 * import { planLayers } from "./_artifact.ts";
 * import assert from "node:assert/strict";
 *
 * const layer = (title: string) => ({
 *   mediaType: "application/vnd.oci.image.layer.v1.tar", digest: "sha256:" + "1".repeat(64),
 *   size: 1, annotations: { "org.opencontainers.image.title": title },
 * });
 * const config = { mediaType: "application/vnd.oci.empty.v1+json", digest: "sha256:" + "0".repeat(64), size: 2 };
 * const plan = planLayers({ schemaVersion: 2, config, layers: [layer("extension.yaml"), layer("kcl/main.k")] }, "x");
 * assert.equal(plan.kind, "parts");
 * assert.deepEqual(plan.kind === "parts" && plan.parts.map((p) => p.part.path), ["extension.yaml", "kcl/main.k"]);
 * ```
 */
export function planLayers(manifest: ImageManifest, label: string): LayerPlan {
  const layers = manifest.layers;
  if (layers.length === 0) {
    throw new ProvisioningError("INVALID_EXTENSION", `Artifact "${label}" has no layers`);
  }
  const parts: { layer: Descriptor; part: Omit<TreePart, "blob"> }[] = [];
  for (const layer of layers) {
    const title = layer.annotations?.[ANNOTATION_TITLE];
    const unpack = layer.annotations?.[ANNOTATION_ORAS_CONTENT_UNPACK] === "true";
    const contentDigest = layer.annotations?.[ANNOTATION_ORAS_CONTENT_DIGEST];
    if (unpack) {
      parts.push({
        layer,
        part: {
          path: title ?? "",
          kind: "archive",
          ...(contentDigest === undefined ? {} : { contentDigest }),
        },
      });
    } else if (title !== undefined) {
      parts.push({ layer, part: { path: title, kind: "file" } });
    } else if (layers.length === 1 && TAR_LAYER_TYPES.includes(layer.mediaType)) {
      parts.push({ layer, part: { path: "", kind: "archive" } });
    }
  }
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only !== undefined && only.part.kind === "archive") {
    return {
      kind: "archive",
      layer: only.layer,
      ...(only.part.contentDigest === undefined ? {} : { contentDigest: only.part.contentDigest }),
    };
  }
  if (parts.length === 0) {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `Artifact "${label}" has ${layers.length} layer${
        layers.length === 1 ? "" : "s"
      } and none is titled or a folder`,
      {
        hint: "Push the extension with `provisioning ext publish`, or with `oras push` of its " +
          "folder or of its files (each layer titled with its path)",
      },
    );
  }
  return { kind: "parts", parts };
}

/**
 * What a content digest holds, for a digest reference: resolves it (an index: the extension's
 * manifest in it) and reads the version and type the artifact declares (annotations, else our
 * config), never a layer.
 *
 * @param target The store.
 * @param digest The manifest or index digest.
 * @param label Names the artifact in messages (`registry/repo@sha256:…`).
 * @returns The declared version and, when declared, the type.
 * @throws {ProvisioningError} `UNSUPPORTED` when the artifact declares no version (an ORAS
 *   push without annotations: load it by tag); `INVALID_EXTENSION` for a version that is not
 *   semver; the store's errors (`NOT_FOUND` for an unknown digest, `DIGEST_MISMATCH`).
 */
export async function declaredVersionAt(
  target: ReadOnlyTarget,
  digest: string,
  label: string,
): Promise<{ version: string; type?: ExtensionType }> {
  const found = await resolveArtifact(target, digest, { label });
  checkArtifactKind(found.manifest, label);
  const declared = await readDeclaredIdentity(target, found.manifest, label);
  if (declared.version === undefined) {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `Artifact "${label}" does not say which version it holds`,
      { hint: `It declares no ${ANNOTATION_VERSION} annotation or config; load it by tag` },
    );
  }
  if (!isSemver(declared.version)) {
    throw new ProvisioningError(
      "INVALID_EXTENSION",
      `Artifact "${label}" declares version "${declared.version}", which is not semver`,
    );
  }
  return { version: declared.version, ...(declared.type ? { type: declared.type } : {}) };
}

/**
 * Resolves `reference` in `target` and saves the extension into the cache as
 * `{type}/{name}/{version}` (or returns the entry already there): the type comes from the
 * artifact, or from `options.type`, or — for an artifact that says nothing — from the
 * `extension.yaml` in its layers (a directory layer is stored in the cache's `blobs/` once,
 * verified, and unpacked from there to read it; a file layer titled `extension.yaml` is read
 * alone). The unpacked tree is validated before it becomes visible. Layer bytes reach the
 * cache unhashed from the store and are hashed there, once.
 *
 * @throws {ProvisioningError} `TYPE_MISMATCH` when the artifact's type is not
 *   `options.type`; `INVALID_EXTENSION` / `INVALID_MANIFEST` when the tree does not hold a
 *   valid extension of that name, type and version; `DIGEST_MISMATCH` (exit 5) naming the
 *   layer and the artifact for a corrupt layer or a wrong `io.deis.oras.content.digest`;
 *   `UNSAFE_ARCHIVE` for a layer title that leaves the tree; cache and transfer errors.
 */
export async function materializeArtifact(
  target: ReadOnlyTarget,
  reference: string | Descriptor,
  resolved: ResolvedVersion,
  origin: ArtifactOrigin,
  options: MaterializeOptions,
): Promise<MaterializedExtension> {
  const { label } = origin;
  const { name, version } = resolved;
  const found = await resolveArtifact(target, reference, { label });
  checkArtifactKind(found.manifest, label);
  // The signature gate sees the digest the reference names, before any layer is read.
  const verified = await options.verify?.({
    source: origin.source,
    registry: origin.registry,
    repository: origin.repository,
    digest: found.root.digest,
  });
  const signer = verified?.signer;
  const plan = planLayers(found.manifest, label);
  const declared = await readDeclaredIdentity(target, found.manifest, label);
  if (declared.name !== undefined && declared.name !== name) {
    throw new ProvisioningError(
      "INVALID_EXTENSION",
      `Artifact "${label}" holds extension "${declared.name}", not "${name}"`,
    );
  }
  if (
    declared.type !== undefined && options.type !== undefined && declared.type !== options.type
  ) {
    throw typeMismatch(name, label, declared.type, options.type);
  }
  const blob = (layer: Descriptor): BlobSource => ({
    digest: layer.digest,
    size: layer.size,
    mediaType: layer.mediaType,
    open: () => target.fetch(layer),
  });
  const progress = options.onProgress;
  const onProgress = progress === undefined
    ? undefined
    : (transferred: number, total: number) => progress({ name, version, transferred, total });
  if (options.force && plan.kind === "archive") {
    // A forced pull fetches the bytes again instead of unpacking the stored blob.
    await Promise.resolve().then(() => Deno.remove(blobPath(options.cacheRoot, plan.layer.digest)))
      .catch(() => {});
  }
  const peeked: string[] = [];
  try {
    const type = declared.type ?? options.type ??
      await peekType(target, plan, blob, label, options, peeked, onProgress);
    let manifest: ExtensionManifest | undefined;
    const layers = plan.kind === "archive"
      ? {
        layer: blob(plan.layer),
        ...(plan.contentDigest === undefined ? {} : { contentDigest: plan.contentDigest }),
      }
      : { parts: plan.parts.map(({ layer, part }) => ({ ...part, blob: blob(layer) })) };
    const entry = await saveOciToCache(
      options.cacheRoot,
      { type, name, version },
      {
        ...layers,
        label,
        digest: found.descriptor.digest,
        repository: origin.repository,
        reference: resolved.spec,
        tag: resolved.ref,
        source: origin.source,
        ...(found.root.digest === found.descriptor.digest ? {} : { tagDigest: found.root.digest }),
        ...(origin.registry === undefined ? {} : { registry: origin.registry }),
        ...(signer === undefined ? {} : { signer }),
      },
      {
        force: options.force === true,
        ...(options.limits === undefined ? {} : { limits: options.limits }),
        ...(onProgress === undefined ? {} : { onProgress }),
        validate: async (dir) => {
          manifest = await validateUnpackedTree(dir, `Artifact "${label}"`, options.onWarning);
          checkIdentity(manifest, { name, version, type, label });
        },
      },
    );
    peeked.length = 0; // the stored blob now belongs to the entry
    if (manifest !== undefined && origin.registry !== undefined) {
      // Where these blobs are, for a later publish to mount them from (a hint, best effort).
      await recordBlobOrigins(options.cacheRoot, origin.registry, origin.repository, [
        found.manifest.config.digest,
        ...found.manifest.layers.map((l) => l.digest),
      ]).catch(() => {});
    }
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
      ...(entry.signer === undefined ? {} : { signer: entry.signer }),
    };
  } finally {
    // A blob stored only to read the type of an artifact that was then refused goes again.
    for (const path of peeked) await Deno.remove(path).catch(() => {});
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
 * For an artifact that declares no type: the `extension.yaml` among its layers. A file layer
 * titled `extension.yaml` is read alone (verified, at most 1 MiB); otherwise each directory
 * layer is stored in `blobs/` (verified, once — the save then unpacks it from there) and
 * unpacked into a scratch folder of the cache (`<cache root>/tmp`, never the system
 * temporary directory: a scoped run may write only under the cache root), created without
 * following links; the cache's sweep removes it if the process dies. Blob paths stored here are pushed
 * onto `stored`, for the caller to remove should the save not take them.
 */
async function peekType(
  target: ReadOnlyTarget,
  plan: LayerPlan,
  blob: (layer: Descriptor) => BlobSource,
  label: string,
  options: MaterializeOptions,
  stored: string[],
  onProgress: ((transferred: number, total: number) => void) | undefined,
): Promise<ExtensionType> {
  const parts = plan.kind === "archive"
    ? [{ layer: plan.layer, part: { path: "", kind: "archive" as const } }]
    : plan.parts;
  const file = parts.find(({ part }) => part.kind === "file" && part.path === "extension.yaml");
  if (file !== undefined) {
    const bytes = await fetchAll(target, file.layer, {
      maxBytes: 1024 * 1024,
      label: `layer "${file.layer.digest}" of "${label}"`,
    });
    const text = new TextDecoder().decode(bytes);
    return noManifest(() => parseManifest(text, `extension.yaml of "${label}"`)).extension.type;
  }
  const root = (await resolveCacheRoot(options.cacheRoot, { create: true }))!;
  for (const { layer, part } of parts) {
    if (part.kind !== "archive") continue;
    const kept = await storeBlob(root, blob(layer), {
      label: `layer "${layer.digest}" of "${label}"`,
      ...(onProgress === undefined ? {} : {
        onProgress: (p: { transferred: number; total: number }) =>
          onProgress(p.transferred, p.total),
      }),
    });
    if (kept.stored) stored.push(kept.path);
    await using scratch = await makeScratchDir(root, "peek");
    {
      const tree = join(scratch.path, "tree");
      await extractArchive((await Deno.open(kept.path)).readable, tree, options.limits, {
        label: `layer "${layer.digest}" of "${label}"`,
        ...(part.contentDigest === undefined ? {} : { contentDigest: part.contentDigest }),
      });
      const at = await extensionRootOf(tree);
      if (at !== undefined) return (await noManifest(() => readManifest(at))).extension.type;
    }
  }
  return noManifest(() => {
    throw new ProvisioningError("INVALID_EXTENSION", `Artifact "${label}" has no extension.yaml`);
  });
}

/** Runs `read`, reporting a failure as a layer without a valid `extension.yaml`. */
function noManifest<T>(read: () => T): T {
  const fail = (error: unknown): never => {
    if (
      isProvisioningError(error, "DIGEST_MISMATCH") || isProvisioningError(error, "SIZE_MISMATCH")
    ) {
      throw error;
    }
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
  };
  try {
    const value = read();
    return (value instanceof Promise ? value.catch(fail) : value) as T;
  } catch (error) {
    return fail(error);
  }
}

/** The folder holding `extension.yaml`: the tree itself or its single top-level folder. */
async function extensionRootOf(tree: string): Promise<string | undefined> {
  const entries = await Array.fromAsync(Deno.readDir(tree));
  if (entries.some((e) => e.name === "extension.yaml")) return tree;
  const dirs = entries.filter((e) => e.isDirectory);
  if (entries.length !== 1 || dirs.length !== 1) return undefined;
  const inner = join(tree, dirs[0]!.name);
  return (await Array.fromAsync(Deno.readDir(inner))).some((e) => e.name === "extension.yaml")
    ? inner
    : undefined;
}
