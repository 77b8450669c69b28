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
 * final 100%), and starts a new line when the label changes.
 *
 * @example
 * ```ts
 * import { createProgressBar } from "./progress_bar.ts";
 * import assert from "node:assert/strict";
 *
 * let text = "";
 * const bar = createProgressBar((t) => text += t, { width: 4, now: () => 0 });
 * bar.update("layer", 0, 8);
 * bar.update("layer", 8, 8);
 * bar.finish();
 * assert.equal(text, "\r\x1b[Klayer [....]   0% 0 B / 8 B\r\x1b[Klayer [####] 100% 8 B / 8 B\n");
 * ```
 *
 * @param write Writes text to the terminal.
 * @param options Bar width, redraw interval and clock (for tests).
 * @returns The bar.
 */
export function createProgressBar(
  write: (text: string) => void,
  options: { width?: number; intervalMs?: number; now?: () => number } = {},
): ProgressBar {
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 100;
  let label: string | undefined;
  let lastDraw = -Infinity;
  let lastDone = -1;
  const draw = (text: string) => write(`\r\x1b[K${text}`);
  return {
    update(next, done, total) {
      if (label !== undefined && label !== next) {
        write("\n");
        lastDraw = -Infinity;
        lastDone = -1;
      }
      label = next;
      const complete = done >= total;
      if (done === lastDone || (!complete && now() - lastDraw < interval)) return;
      lastDraw = now();
      lastDone = done;
      draw(formatProgressLine(next, done, total, options.width));
    },
    finish() {
      if (label !== undefined) write("\n");
      label = undefined;
    },
  };
}
