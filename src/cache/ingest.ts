/**
 * Ingest of a blob: stream it through the one verifying stream (`createVerifyStream`: digest,
 * size and progress counted in one pass) into a new file, so it is hashed exactly once on
 * its way to disk, and store a verified blob under `blobs/` on its own.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { createVerifyStream } from "../oci/digest.ts";
import type { TransferProgress } from "../oci/types.ts";
import { lstatOrUndefined, removeQuietly, tmpPath } from "./_fs.ts";
import { renameIntoPlace } from "./entry_record.ts";
import { blobLockId, blobPath, parseDigest } from "./layout.ts";
import { acquireLock } from "./lock.ts";
import { resolveCacheRoot } from "./root.ts";
import { ensureLayout, hasRealDir } from "./safe_dirs.ts";
import { cacheWriteError } from "./_write_errors.ts";
import type { ArchiveSource, BlobSource } from "./types.ts";

/** Options of {@linkcode ingestToFile} and {@linkcode storeBlob}. */
export interface IngestOptions {
  /** Names the blob in messages (`layer "sha256:…" of "reg/ns/aws:1.0.0"`). */
  label?: string;
  /** Called as bytes arrive. */
  onProgress?: (progress: TransferProgress) => void;
  /**
   * Judges the first `headBytes` bytes (all of a shorter blob) before the rest is read:
   * throwing stops the download there and leaves nothing behind (an archive that is not one).
   */
  checkHead?: { bytes: number; check: (head: Uint8Array) => void };
}

/**
 * Streams `archive.open()` into a new file at `path` (created with `createNew`, so nothing
 * there is followed), checking digest and size when given and computing them otherwise.
 * The file holds verified bytes once this returns; on any failure it is removed.
 *
 * @example
 * ```ts
 * import { ingestToFile } from "./ingest.ts";
 * import { digestOf } from "../oci/digest.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const bytes = new TextEncoder().encode("hello");
 * const open = () => Promise.resolve(ReadableStream.from([bytes]));
 * const got = await ingestToFile({ open }, `${dir}/a`);
 * assert.deepEqual(got, { digest: digestOf(bytes), size: 5 });
 * const wrong = { digest: digestOf(new Uint8Array()), size: 5, open };
 * await assert.rejects(ingestToFile(wrong, `${dir}/b`), { code: "DIGEST_MISMATCH" });
 * assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["a"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param archive The bytes (digest and size optional).
 * @param path A file to create.
 * @param options Label and progress.
 * @returns The verified digest and size.
 * @throws {ProvisioningError} `DIGEST_MISMATCH` / `SIZE_MISMATCH`; what `open()` throws.
 */
export async function ingestToFile(
  archive: ArchiveSource,
  path: string,
  options: IngestOptions = {},
): Promise<{ digest: string; size: number }> {
  let verified: { digest: string; size: number } | undefined;
  const file = await Deno.open(path, { write: true, createNew: true, mode: 0o644 });
  try {
    const opened = await archive.open();
    const stream = options.checkHead === undefined
      ? opened
      : opened.pipeThrough(headCheck(options.checkHead.bytes, options.checkHead.check));
    await stream.pipeThrough(createVerifyStream({
      digest: archive.digest,
      size: archive.size,
      ...(options.label === undefined ? {} : { label: options.label }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      hint: "The download was corrupted or the source served other content; nothing was cached",
      onVerified: (content) => verified = content,
    })).pipeTo(file.writable);
  } catch (error) {
    await removeQuietly(path);
    throw error;
  }
  if (verified === undefined) {
    await removeQuietly(path);
    throw new ProvisioningError("INTERNAL", "Blob ended before its digest was verified");
  }
  return verified;
}

/**
 * The path of a blob in `blobs/`, downloading it first (verified, through `tmp/` and a
 * rename, under the blob's lock) when it is not there — oras-go's "a blob that already
 * exists is success". `stored` tells whether this call put it there.
 *
 * @example
 * ```ts
 * import { storeBlob } from "./ingest.ts";
 * import { digestOf } from "../oci/digest.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * const bytes = new TextEncoder().encode("layer");
 * const blob = { digest: digestOf(bytes), size: 5, open: () => Promise.resolve(ReadableStream.from([bytes])) };
 * const first = await storeBlob(root, blob);
 * assert.equal(first.stored, true);
 * assert.equal((await storeBlob(root, blob)).stored, false);
 * assert.equal(await Deno.readTextFile(first.path), "layer");
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param configuredRoot The cache root (created when missing).
 * @param blob The blob.
 * @param options Label and progress.
 * @returns The blob's path and whether it was stored just now.
 * @throws {ProvisioningError} As {@linkcode ingestToFile}; `INTEGRITY` for a link in the
 *   cache's folders; `CACHE_ROOT_NOT_OWNED`, `CACHE_READ_ONLY`, `CACHE_NO_SPACE` as a save.
 */
export async function storeBlob(
  configuredRoot: string,
  blob: BlobSource,
  options: IngestOptions = {},
): Promise<{ path: string; stored: boolean }> {
  try {
    return await storeLocked(configuredRoot, blob, options);
  } catch (error) {
    // A full disk or a read-only cache is the cache folder's problem, named as such.
    throw cacheWriteError(error, configuredRoot, `store blob "${blob.digest}"`);
  }
}

async function storeLocked(
  configuredRoot: string,
  blob: BlobSource,
  options: IngestOptions,
): Promise<{ path: string; stored: boolean }> {
  const root = (await resolveCacheRoot(configuredRoot, { create: true }))!;
  await ensureLayout(root);
  const path = blobPath(root, blob.digest);
  const present = async () => {
    const algorithm = parseDigest(blob.digest).algorithm;
    const info = await hasRealDir(root, ["blobs", algorithm])
      ? await lstatOrUndefined(path)
      : undefined;
    return info?.isFile === true && info.size === blob.size;
  };
  if (await present()) return { path, stored: false };
  const lockId = blobLockId(blob.digest);
  using _lock = await acquireLock(root, lockId);
  if (await present()) return { path, stored: false };
  const tmp = tmpPath(root, lockId, "blob");
  await ingestToFile(blob, tmp, options);
  try {
    await renameIntoPlace(root, tmp, path);
  } catch (error) {
    await removeQuietly(tmp);
    throw error;
  }
  return { path, stored: true };
}

/** Passes bytes through, calling `check` once with the first `bytes` of them (or all). */
function headCheck(
  bytes: number,
  check: (head: Uint8Array) => void,
): TransformStream<Uint8Array, Uint8Array> {
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let done = false;
  const release = (controller: TransformStreamDefaultController<Uint8Array>) => {
    const head = new Uint8Array(heldBytes);
    let offset = 0;
    for (const chunk of held) {
      head.set(chunk, offset);
      offset += chunk.length;
    }
    done = true;
    held = [];
    check(head.subarray(0, bytes));
    controller.enqueue(head);
  };
  return new TransformStream({
    transform(chunk, controller) {
      if (done) return controller.enqueue(chunk);
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes >= bytes) release(controller);
    },
    flush(controller) {
      if (!done) release(controller);
    },
  });
}
