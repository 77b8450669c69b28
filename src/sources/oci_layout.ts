/**
 * Reading an OCI image layout (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`) — what
 * `skopeo copy … oci:DIR:TAG` or `oras copy --to-oci-layout` writes — as a registry-less
 * store of extensions. Every manifest and config read is digest-checked; layers are opened as
 * streams for the cache, which checks them as they flow.
 *
 * A layout path is either a layout itself, whose `index.json` entries name their extension
 * in `org.opencontainers.image.ref.name` (`aws:1.0.0`, `reg/ns/aws:1.0.0`) or, for a bare
 * tag (`1.0.0`), in the manifest's `org.opencontainers.image.title`; or a folder of layouts,
 * one per extension (`<path>/<name>/`), whose entries are tagged with the version alone.
 *
 * @module
 */

import { basename, join } from "node:path";
import { ProvisioningError } from "../errors.ts";
import {
  ANNOTATION_EXTENSION_TYPE,
  ANNOTATION_TITLE,
  chooseManifest,
  createVerifyStream,
  type Descriptor,
  digestOf,
  type ImageIndex,
  type ImageManifest,
  isDigest,
  MAX_MANIFEST_BYTES,
  parseManifest,
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
 * Reads a small blob whole and checks its digest and size.
 *
 * @example
 * ```ts
 * import { readLayoutBlob } from "./oci_layout.ts";
 * import { digestOf } from "../oci/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const layout = await Deno.makeTempDir();
 * const bytes = new TextEncoder().encode("{}");
 * const digest = digestOf(bytes);
 * await Deno.mkdir(`${layout}/blobs/sha256`, { recursive: true });
 * await Deno.writeFile(`${layout}/blobs/sha256/${digest.slice(7)}`, bytes);
 * assert.deepEqual(await readLayoutBlob(layout, { digest, size: 2 }, "x"), bytes);
 * await Deno.writeTextFile(`${layout}/blobs/sha256/${digest.slice(7)}`, "[]");
 * await assert.rejects(readLayoutBlob(layout, { digest, size: 2 }, "x"), { code: "DIGEST_MISMATCH" });
 * await Deno.remove(layout, { recursive: true });
 * ```
 *
 * @param layout The layout directory.
 * @param descriptor The blob's descriptor.
 * @param label Names it in messages.
 * @param maxBytes Largest blob accepted.
 * @returns The bytes.
 * @throws {ProvisioningError} `NOT_FOUND` for a missing blob, `SIZE_MISMATCH` /
 *   `DIGEST_MISMATCH` for a corrupt one.
 */
export async function readLayoutBlob(
  layout: string,
  descriptor: Pick<Descriptor, "digest" | "size">,
  label: string,
  maxBytes = MAX_MANIFEST_BYTES,
): Promise<Uint8Array> {
  if (descriptor.size > maxBytes) {
    throw new ProvisioningError(
      "SIZE_MISMATCH",
      `Blob "${descriptor.digest}" of "${label}" is ${descriptor.size} bytes, more than the ${maxBytes} allowed here`,
    );
  }
  const path = layoutBlobPath(layout, descriptor.digest);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw missingBlob(layout, descriptor.digest, label);
  }
  if (bytes.byteLength !== descriptor.size) {
    throw new ProvisioningError(
      "SIZE_MISMATCH",
      `Size mismatch for blob "${descriptor.digest}" of "${label}": expected ${descriptor.size} bytes, got ${bytes.byteLength}`,
    );
  }
  const actual = digestOf(bytes, descriptor.digest.startsWith("sha512:") ? "sha512" : "sha256");
  if (actual !== descriptor.digest) {
    throw new ProvisioningError(
      "DIGEST_MISMATCH",
      `Digest mismatch for blob "${descriptor.digest}" of "${label}": got "${actual}"`,
      { hint: `The OCI layout "${layout}" is corrupt; copy it again` },
    );
  }
  return bytes;
}

/**
 * Opens a blob as a stream that errors with `DIGEST_MISMATCH` / `SIZE_MISMATCH` at the end
 * when the bytes do not match the descriptor (unless `verify` is false, for a reader that
 * checks them itself, like the cache).
 *
 * @example
 * ```ts
 * import { openLayoutBlob } from "./oci_layout.ts";
 * import assert from "node:assert/strict";
 *
 * const layout = await Deno.makeTempDir();
 * const digest = "sha256:" + "0".repeat(64);
 * await assert.rejects(openLayoutBlob(layout, { digest, size: 1 }, "x"), { code: "NOT_FOUND" });
 * await Deno.remove(layout, { recursive: true });
 * ```
 *
 * @param layout The layout directory.
 * @param descriptor The blob's descriptor.
 * @param label Names it in messages.
 * @param verify Whether to check digest and size (default true).
 * @returns The stream.
 * @throws {ProvisioningError} `NOT_FOUND` for a missing blob.
 */
export async function openLayoutBlob(
  layout: string,
  descriptor: Pick<Descriptor, "digest" | "size">,
  label: string,
  verify = true,
): Promise<ReadableStream<Uint8Array>> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(layoutBlobPath(layout, descriptor.digest), { read: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw missingBlob(layout, descriptor.digest, label);
  }
  if (!verify) return file.readable;
  return file.readable.pipeThrough(
    createVerifyStream({ ...descriptor, label: `blob "${descriptor.digest}" of "${label}"` }),
  );
}

/**
 * Reads the image manifest an `index.json` entry points at (through one level of image
 * index, choosing our manifest), digest-checked.
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
 * @throws {ProvisioningError} Integrity errors; `UNSUPPORTED` for nested indexes.
 */
export async function readLayoutManifest(
  layout: string,
  descriptor: Descriptor,
  label: string,
): Promise<LayoutManifest> {
  const bytes = await readLayoutBlob(layout, descriptor, label);
  const parsed = parseManifest(bytes, descriptor.mediaType, label);
  if (parsed.kind === "manifest") return { manifest: parsed.manifest, digest: descriptor.digest };
  const chosen = chooseManifest(parsed.index, label);
  const inner = parseManifest(await readLayoutBlob(layout, chosen, label), chosen.mediaType, label);
  if (inner.kind !== "manifest") {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `Index "${label}" points at another index; nested indexes are not supported`,
    );
  }
  return { manifest: inner.manifest, digest: chosen.digest };
}

/** A blob the layout's index or manifest names that is not in `blobs/`. */
function missingBlob(layout: string, digest: string, label: string): ProvisioningError {
  return new ProvisioningError("NOT_FOUND", `Blob "${digest}" of "${label}" is missing`, {
    hint: `The OCI layout "${layout}" is incomplete; copy it again`,
  });
}
