/**
 * Forcing garbage collection in a test, for bugs that only show once V8 has collected an
 * object (a `Response` whose body is still being read). A long-running command gets there by
 * itself after enough allocation or time; a test asks for it, so it reproduces the bug in
 * milliseconds instead of waiting for the collector.
 *
 * @module
 */

import v8 from "node:v8";
import vm from "node:vm";

let gc: (() => void) | undefined;

/**
 * Runs a full garbage collection now (`--expose-gc` is switched on at the first call).
 *
 * @example
 * ```ts
 * import { collectGarbage } from "./collect_garbage.ts";
 * collectGarbage();
 * ```
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    v8.setFlagsFromString("--expose-gc");
    gc = vm.runInNewContext("gc") as () => void;
  }
  gc();
}

/**
 * Collects garbage every `intervalMs` while `operation` runs, and fails with a clear error
 * instead of hanging when it has not settled within `boundMs` (a safety bound to detect a
 * hang, not a timing assertion).
 *
 * @example
 * ```ts
 * import { whileCollectingGarbage } from "./collect_garbage.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await whileCollectingGarbage(Promise.resolve(1)), 1);
 * await assert.rejects(
 *   whileCollectingGarbage(new Promise(() => {}), { boundMs: 50 }),
 *   /did not settle within 0\.05 s/,
 * );
 * ```
 *
 * @param operation The operation under test.
 * @param options `intervalMs` (default 20) and `boundMs` (default 10,000).
 * @returns What the operation resolved to.
 * @throws {Error} When the operation did not settle within `boundMs`; else what it rejected
 *   with.
 */
export async function whileCollectingGarbage<T>(
  operation: Promise<T>,
  options: { intervalMs?: number; boundMs?: number } = {},
): Promise<T> {
  const boundMs = options.boundMs ?? 10_000;
  const interval = setInterval(collectGarbage, options.intervalMs ?? 20);
  let bound: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      operation,
      new Promise<never>((_, reject) => {
        bound = setTimeout(
          () => reject(new Error(`Operation did not settle within ${boundMs / 1000} s (hung)`)),
          boundMs,
        );
      }),
    ]);
  } finally {
    clearInterval(interval);
    clearTimeout(bound);
  }
}
