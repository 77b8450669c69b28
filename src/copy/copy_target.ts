/**
 * Where `ext copy` writes: a registry repository or an OCI image layout folder. Both take
 * blobs as verified streams and manifests as the exact bytes read, so digests are kept.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { writeTextReplacing } from "../fs/write_replacing.ts";
import { blobExists, pushBlob } from "../oci/blobs.ts";
import type { RegistryClient } from "../oci/client.ts";
import { digestOf } from "../oci/digest.ts";
import { pushManifest } from "../oci/manifests.ts";
import type { Descriptor, Reference } from "../oci/types.ts";
import { ANNOTATION_REF_NAME, layoutBlobPath } from "../sources/oci_layout.ts";

/** A content store that can be written. */
export interface WritableTarget {
  /** Names the store in messages. */
  readonly label: string;
  /** Whether the store already holds a blob (or manifest) with this digest. */
  has(descriptor: Descriptor): Promise<boolean>;
  /** Stores a blob from a stream of exactly its bytes (already being verified). */
  pushBlob(descriptor: Descriptor, open: () => Promise<ReadableStream<Uint8Array>>): Promise<void>;
  /** Stores a manifest's exact bytes, under `tag` when given (else by digest only). */
  pushManifest(descriptor: Descriptor, bytes: Uint8Array, tag?: string): Promise<void>;
}

/**
 * A registry repository as a {@linkcode WritableTarget}.
 *
 * @example
 * ```ts ignore
 * const to = registryWritable(client, client.reference("aws"));
 * ```
 *
 * @param client The registry client.
 * @param repository Registry and repository.
 * @returns The store.
 */
export function registryWritable(client: RegistryClient, repository: Reference): WritableTarget {
  const { tag: _tag, digest: _digest, ...base } = repository;
  return {
    label: `${base.registry}/${base.repository}`,
    has: (descriptor) => blobExists(client, base, descriptor.digest),
    async pushBlob(descriptor, open) {
      await pushBlob(client, base, { ...descriptor, open });
    },
    async pushManifest(descriptor, bytes, tag) {
      await pushManifest(
        client,
        { ...base, ...(tag ? { tag } : { digest: descriptor.digest }) },
        bytes,
        descriptor.mediaType,
      );
    },
  };
}

/**
 * An OCI image layout folder (created when missing) as a {@linkcode WritableTarget}: blobs
 * are written to `blobs/sha256/<hex>` through a temporary file and renamed only once their
 * digest checked out, and `index.json` is replaced whole. A tagged manifest is listed in
 * `index.json` with `org.opencontainers.image.ref.name` = `NAME:TAG`, so one layout can hold
 * several extensions (what the `oci-layout` source reads).
 *
 * @example
 * ```ts
 * import { layoutWritable } from "./copy_target.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const to = layoutWritable(`${dir}/layout`, "demo");
 * const bytes = new TextEncoder().encode("{}");
 * const descriptor = { mediaType: "application/json", digest:
 *   "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", size: 2 };
 * await to.pushBlob(descriptor, () => Promise.resolve(ReadableStream.from([bytes])));
 * assert.equal(await to.has(descriptor), true);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The layout folder.
 * @param name The extension's name (the `ref.name` prefix).
 * @returns The store.
 */
export function layoutWritable(dir: string, name: string): WritableTarget {
  return {
    label: dir,
    async has(descriptor) {
      try {
        return (await Deno.stat(layoutBlobPath(dir, descriptor.digest))).isFile;
      } catch {
        return false;
      }
    },
    async pushBlob(descriptor, open) {
      await ensureLayout(dir);
      const path = layoutBlobPath(dir, descriptor.digest);
      const temp = `${path}.${crypto.randomUUID()}.tmp`;
      try {
        const file = await Deno.open(temp, { write: true, createNew: true });
        // The stream errors (and nothing is renamed) when the bytes do not match the digest.
        await (await open()).pipeTo(file.writable);
        await Deno.rename(temp, path);
      } catch (error) {
        await Deno.remove(temp).catch(() => {});
        throw error;
      }
    },
    async pushManifest(descriptor, bytes, tag) {
      if (digestOf(bytes) !== descriptor.digest) {
        throw new ProvisioningError(
          "DIGEST_MISMATCH",
          `Manifest bytes are not ${descriptor.digest}`,
        );
      }
      await this.pushBlob(descriptor, () => Promise.resolve(ReadableStream.from([bytes])));
      if (tag === undefined) return;
      const index = await readIndex(dir);
      const refName = `${name}:${tag}`;
      const manifests = index.manifests.filter((d) =>
        d.annotations?.[ANNOTATION_REF_NAME] !== refName
      );
      manifests.push({
        mediaType: descriptor.mediaType,
        digest: descriptor.digest,
        size: descriptor.size,
        ...(descriptor.artifactType === undefined ? {} : { artifactType: descriptor.artifactType }),
        annotations: { [ANNOTATION_REF_NAME]: refName },
      });
      await writeTextReplacing(
        join(dir, "index.json"),
        `${JSON.stringify({ ...index, schemaVersion: 2, manifests }, null, 2)}\n`,
      );
    },
  };
}

interface LayoutIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
}

async function ensureLayout(dir: string): Promise<void> {
  await Deno.mkdir(join(dir, "blobs", "sha256"), { recursive: true });
  const marker = join(dir, "oci-layout");
  try {
    await Deno.stat(marker);
  } catch {
    await writeTextReplacing(marker, `${JSON.stringify({ imageLayoutVersion: "1.0.0" })}\n`);
  }
}

async function readIndex(dir: string): Promise<LayoutIndex> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, "index.json"));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return {
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: [],
      };
    }
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<LayoutIndex>;
  if (!Array.isArray(parsed.manifests)) {
    throw new ProvisioningError(
      "INVALID_CONFIG",
      `"${join(dir, "index.json")}" is not an OCI layout index`,
    );
  }
  return { schemaVersion: 2, ...parsed, manifests: parsed.manifests };
}
