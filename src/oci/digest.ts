/**
 * Content digests: computing them for bytes, and checking a stream's digest and size while
 * its bytes flow (never by buffering it).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { ProvisioningError } from "../errors.ts";
import { isDigest } from "./reference.ts";

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

/** What a verified stream must add up to. */
export interface ExpectedContent {
  /** `sha256:…` or `sha512:…`. */
  digest: string;
  /** Exact size in bytes; `undefined` checks only the digest. */
  size?: number | undefined;
  /** Named in error messages (for example `blob "sha256:…" of "ns/aws"`). */
  label?: string;
}

/**
 * A `TransformStream` that passes bytes through while hashing and counting them. It errors
 * with `SIZE_MISMATCH` as soon as more bytes than expected arrive, and at the end with
 * `SIZE_MISMATCH` (too few) or `DIGEST_MISMATCH`, so a reader never sees a clean end of a
 * wrong blob.
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
 * ```
 *
 * @param expected Digest, size and a label for messages.
 * @returns The checking pass-through stream.
 * @throws {ProvisioningError} `INVALID_REFERENCE` when the expected digest is malformed.
 */
export function createVerifyStream(
  expected: ExpectedContent,
): TransformStream<Uint8Array, Uint8Array> {
  if (!isDigest(expected.digest)) {
    throw new ProvisioningError("INVALID_REFERENCE", `"${expected.digest}" is not a digest`);
  }
  const algorithm = expected.digest.slice(0, expected.digest.indexOf(":"));
  const hash = createHash(algorithm);
  const label = expected.label ?? `blob "${expected.digest}"`;
  let count = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      count += chunk.byteLength;
      if (expected.size !== undefined && count > expected.size) {
        throw sizeMismatch(label, expected.size, `more than ${expected.size}`);
      }
      hash.update(chunk);
      controller.enqueue(chunk);
    },
    flush() {
      if (expected.size !== undefined && count !== expected.size) {
        throw sizeMismatch(label, expected.size, String(count));
      }
      const actual = `${algorithm}:${hash.digest("hex")}`;
      if (actual !== expected.digest) {
        throw new ProvisioningError(
          "DIGEST_MISMATCH",
          `Digest mismatch for ${label}: got "${actual}"`,
          { hint: "The registry sent different bytes than its manifest names; nothing was kept" },
        );
      }
    },
  });
}

function sizeMismatch(label: string, expected: number, got: string): ProvisioningError {
  return new ProvisioningError(
    "SIZE_MISMATCH",
    `Size mismatch for ${label}: expected ${expected} bytes, got ${got}`,
    { hint: "The registry sent different bytes than its manifest names; nothing was kept" },
  );
}
