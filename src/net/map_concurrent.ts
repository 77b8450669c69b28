/**
 * The one bounded fan-out: discovery (repositories, tags, remotes) and the Gitea client
 * each run their requests through it.
 *
 * @module
 */

/**
 * Maps items through `fn` with at most `limit` calls in flight; results keep the items'
 * order. No new call starts once `signal` is aborted or a call threw; the first error (or
 * the abort reason) is thrown after the calls in flight have settled.
 *
 * @example
 * ```ts
 * import { mapConcurrent } from "./map_concurrent.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(await mapConcurrent([1, 2, 3], 2, (n) => Promise.resolve(n * 2)), [2, 4, 6]);
 * ```
 *
 * @param items The items.
 * @param limit Most calls at once (at least 1).
 * @param fn The async function.
 * @param signal Stops starting new calls.
 * @returns The results, in the items' order.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      if (signal?.aborted) {
        failure ??= { error: signal.reason };
        return;
      }
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
