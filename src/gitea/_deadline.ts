/**
 * An abort signal that fires after a quiet period, and can be pushed back (each downloaded
 * chunk) or cleared. Private to `src/gitea`.
 *
 * @module
 */

/** A resettable timeout tied to an `AbortController`. */
export interface Deadline {
  /** Aborted when the time runs out. */
  readonly signal: AbortSignal;
  /** Whether it fired. */
  readonly timedOut: boolean;
  /** Starts the period again. */
  reset(): void;
  /** Stops the timer for good (idempotent). */
  clear(): void;
}

/**
 * Starts a deadline.
 *
 * @param ms Milliseconds of quiet before it fires.
 * @returns The deadline.
 */
export function startDeadline(ms: number): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException("Timed out", "TimeoutError"));
    }, ms);
  };
  arm();
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    reset() {
      if (timer === undefined || timedOut) return;
      clearTimeout(timer);
      arm();
    },
    clear() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
