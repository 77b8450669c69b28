/**
 * Maps items through an async function with at most `limit` calls in flight; results keep
 * the items' order. After the first failure no new call starts, and that failure is thrown.
 * Private to `src/gitea`.
 *
 * @param items The items.
 * @param limit Most calls at once (at least 1).
 * @param fn The async function.
 * @returns The results, in the items' order.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}
