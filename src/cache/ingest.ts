/**
 * Streaming ingest of a blob: hash and count the bytes as they pass (optionally copying them
 * to a file), and check digest and size when the stream ends.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { ProvisioningError } from "../errors.ts";
import { writeAll } from "./_fs.ts";
import { parseDigest } from "./layout.ts";

/** A pass-through stream that verifies what went through it. */
export interface VerifyingStream {
  /** Pipe the blob through this. */
  transform: TransformStream<Uint8Array, Uint8Array>;
  /** Digest and size, once the stream has ended and passed its checks. */
  result(): { digest: string; size: number } | undefined;
}

/**
 * Creates a pass-through that computes the digest (the expected digest's algorithm, else
 * SHA-256) and size of the bytes, writes them to `file` when given, fails as soon as more
 * than `expectedSize` bytes pass, and at the end fails unless size and digest match.
 *
 * @example
 * ```ts
 * import { verifyingStream } from "./ingest.ts";
 * import { createHash } from "node:crypto";
 * import assert from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode("hello");
 * const digest = "sha256:" + createHash("sha256").update(bytes).digest("hex");
 * const v = verifyingStream({ expectedDigest: digest, expectedSize: 5 });
 * await new Blob([bytes]).stream().pipeThrough(v.transform).pipeTo(new WritableStream());
 * assert.deepEqual(v.result(), { digest, size: 5 });
 *
 * const bad = verifyingStream({ expectedDigest: "sha256:" + "0".repeat(64) });
 * await assert.rejects(
 *   new Blob([bytes]).stream().pipeThrough(bad.transform).pipeTo(new WritableStream()),
 *   { code: "DIGEST_MISMATCH" },
 * );
 * ```
 *
 * @param options Expected digest and size (each optional) and a file to copy into.
 * @returns The transform and a way to read the verified result.
 * @throws {ProvisioningError} (through the stream) `SIZE_MISMATCH` or `DIGEST_MISMATCH`;
 * `INVALID_REFERENCE` at once for a malformed expected digest.
 */
export function verifyingStream(
  options: { expectedDigest?: string; expectedSize?: number; file?: Deno.FsFile },
): VerifyingStream {
  const { expectedDigest, expectedSize, file } = options;
  const algorithm = expectedDigest ? parseDigest(expectedDigest).algorithm : "sha256";
  const hash = createHash(algorithm);
  let size = 0;
  let result: { digest: string; size: number } | undefined;
  const label = expectedDigest ?? "archive";
  const transform = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      size += chunk.length;
      if (expectedSize !== undefined && size > expectedSize) {
        throw new ProvisioningError(
          "SIZE_MISMATCH",
          `Size mismatch for blob "${label}": expected ${expectedSize} bytes, got more`,
        );
      }
      hash.update(chunk);
      if (file) await writeAll(file, chunk);
      controller.enqueue(chunk);
    },
    flush() {
      if (expectedSize !== undefined && size !== expectedSize) {
        throw new ProvisioningError(
          "SIZE_MISMATCH",
          `Size mismatch for blob "${label}": expected ${expectedSize} bytes, got ${size}`,
        );
      }
      const digest = `${algorithm}:${hash.digest("hex")}`;
      if (expectedDigest !== undefined && digest !== expectedDigest) {
        throw new ProvisioningError(
          "DIGEST_MISMATCH",
          `Digest mismatch for blob "${expectedDigest}": got "${digest}"`,
          {
            hint:
              "The download was corrupted or the registry served other content; nothing was cached",
          },
        );
      }
      result = { digest, size };
    },
  });
  return { transform, result: () => result };
}
