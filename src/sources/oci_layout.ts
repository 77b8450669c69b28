/**
 * Reading an OCI image layout (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`) — what
 * `skopeo copy … oci:DIR:TAG` or `oras copy --to-oci-layout` writes — as a registry-less
 * store of extensions ({@linkcode createLayoutTarget}: the same content-store shape as a
 * registry repository, so the same resolution and ingest serve both). Every manifest and
 * config read is digest-checked; layers are opened as streams for the cache, which checks
 * them as they flow.
 *
 * A layout path is either a layout itself, whose `index.json` entries name their extension
 * in `org.opencontainers.image.ref.name` (`aws:1.0.0`, `reg/ns/aws:1.0.0`) or, for a bare
 * tag (`1.0.0`), in the manifest's `org.opencontainers.image.title`; or a folder of layouts,
 * one per extension (`<path>/<name>/`), whose entries are tagged with the version alone.
 *
 * @module
 */

import { basename, join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import {
  ANNOTATION_EXTENSION_TYPE,
  ANNOTATION_TITLE,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  isDigest,
  type ReadOnlyTarget,
  resolveArtifact,
} from "../oci/mod.ts";

/** The annotation naming an entry of `index.json`. */
export const ANNOTATION_REF_NAME = "org.opencontainers.image.ref.name";

/** One tagged entry of a layout's `index.json` that belongs to an extension. */
export interface LayoutEntry {
  /** The layout directory. */
  layout: string;
  /** Extension name. */
  name: string;
  /** The tag (`1.2.3`, `v1.2.3`, `1.2.3_b.1`). */
  tag: string;
  /** The descriptor in `index.json` (a manifest or an index). */
  descriptor: Descriptor;
  /** The type the manifest's annotation declares, when it was read. */
  type?: string;
}

/** A manifest read from a layout, with its digest. */
export interface LayoutManifest {
  manifest: ImageManifest;
  digest: string;
}

/**
 * Whether `dir` holds an OCI layout (an `oci-layout` file).
 *
 * @example
 * ```ts
 * import { isOciLayout } from "./oci_layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await isOciLayout("/nonexistent"), false);
 * ```
 *
 * @param dir A directory.
 * @returns True when `dir/oci-layout` is a file.
 */
export async function isOciLayout(dir: string): Promise<boolean> {
  try {
    return (await Deno.stat(join(dir, "oci-layout"))).isFile;
  } catch {
    return false;
  }
}

/**
 * The entries of extension `name` under one layout path (a layout, or a folder holding a
 * layout per extension). A path that does not exist yields nothing.
 *
 * @example
 * ```ts
 * import { readLayoutEntries } from "./oci_layout.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/oci-layout`, '{"imageLayoutVersion":"1.0.0"}');
 * await Deno.writeTextFile(`${dir}/index.json`, JSON.stringify({
 *   schemaVersion: 2,
 *   manifests: [{
 *     mediaType: "application/vnd.oci.image.manifest.v1+json",
 *     digest: "sha256:" + "0".repeat(64), size: 2,
 *     annotations: { "org.opencontainers.image.ref.name": "aws:1.0.0" },
 *   }],
 * }));
 * const entries = await readLayoutEntries(dir, "aws");
 * assert.deepEqual(entries.map((e) => e.tag), ["1.0.0"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param path A configured layout path.
 * @param name Extension name.
 * @returns The entries, in `index.json` order.
 * @throws {ProvisioningError} `INVALID_CONFIG` for an unreadable or malformed `index.json`;
 *   `DIGEST_MISMATCH` when a manifest read to learn its name does not match its digest.
 */
export async function readLayoutEntries(path: string, name: string): Promise<LayoutEntry[]> {
  if (await isOciLayout(path)) {
    return await entriesOf(path, name, basename(path) === name);
  }
  const own = join(path, name);
  if (await isOciLayout(own)) return await entriesOf(own, name, true);
  return [];
}

async function entriesOf(layout: string, name: string, bareTagsAreOurs: boolean) {
  const index = await readIndexJson(layout);
  const entries: LayoutEntry[] = [];
  for (const descriptor of index.manifests) {
    const refName = descriptor.annotations?.[ANNOTATION_REF_NAME];
    if (refName === undefined || refName.includes("@")) continue;
    const tail = refName.slice(refName.lastIndexOf("/") + 1);
    const colon = tail.indexOf(":");
    if (colon >= 0) {
      if (tail.slice(0, colon) === name) {
        entries.push({ layout, name, tag: tail.slice(colon + 1), descriptor });
      }
      continue;
    }
    if (refName.includes("/")) continue;
    // A bare tag: the manifest says whose it is.
    const { manifest } = await readLayoutManifest(layout, descriptor, `${layout}:${refName}`);
    const title = manifest.annotations?.[ANNOTATION_TITLE];
    if (title === name || (title === undefined && bareTagsAreOurs)) {
      const type = manifest.annotations?.[ANNOTATION_EXTENSION_TYPE];
      entries.push({
        layout,
        name,
        tag: refName,
        descriptor,
        ...(type === undefined ? {} : { type }),
      });
    }
  }
  return entries;
}

/**
 * The layouts a `layout_paths` entry holds: itself when it is one, else its sub-folders that
 * are (a folder of layouts, one per extension or per copy).
 *
 * @example
 * ```ts
 * import { layoutFolders } from "./oci_layout.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/aws`);
 * await Deno.writeTextFile(`${dir}/aws/oci-layout`, '{"imageLayoutVersion":"1.0.0"}');
 * assert.deepEqual(await layoutFolders(dir), [`${dir}/aws`]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param path A configured layout path.
 * @returns The layout folders, sorted.
 */
export async function layoutFolders(path: string): Promise<string[]> {
  if (await isOciLayout(path)) return [path];
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(path)) {
      if (entry.isDirectory && await isOciLayout(join(path, entry.name))) {
        found.push(join(path, entry.name));
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found.sort();
}

/**
 * The extension names a layout's `index.json` lists: `NAME:TAG` entries by name, and the
 * folder's own name for bare tags (a layout made by `skopeo copy … oci:DIR/NAME:TAG`).
 *
 * @param layout A layout folder.
 * @returns The names, sorted.
 * @throws {ProvisioningError} `INVALID_CONFIG` for an unreadable index.
 */
export async function layoutNames(layout: string): Promise<string[]> {
  const names = new Set<string>();
  for (const descriptor of (await readIndexJson(layout)).manifests) {
    const refName = descriptor.annotations?.[ANNOTATION_REF_NAME];
    if (refName === undefined || refName.includes("@")) continue;
    const tail = refName.slice(refName.lastIndexOf("/") + 1);
    const colon = tail.indexOf(":");
    names.add(colon >= 0 ? tail.slice(0, colon) : basename(layout));
  }
  return [...names].sort();
}

async function readIndexJson(layout: string): Promise<ImageIndex> {
  const file = join(layout, "index.json");
  let data: unknown;
  try {
    data = JSON.parse(await Deno.readTextFile(file));
  } catch (error) {
    throw new ProvisioningError("INVALID_CONFIG", `Cannot read OCI layout index "${file}"`, {
      cause: error,
      hint:
        "Check [extensions] layout_paths: each must be an OCI image layout (or a folder of them)",
    });
  }
  const manifests = (data as { manifests?: unknown } | null)?.manifests;
  if (!Array.isArray(manifests)) {
    throw new ProvisioningError(
      "INVALID_CONFIG",
      `OCI layout index "${file}" has no "manifests" list`,
    );
  }
  return {
    schemaVersion: 2,
    manifests: manifests.filter((d): d is Descriptor =>
      typeof d === "object" && d !== null && typeof d.digest === "string" &&
      typeof d.mediaType === "string" && typeof d.size === "number"
    ),
  };
}

/**
 * The path of a blob inside a layout.
 *
 * @example
 * ```ts
 * import { layoutBlobPath } from "./oci_layout.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(layoutBlobPath("/l", "sha256:" + "a".repeat(64)), "/l/blobs/sha256/" + "a".repeat(64));
 * assert.throws(() => layoutBlobPath("/l", "sha256:../../etc/passwd"));
 * ```
 *
 * @param layout The layout directory.
 * @param digest `algorithm:hex`.
 * @returns `<layout>/blobs/<algorithm>/<hex>`.
 * @throws {ProvisioningError} `INVALID_REFERENCE` when `digest` is not a digest.
 */
export function layoutBlobPath(layout: string, digest: string): string {
  if (!isDigest(digest)) {
    throw new ProvisioningError("INVALID_REFERENCE", `"${digest}" is not a digest`);
  }
  const [algorithm, hex] = digest.split(":") as [string, string];
  return join(layout, "blobs", algorithm, hex);
}

/**
 * An OCI layout as a read-only content store (`ReadOnlyTarget`): `resolve` finds a digest or
 * an entry's exact `org.opencontainers.image.ref.name` among `index.json`'s entries, `fetch` opens `blobs/<alg>/<hex>` as it is on disk.
 * Bytes are not hashed here; readers verify them (`fetchAll`, the cache's ingest), as for a
 * registry.
 *
 * @example
 * ```ts
 * import { createLayoutTarget } from "./oci_layout.ts";
 * import { digestOf, fetchAll } from "../oci/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const layout = await Deno.makeTempDir();
 * const bytes = new TextEncoder().encode("{}");
 * const digest = digestOf(bytes);
 * await Deno.mkdir(`${layout}/blobs/sha256`, { recursive: true });
 * await Deno.writeFile(`${layout}/blobs/sha256/${digest.slice(7)}`, bytes);
 * const target = createLayoutTarget(layout);
 * const descriptor = { mediaType: "application/json", digest, size: 2 };
 * assert.deepEqual(await fetchAll(target, descriptor), bytes);
 * await Deno.writeTextFile(`${layout}/blobs/sha256/${digest.slice(7)}`, "[]");
 * await assert.rejects(fetchAll(target, descriptor), { code: "DIGEST_MISMATCH" });
 * const missing = { ...descriptor, digest: "sha256:" + "0".repeat(64) };
 * await assert.rejects(fetchAll(target, missing), { code: "NOT_FOUND" });
 * await Deno.remove(layout, { recursive: true });
 * ```
 *
 * @param layout The layout directory.
 * @returns The store.
 */
export function createLayoutTarget(layout: string): ReadOnlyTarget {
  return {
    label: layout,
    async resolve(reference: string): Promise<Descriptor> {
      const { manifests } = await readIndexJson(layout);
      // Exactly the entry's ref name (`1.0.0`, `aws:1.0.0`): a layout may hold several names.
      const found = manifests.find((d) =>
        d.digest === reference || d.annotations?.[ANNOTATION_REF_NAME] === reference
      );
      if (found === undefined) {
        throw new ProvisioningError(
          "NOT_FOUND",
          `"${reference}" is not in the OCI layout "${layout}"`,
        );
      }
      return found;
    },
    async fetch(descriptor: Descriptor): Promise<ReadableStream<Uint8Array>> {
      try {
        return (await Deno.open(layoutBlobPath(layout, descriptor.digest), { read: true }))
          .readable;
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        throw new ProvisioningError("NOT_FOUND", `Blob "${descriptor.digest}" is missing`, {
          hint: `The OCI layout "${layout}" is incomplete; copy it again`,
        });
      }
    },
  };
}

/**
 * Reads the image manifest an `index.json` entry points at (an image index is searched for
 * the extension's manifest by `resolveArtifact`), digest-checked.
 *
 * @example
 * ```ts
 * import { readLayoutManifest } from "./oci_layout.ts";
 * import { digestOf, MEDIA_TYPE_OCI_MANIFEST } from "../oci/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const layout = await Deno.makeTempDir();
 * const config = { mediaType: "application/vnd.oci.empty.v1+json", digest: digestOf(new TextEncoder().encode("{}")), size: 2 };
 * const bytes = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_MANIFEST, config, layers: [] }));
 * const digest = digestOf(bytes);
 * await Deno.mkdir(`${layout}/blobs/sha256`, { recursive: true });
 * await Deno.writeFile(`${layout}/blobs/sha256/${digest.slice(7)}`, bytes);
 * const read = await readLayoutManifest(layout, { mediaType: MEDIA_TYPE_OCI_MANIFEST, digest, size: bytes.length }, "x");
 * assert.equal(read.digest, digest);
 * await Deno.remove(layout, { recursive: true });
 * ```
 *
 * @param layout The layout directory.
 * @param descriptor The entry's descriptor.
 * @param label Names it in messages.
 * @returns The manifest and its digest.
 * @throws {ProvisioningError} Integrity errors; `UNSUPPORTED` for an index without an
 *   extension manifest.
 */
export async function readLayoutManifest(
  layout: string,
  descriptor: Descriptor,
  label: string,
): Promise<LayoutManifest> {
  const found = await resolveArtifact(createLayoutTarget(layout), descriptor, { label });
  return { manifest: found.manifest, digest: found.descriptor.digest };
}
