/**
 * A stand-in for `node:crypto` that `bench_hash.ts` maps into `src/` with an import-map
 * scope: the same module, with `createHash` counting the bytes every hash is fed. Private to
 * the scripts; nothing in `src/` knows it exists.
 *
 * @module
 */

import * as real from "node:crypto";

export * from "node:crypto";

/**
 * Bytes passed to `update()` of every hash made through this module so far, in total and
 * per hash (in order of creation).
 */
export const counted: { bytes: number; perHash: number[] } = { bytes: 0, perHash: [] };

/**
 * `node:crypto`'s `createHash`, counting what its hashes are fed.
 *
 * @param algorithm Hash algorithm.
 * @returns The hash.
 */
export function createHash(algorithm: string): real.Hash {
  const hash = real.createHash(algorithm);
  const index = counted.perHash.push(0) - 1;
  const update = hash.update.bind(hash) as (data: real.BinaryLike) => real.Hash;
  Object.assign(hash, {
    update(data: real.BinaryLike) {
      const n = typeof data === "string" ? data.length : data.byteLength;
      counted.bytes += n;
      counted.perHash[index]! += n;
      return update(data);
    },
  });
  return hash;
}
