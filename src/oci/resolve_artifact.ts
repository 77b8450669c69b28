/**
 * The one manifest resolution of the project: a tag or digest (or a descriptor, for an OCI
 * layout's `index.json` entry) → the manifest or index it names → the extension's image
 * manifest, and its config. Pull, the `oci` and `oci-layout` sources, discovery metadata and
 * the publish type check all go through it, over any {@linkcode ReadOnlyTarget}.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { EXTENSION_TYPES, type ExtensionType } from "../manifest/types.ts";
import { type ContentOptions, fetchAll, type ReadOnlyTarget } from "./content.ts";
import { parseManifest } from "./manifests.ts";
import {
  ANNOTATION_EXTENSION_TYPE,
  ARTIFACT_TYPE_EXTENSION,
  INDEX_MANIFEST_TYPES,
  MEDIA_TYPE_EXTENSION_CONFIG,
} from "./media_types.ts";
import type { Descriptor, ImageIndex, ImageManifest } from "./types.ts";

/** How deep indexes may nest: an index of indexes of manifests. */
export const MAX_INDEX_DEPTH = 2;

/** How many children of one index are read to find the extension among them. */
const MAX_INSPECTED_CHILDREN = 16;

/** Largest config blob read. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** What {@linkcode resolveArtifact} found. */
export interface ResolvedArtifact {
  /**
   * What the reference named: the manifest itself, or the index it was chosen from (its
   * digest is the cache record's `tagDigest`).
   */
  root: Descriptor;
  /** The image manifest's descriptor (`root` when no index was involved). */
  descriptor: Descriptor;
  /** The image manifest. */
  manifest: ImageManifest;
  /** Its exact bytes. */
  bytes: Uint8Array;
  /** The index the reference named, when it was one. */
  index?: ImageIndex;
}

/** Options of {@linkcode resolveArtifact}. */
export interface ResolveArtifactOptions extends ContentOptions {
  /** Names the artifact in messages (default: the store's label). */
  label?: string;
}

/**
 * Resolves a reference to the extension's image manifest, reading every manifest verified.
 * An index is searched, not refused: a child whose descriptor carries the extension
 * `artifactType` wins at once; otherwise the children are read (up to 16, nested indexes up
 * to {@linkcode MAX_INDEX_DEPTH} deep) and the first whose manifest has that `artifactType`
 * or our config media type is taken; failing that, the one child without a `platform`, or
 * the only child.
 *
 * @example
 * ```ts
 * import { resolveArtifact } from "./resolve_artifact.ts";
 * import { digestOf } from "./digest.ts";
 * import assert from "node:assert/strict";
 *
 * const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
 * const empty = { mediaType: "application/vnd.oci.empty.v1+json", digest: digestOf(json({})), size: 2 };
 * const image = json({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
 *   config: { ...empty, mediaType: "application/vnd.oci.image.config.v1+json" }, layers: [] });
 * const ours = json({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
 *   artifactType: "application/vnd.provisioning.extension.v1", config: empty, layers: [] });
 * const d = (bytes: Uint8Array, extra = {}) => ({
 *   mediaType: "application/vnd.oci.image.manifest.v1+json", digest: digestOf(bytes),
 *   size: bytes.length, ...extra });
 * const index = json({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
 *   manifests: [d(image, { platform: { os: "linux", architecture: "amd64" } }), d(ours)] });
 * const blobs = new Map([image, ours, index].map((b) => [digestOf(b), b]));
 * const target = {
 *   label: "memory",
 *   fetch: (desc: { digest: string }) => Promise.resolve(ReadableStream.from([blobs.get(desc.digest)!])),
 *   resolve: () => Promise.resolve({ ...d(index), mediaType: "application/vnd.oci.image.index.v1+json" }),
 * };
 * const found = await resolveArtifact(target, "1.0.0");
 * assert.equal(found.descriptor.digest, digestOf(ours));
 * assert.equal(found.root.digest, digestOf(index));
 * ```
 *
 * @param target The store.
 * @param reference A tag or digest, or the descriptor of the manifest or index.
 * @param options Label and abort signal.
 * @returns The image manifest, its descriptor, bytes, and the root it was found from.
 * @throws {ProvisioningError} `UNSUPPORTED` for an index with no extension manifest or
 *   nested too deep, or Docker schema 1; `DIGEST_MISMATCH` / `SIZE_MISMATCH` for a corrupt
 *   manifest; `REGISTRY_ERROR` for a malformed one; the store's errors (`NOT_FOUND`…).
 */
export async function resolveArtifact(
  target: ReadOnlyTarget,
  reference: string | Descriptor,
  options: ResolveArtifactOptions = {},
): Promise<ResolvedArtifact> {
  const label = options.label ?? target.label;
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  let root: Descriptor;
  let bytes: Uint8Array;
  if (typeof reference === "string" && target.fetchReference !== undefined) {
    ({ descriptor: root, bytes } = await target.fetchReference(reference, signal));
  } else {
    root = typeof reference === "string" ? await target.resolve(reference, signal) : reference;
    bytes = await fetchAll(target, root, { ...signal, label: `manifest "${label}"` });
  }
  const parsed = parseManifest(bytes, root.mediaType, label);
  root = { ...root, mediaType: parsed.mediaType || root.mediaType };
  if (parsed.kind === "manifest") {
    return { root, descriptor: root, manifest: parsed.manifest, bytes };
  }
  const walk = new IndexWalk(target, label, signal);
  const chosen = await walk.choose(parsed.index, 1);
  return { root, ...chosen, index: parsed.index };
}

/** A manifest read out of an index. */
interface Child {
  descriptor: Descriptor;
  manifest: ImageManifest;
  bytes: Uint8Array;
}

/** The search through an index and the indexes below it. */
class IndexWalk {
  readonly #target: ReadOnlyTarget;
  readonly #label: string;
  readonly #options: ContentOptions;

  constructor(target: ReadOnlyTarget, label: string, options: ContentOptions) {
    this.#target = target;
    this.#label = label;
    this.#options = options;
  }

  /** The extension manifest of `index` (at nesting `depth`, 1 for the top). */
  async choose(index: ImageIndex, depth: number): Promise<Child> {
    const found = await this.#search(index, depth);
    if (found.sure !== undefined) return found.sure;
    const platformless = found.read.filter((c) => c.descriptor.platform === undefined);
    if (platformless.length === 1) return platformless[0]!;
    if (index.manifests.length === 1 && found.read.length === 1) return found.read[0]!;
    const count = index.manifests.length;
    throw new ProvisioningError(
      "UNSUPPORTED",
      found.tooDeep && found.read.length === 0
        ? `Index "${this.#label}" nests indexes more than ${MAX_INDEX_DEPTH} deep`
        : `Index "${this.#label}" has ${count} manifest${
          count === 1 ? "" : "s"
        } and none is an extension`,
      {
        hint:
          `Pull a specific manifest by digest, or push with artifactType "${ARTIFACT_TYPE_EXTENSION}"`,
      },
    );
  }

  /** A sure match, or every manifest read (for the fallbacks). */
  async #search(
    index: ImageIndex,
    depth: number,
  ): Promise<{ sure?: Child; read: Child[]; tooDeep?: boolean }> {
    const marked = index.manifests.find((d) => d.artifactType === ARTIFACT_TYPE_EXTENSION);
    if (marked !== undefined && !isIndex(marked)) {
      return { sure: await this.#read(marked), read: [] };
    }
    const read: Child[] = [];
    let tooDeep = false;
    for (const child of index.manifests.slice(0, MAX_INSPECTED_CHILDREN)) {
      // A child that names another artifact type (a signature, an SBOM) is not ours.
      if (child.artifactType !== undefined && child !== marked) continue;
      if (isIndex(child)) {
        if (depth >= MAX_INDEX_DEPTH) {
          tooDeep = true;
          continue;
        }
        const inner = await this.#readIndex(child);
        const nested = await this.#search(inner, depth + 1);
        if (nested.sure !== undefined) return { sure: nested.sure, read };
        tooDeep ||= nested.tooDeep === true;
        if (inner.manifests.length === 1 && nested.read.length === 1) read.push(nested.read[0]!);
        continue;
      }
      const manifest = await this.#read(child);
      if (isExtensionManifest(manifest.manifest)) return { sure: manifest, read };
      read.push(manifest);
    }
    return { read, tooDeep };
  }

  async #bytes(descriptor: Descriptor): Promise<Uint8Array> {
    return await fetchAll(this.#target, descriptor, {
      ...this.#options,
      label: `manifest "${descriptor.digest}" of "${this.#label}"`,
    });
  }

  async #read(descriptor: Descriptor): Promise<Child> {
    const bytes = await this.#bytes(descriptor);
    const parsed = parseManifest(bytes, descriptor.mediaType, this.#label);
    if (parsed.kind === "index") return await this.choose(parsed.index, MAX_INDEX_DEPTH);
    return { descriptor, manifest: parsed.manifest, bytes };
  }

  async #readIndex(descriptor: Descriptor): Promise<ImageIndex> {
    const parsed = parseManifest(await this.#bytes(descriptor), descriptor.mediaType, this.#label);
    if (parsed.kind === "index") return parsed.index;
    return { schemaVersion: 2, manifests: [{ ...descriptor, mediaType: parsed.mediaType }] };
  }
}

function isIndex(descriptor: Descriptor): boolean {
  return INDEX_MANIFEST_TYPES.includes(descriptor.mediaType);
}

/** Whether a manifest says it is an extension (artifact type or config media type). */
function isExtensionManifest(manifest: ImageManifest): boolean {
  return manifest.artifactType === ARTIFACT_TYPE_EXTENSION ||
    manifest.config.mediaType === MEDIA_TYPE_EXTENSION_CONFIG;
}

/** What an artifact says about itself without its layers. */
export interface DeclaredIdentity {
  /** `extension.name` of our config, when it has one. */
  name?: string;
  /** The `dev.provisioning.extension.type` annotation, else `extension.type` of our config. */
  type?: ExtensionType;
  /** Our config blob parsed as JSON (undefined for other config media types). */
  config?: unknown;
}

/**
 * Reads what an image manifest declares: its type annotation and, for our config media
 * type, the config blob (verified, at most 1 MiB) parsed as JSON — never a layer.
 *
 * @example
 * ```ts
 * import { readDeclaredIdentity } from "./resolve_artifact.ts";
 * import assert from "node:assert/strict";
 *
 * const target = { label: "m", fetch: () => Promise.reject(new Error("no blobs")),
 *   resolve: () => Promise.reject(new Error("no tags")) };
 * const manifest = { schemaVersion: 2 as const,
 *   config: { mediaType: "application/vnd.oci.empty.v1+json", digest: "sha256:" + "0".repeat(64), size: 2 },
 *   layers: [], annotations: { "dev.provisioning.extension.type": "cluster" } };
 * assert.deepEqual(await readDeclaredIdentity(target, manifest, "m:1"), { type: "cluster" });
 * ```
 *
 * @param target The store.
 * @param manifest The image manifest.
 * @param label Names the artifact in messages.
 * @param options Abort signal.
 * @returns Name, type and parsed config, each when declared.
 * @throws {ProvisioningError} `INVALID_EXTENSION` when our config is not JSON; integrity
 *   and store errors.
 */
export async function readDeclaredIdentity(
  target: ReadOnlyTarget,
  manifest: ImageManifest,
  label: string,
  options: ContentOptions = {},
): Promise<DeclaredIdentity> {
  const out: DeclaredIdentity = {};
  const annotated = manifest.annotations?.[ANNOTATION_EXTENSION_TYPE];
  if (isExtensionType(annotated)) out.type = annotated;
  if (manifest.config.mediaType !== MEDIA_TYPE_EXTENSION_CONFIG) return out;
  const bytes = await fetchAll(target, manifest.config, {
    ...options,
    maxBytes: MAX_CONFIG_BYTES,
    label: `config of "${label}"`,
  });
  try {
    out.config = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ProvisioningError("INVALID_EXTENSION", `Config of "${label}" is not valid JSON`);
  }
  const extension = (out.config as { extension?: { name?: unknown; type?: unknown } } | null)
    ?.extension;
  if (typeof extension?.name === "string") out.name = extension.name;
  if (out.type === undefined && isExtensionType(extension?.type)) out.type = extension.type;
  return out;
}

function isExtensionType(value: unknown): value is ExtensionType {
  return typeof value === "string" && (EXTENSION_TYPES as readonly string[]).includes(value);
}
