/**
 * Streams an extension directory into a reproducible tar+gzip layer on disk, hashing both
 * the tar and the gzip bytes on the way (the layer never sits whole in memory).
 *
 * @module
 */

import { createTarPacker, type TarHeader } from "modern-tar";
import { ProvisioningError } from "../errors.ts";
import { createVerifyStream } from "../oci/digest.ts";
import type { CollectedEntry } from "./types.ts";

/**
 * Size of the blocks fed to the gzip compressor. The platform's `CompressionStream` flushes
 * at every chunk it is given, so its output depends on how the input is chunked: fixed
 * blocks make the gzip bytes depend on the tar bytes alone.
 */
export const GZIP_BLOCK_SIZE = 256 * 1024;

/** Largest mtime a ustar header holds (11 octal digits): 2242-03-16. */
export const MAX_TAR_MTIME = 0o77777777777;

/** Options of {@linkcode packLayer}. */
export interface PackLayerOptions {
  /** Top-level folder every entry is stored under (the extension name, as ORAS does). */
  prefix: string;
  /** Modification time of every entry, in seconds since 1970 (`SOURCE_DATE_EPOCH` or 0). */
  mtime: number;
  /** File to write the compressed layer to; must not exist yet. */
  outputPath: string;
  /** Contents to package instead of the file on disk, by entry path. */
  replacements?: ReadonlyMap<string, Uint8Array>;
  /** Called as file bytes are packed: bytes read so far and the total of all files. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@linkcode packLayer} wrote. */
export interface PackedLayerFile {
  /** The compressed layer on disk. */
  path: string;
  /** `sha256:<hex>` of the compressed layer. */
  digest: string;
  /** Byte length of the compressed layer. */
  size: number;
  /** `sha256:<hex>` of the uncompressed tar. */
  uncompressedDigest: string;
  /** Byte length of the uncompressed tar. */
  uncompressedSize: number;
}

/**
 * Writes `entries` of `root` as a gzip-compressed tar to `outputPath`: the root as
 * `prefix/`, then every entry as `prefix/path` in the given order, with mtime `mtime`,
 * uid/gid 0, empty owner names and the entry's normalised mode; ustar headers, with PAX
 * records for names and link targets ustar cannot hold. Files are streamed from disk; a
 * file whose size changed since it was collected is an error.
 *
 * The gzip header carries mtime 0 and OS 255 (unknown), and the compressor always gets
 * blocks of {@linkcode GZIP_BLOCK_SIZE} bytes, so the same tar gives the same gzip bytes
 * with the same Deno (a Deno whose deflate implementation changed may compress
 * differently).
 *
 * @example
 * ```ts
 * import { packLayer } from "./pack.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "hello\n");
 * const out = await Deno.makeTempDir();
 * const layer = await packLayer(dir, [{ path: "a.txt", type: "file", size: 6, mode: 0o644 }], {
 *   prefix: "demo",
 *   mtime: 0,
 *   outputPath: `${out}/layer.tar.gz`,
 * });
 * assert.equal(layer.uncompressedSize, 512 * 5); // 2 headers, 1 data block, 2 end blocks
 * assert.equal((await Deno.stat(layer.path)).size, layer.size);
 * await Deno.remove(dir, { recursive: true });
 * await Deno.remove(out, { recursive: true });
 * ```
 *
 * @param root The extension directory the entry paths are relative to.
 * @param entries Entries from `collectExtensionFiles`, in tar order.
 * @param options Top-level folder, mtime, output file and replaced contents.
 * @returns Path, digests and sizes of what was written.
 * @throws {ProvisioningError} `INVALID_EXTENSION` when a file changed while packaging;
 *   `USAGE` for an mtime a tar header cannot hold.
 */
export async function packLayer(
  root: string,
  entries: readonly CollectedEntry[],
  options: PackLayerOptions,
): Promise<PackedLayerFile> {
  const { prefix, mtime, outputPath } = options;
  if (!Number.isSafeInteger(mtime) || mtime < 0 || mtime > MAX_TAR_MTIME) {
    throw new ProvisioningError(
      "USAGE",
      `Cannot use mtime "${mtime}": expected whole seconds from 0 to ${MAX_TAR_MTIME}`,
    );
  }
  const replacements = options.replacements ?? new Map<string, Uint8Array>();
  // The project's one hashing stream, computing both digests as the layer is written.
  let tar = { digest: "", size: 0 };
  let gzip = { digest: "", size: 0 };
  const { readable, controller } = createTarPacker();
  const output = await Deno.open(outputPath, { write: true, createNew: true });
  const piping = readable
    .pipeThrough(createVerifyStream({ onVerified: (content) => tar = content }))
    .pipeThrough(fixedBlocks(GZIP_BLOCK_SIZE))
    .pipeThrough(new CompressionStream("gzip"))
    .pipeThrough(createVerifyStream({ onVerified: (content) => gzip = content }))
    .pipeTo(output.writable);

  const base = { mtime: new Date(mtime * 1000), uid: 0, gid: 0, uname: "", gname: "" };
  const onProgress = options.onProgress;
  const totalBytes = entries.reduce(
    (sum, e) => sum + (e.type === "file" ? replacements.get(e.path)?.length ?? e.size : 0),
    0,
  );
  let packedBytes = 0;
  const counted = () =>
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        packedBytes += chunk.byteLength;
        onProgress?.(packedBytes, totalBytes);
        controller.enqueue(chunk);
      },
    });
  const writing = (async () => {
    try {
      await controller.add({ ...base, name: `${prefix}/`, type: "directory", size: 0, mode: 0o755 })
        .close();
      for (const entry of entries) {
        const name = `${prefix}/${entry.path}${entry.type === "directory" ? "/" : ""}`;
        const header: TarHeader = { ...base, name, type: entry.type, mode: entry.mode, size: 0 };
        if (entry.type === "symlink") header.linkname = entry.linkTarget ?? "";
        if (entry.type !== "file") {
          await controller.add(header).close();
          continue;
        }
        const replacement = replacements.get(entry.path);
        header.size = replacement?.length ?? entry.size;
        const sink = controller.add(header);
        const body = replacement === undefined
          ? await openFile(`${root}/${entry.path}`, entry.path)
          : ReadableStream.from([replacement]);
        const exact = body.pipeThrough(exactLength(header.size, entry.path));
        await (onProgress === undefined ? exact : exact.pipeThrough(counted())).pipeTo(sink);
      }
      controller.finalize();
    } catch (error) {
      controller.error(error);
      throw error;
    }
  })();

  const [wrote, piped] = await Promise.allSettled([writing, piping]);
  if (wrote.status === "rejected") throw wrote.reason;
  if (piped.status === "rejected") throw piped.reason;
  return {
    path: outputPath,
    digest: gzip.digest,
    size: gzip.size,
    uncompressedDigest: tar.digest,
    uncompressedSize: tar.size,
  };
}

/** Re-chunks a byte stream into blocks of exactly `size` bytes (the last may be shorter). */
function fixedBlocks(size: number): TransformStream<Uint8Array, Uint8Array<ArrayBuffer>> {
  let block = new Uint8Array(size);
  let filled = 0;
  return new TransformStream({
    transform(chunk, controller) {
      let offset = 0;
      while (offset < chunk.length) {
        if (filled === 0 && chunk.length - offset >= size) {
          controller.enqueue(chunk.slice(offset, offset + size));
          offset += size;
          continue;
        }
        const take = Math.min(size - filled, chunk.length - offset);
        block.set(chunk.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === size) {
          controller.enqueue(block);
          block = new Uint8Array(size);
          filled = 0;
        }
      }
    },
    flush(controller) {
      if (filled > 0) controller.enqueue(block.subarray(0, filled));
    },
  });
}

/** The error for a file that changed between collecting and packing. */
function changedError(path: string, cause?: unknown): ProvisioningError {
  return new ProvisioningError("INVALID_EXTENSION", `File "${path}" changed while packaging`, {
    hint: "Publish again once nothing is writing to the extension directory",
    cause,
  });
}

/** Opens a collected file for reading; a file gone since it was collected has changed. */
async function openFile(abs: string, path: string): Promise<ReadableStream<Uint8Array>> {
  try {
    return (await Deno.open(abs)).readable;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) throw changedError(path, error);
    throw error;
  }
}

/** Fails unless exactly `length` bytes pass (the file changed since it was collected). */
function exactLength(length: number, path: string): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  const changed = () => changedError(path);
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.length;
      if (seen > length) throw changed();
      controller.enqueue(chunk);
    },
    flush() {
      if (seen !== length) throw changed();
    },
  });
}
