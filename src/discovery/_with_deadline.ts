/**
 * Running one source's operation under a time limit. Private to `src/discovery`.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { DiscoverContext, Source } from "../sources/types.ts";

const deadlineErrors = new WeakSet<ProvisioningError>();

/**
 * Whether `error` is the `TIMEOUT` a {@linkcode withDeadline} raised (its message already
 * names the source).
 *
 * @param error Anything caught.
 * @returns True for a deadline error.
 */
export function isDeadlineError(error: unknown): boolean {
  return error instanceof ProvisioningError && deadlineErrors.has(error);
}

/**
 * Runs `operation` with a context whose signal aborts after `timeoutMs`; rejects with a
 * `TIMEOUT` error naming the source at that moment, even when the operation ignores the
 * signal (its later outcome is then dropped).
 *
 * @param source The source (for the message).
 * @param timeoutMs Time limit in ms.
 * @param warn Warning sink handed to the operation.
 * @param operation The work.
 * @returns The operation's result.
 */
export async function withDeadline<T>(
  source: Pick<Source, "kind" | "label">,
  timeoutMs: number,
  warn: (message: string) => void,
  operation: (context: DiscoverContext) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ProvisioningError(
        "TIMEOUT",
        `Source "${source.kind}" (${source.label}) did not answer within ${
          formatSeconds(timeoutMs)
        }`,
      );
      deadlineErrors.add(error);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  timedOut.catch(() => {});
  try {
    const running = operation({ signal: controller.signal, warn });
    running.catch(() => {});
    return await Promise.race([running, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The warning for a source that failed: `source "oci" (label) failed: <reason>`, or for a
 * deadline `source "oci" (label) did not answer within 60 s`.
 *
 * @param source The source.
 * @param error What it threw.
 * @returns One line, starting lower case.
 */
export function failureWarning(
  source: Pick<Source, "kind" | "label">,
  error: unknown,
): string {
  const message = error instanceof Error ? error.message : String(error);
  const lower = message.replace(/^[A-Z]/, (c) => c.toLowerCase());
  return isDeadlineError(error)
    ? lower
    : `source "${source.kind}" (${source.label}) failed: ${lower}`;
}
