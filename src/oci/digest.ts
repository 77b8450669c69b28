/**
 * Content digests: computing them for bytes, and checking a stream's digest and size while
 * its bytes flow (never by buffering it).
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import { ProvisioningError } from "../errors.ts";
import { isDigest } from "./reference.ts";
import type { TransferProgress } from "./types.ts";

/**
 * The `sha256:` digest of some bytes.
 *
 * @example
 * ```ts
 * import { digestOf } from "./digest.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   digestOf(new Uint8Array()),
 *   "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
 * );
 * ```
 *
 * @param bytes The content.
 * @param algorithm `sha256` (default) or `sha512`.
 * @returns `algorithm:hex`.
 */
export function digestOf(bytes: Uint8Array, algorithm: "sha256" | "sha512" = "sha256"): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest("hex")}`;
}

/** What a verified stream must add up to, and whom to tell as it flows. */
export interface ExpectedContent {
  /**
   * `sha256:…` or `sha512:…`; when absent the stream computes the SHA-256 of what passes
   * (an archive whose digest nobody named yet) and reports it through `onVerified`.
   */
  digest?: string | undefined;
  /** Exact size in bytes; `undefined` checks only the digest. */
  size?: number | undefined;
  /** Named in error messages (for example `layer "sha256:…" of "reg/ns/aws:1.0.0"`). */
  label?: string;
  /** The hint of a mismatch error (default: the source sent other bytes; nothing was kept). */
  hint?: string;
  /** Called after each chunk with the bytes counted so far (progress bars). */
  onProgress?: (progress: TransferProgress) => void;
  /** Called once the stream ended with digest and size checked. */
  onVerified?: (content: { digest: string; size: number }) => void;
}

/**
 * The one stream that hashes content: a `TransformStream` that passes bytes through while
 * hashing and counting them. It errors with `SIZE_MISMATCH` as soon as more bytes than
 * expected arrive, and at the end with `SIZE_MISMATCH` (too few) or `DIGEST_MISMATCH`, so a
 * reader never sees a clean end of a wrong blob. Registry blobs, OCI layout blobs, the
 * cache's ingest and git archives all go through it.
 *
 * @example
 * ```ts
 * import { createVerifyStream, digestOf } from "./digest.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode("hello");
 * const ok = ReadableStream.from([bytes]).pipeThrough(
 *   createVerifyStream({ digest: digestOf(bytes), size: 5 }),
 * );
 * assert.equal(await new Response(ok).text(), "hello");
 *
 * const bad = ReadableStream.from([bytes]).pipeThrough(
 *   createVerifyStream({ digest: digestOf(new Uint8Array()), size: 5 }),
 * );
 * await assert.rejects(new Response(bad).text(), { code: "DIGEST_MISMATCH" });
 *
 * let computed = "";
 * const unnamed = ReadableStream.from([bytes]).pipeThrough(
 *   createVerifyStream({ onVerified: (content) => computed = content.digest }),
 * );
 * await new Response(unnamed).arrayBuffer();
 * assert.equal(computed, digestOf(bytes));
 * ```
 *
 * @param expected Digest (or none, to compute one), size, a label, callbacks.
 * @returns The checking pass-through stream.
 * @throws {ProvisioningError} `INVALID_REFERENCE` when the expected digest is malformed.
 */
export function createVerifyStream(
  expected: ExpectedContent = {},
): TransformStream<Uint8Array, Uint8Array> {
  if (expected.digest !== undefined && !isDigest(expected.digest)) {
    throw new ProvisioningError("INVALID_REFERENCE", `"${expected.digest}" is not a digest`);
  }
  const algorithm = expected.digest === undefined
    ? "sha256"
    : expected.digest.slice(0, expected.digest.indexOf(":"));
  return contentStream(expected, createHash(algorithm), algorithm);
}

/**
 * Counts bytes for a progress bar without hashing them (an upload, whose digest the
 * registry checks).
 *
 * @example
 * ```ts
 * import { createCountStream } from "./digest.ts";
 * import assert from "node:assert/strict";
 *
 * const seen: number[] = [];
 * const stream = ReadableStream.from([new Uint8Array(3), new Uint8Array(4)])
 *   .pipeThrough(createCountStream("sha256:x", 7, (p) => seen.push(p.transferred)));
 * await new Response(stream).arrayBuffer();
 * assert.deepEqual(seen, [3, 7]);
 * ```
 *
 * @param digest The blob's digest (reported with each progress).
 * @param total The blob's size (reported with each progress).
 * @param onProgress Called after each chunk.
 * @returns The counting pass-through stream.
 */
export function createCountStream(
  digest: string,
  total: number,
  onProgress: (progress: TransferProgress) => void,
): TransformStream<Uint8Array, Uint8Array> {
  return contentStream({ digest, size: total, onProgress }, undefined, undefined);
}

function contentStream(
  expected: ExpectedContent,
  hash: Hash | undefined,
  algorithm: string | undefined,
): TransformStream<Uint8Array, Uint8Array> {
  const label = expected.label ?? `blob "${expected.digest ?? "archive"}"`;
  const hint = expected.hint ??
    "The source sent different bytes than its manifest names; nothing was kept";
  const total = expected.size ?? 0;
  const digest = expected.digest ?? "";
  let count = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      count += chunk.byteLength;
      if (hash !== undefined && expected.size !== undefined && count > expected.size) {
        throw sizeMismatch(label, expected.size, `more than ${expected.size}`, hint);
      }
      hash?.update(chunk);
      expected.onProgress?.({ digest, transferred: count, total });
      controller.enqueue(chunk);
    },
    flush() {
      if (hash === undefined) return;
      if (expected.size !== undefined && count !== expected.size) {
        throw sizeMismatch(label, expected.size, String(count), hint);
      }
      const actual = `${algorithm}:${hash.digest("hex")}`;
      if (expected.digest !== undefined && actual !== expected.digest) {
        throw new ProvisioningError(
          "DIGEST_MISMATCH",
          `Digest mismatch for ${label}: got "${actual}"`,
          { hint },
        );
      }
      expected.onVerified?.({ digest: actual, size: count });
    },
  });
}

function sizeMismatch(label: string, expected: number, got: string, hint: string) {
  return new ProvisioningError(
    "SIZE_MISMATCH",
    `Size mismatch for ${label}: expected ${expected} bytes, got ${got}`,
    { hint },
  );
}
