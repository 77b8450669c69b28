/**
 * A one-line upload progress bar for a terminal: the line to draw, and a renderer that
 * redraws it in place (`\r`), at most every `intervalMs`, and ends it with a newline.
 *
 * @module
 */

import { formatSize } from "./format_size.ts";

/**
 * The text of one progress line: label, a bar of `width` cells, percentage and sizes.
 *
 * @example
 * ```ts
 * import { formatProgressLine } from "./progress_bar.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   formatProgressLine("layer", 512, 1024, 10),
 *   "layer [#####.....]  50% 512 B / 1.0 KiB",
 * );
 * ```
 *
 * @param label What is transferred (`layer`, `config`).
 * @param done Bytes so far.
 * @param total Total bytes (0 counts as complete).
 * @param width Cells of the bar.
 * @returns The line, without `\r` or newline.
 */
export function formatProgressLine(
  label: string,
  done: number,
  total: number,
  width = 30,
): string {
  const fraction = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const filled = Math.round(fraction * width);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${percent} ` +
    `${formatSize(done)} / ${formatSize(total)}`;
}

/** A transfer of at least this many bytes gets a bar at once (1 MiB). */
export const PROGRESS_MIN_BYTES = 1024 * 1024;

/** A smaller transfer gets a bar once it has taken this long (1 s). */
export const PROGRESS_MIN_ELAPSED_MS = 1000;

/** Options of {@linkcode createProgressBar}. */
export interface ProgressBarOptions {
  /** Bar width in characters (default 30). */
  width?: number;
  /** Least time between redraws (default 100 ms). */
  intervalMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
  /** Totals from this size get a bar at once (default {@linkcode PROGRESS_MIN_BYTES}). */
  minBytes?: number;
  /** Smaller ones once they take this long (default {@linkcode PROGRESS_MIN_ELAPSED_MS}). */
  minElapsedMs?: number;
}

/** A progress bar drawing to a terminal. */
export interface ProgressBar {
  /** Reports progress; redraws when the interval has passed or the transfer completed. */
  update(label: string, done: number, total: number): void;
  /** Ends the current line (if one was drawn). Safe to call more than once. */
  finish(): void;
}

/**
 * A progress bar that redraws one line in place through `write` (stderr of a terminal).
 * Updates come as often as bytes move; it draws at most every `intervalMs` (and always the
 * final 100%), and starts a new line when the label changes. A transfer below `minBytes`
 * (1 MiB) draws nothing unless it takes longer than `minElapsedMs` (1 s).
 *
 * @example
 * ```ts
 * import { createProgressBar } from "./progress_bar.ts";
 * import assert from "node:assert/strict";
 *
 * let small = "";
 * const quiet = createProgressBar((t) => small += t, { now: () => 0 });
 * quiet.update("config", 139, 139);
 * quiet.finish();
 * assert.equal(small, "", "a 139-byte config draws no bar");
 *
 * let text = "";
 * const bar = createProgressBar((t) => text += t, { width: 4, now: () => 0, minBytes: 0 });
 * bar.update("layer", 0, 8);
 * bar.update("layer", 8, 8);
 * bar.finish();
 * assert.equal(text, "\r\x1b[Klayer [....]   0% 0 B / 8 B\r\x1b[Klayer [####] 100% 8 B / 8 B\n");
 * ```
 *
 * @param write Writes text to the terminal.
 * @param options Bar width, redraw interval, thresholds and clock (for tests).
 * @returns The bar.
 */
export function createProgressBar(
  write: (text: string) => void,
  options: ProgressBarOptions = {},
): ProgressBar {
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 100;
  const minBytes = options.minBytes ?? PROGRESS_MIN_BYTES;
  const minElapsedMs = options.minElapsedMs ?? PROGRESS_MIN_ELAPSED_MS;
  let label: string | undefined;
  let started = 0;
  let shown = false; // whether this label's line has been drawn
  let lastDraw = -Infinity;
  let lastDone = -1;
  const draw = (text: string) => write(`\r\x1b[K${text}`);
  return {
    update(next, done, total) {
      if (label !== next) {
        if (shown) write("\n");
        shown = false;
        started = now();
        lastDraw = -Infinity;
        lastDone = -1;
      }
      label = next;
      // Small or quick transfers draw nothing: a bar for a 139-byte config only flickers.
      if (!shown && total < minBytes && now() - started < minElapsedMs) return;
      const complete = done >= total;
      if (done === lastDone || (!complete && now() - lastDraw < interval)) return;
      shown = true;
      lastDraw = now();
      lastDone = done;
      draw(formatProgressLine(next, done, total, options.width));
    },
    finish() {
      if (shown) write("\n");
      shown = false;
      label = undefined;
    },
  };
}
