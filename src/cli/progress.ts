/**
 * Download progress for `ext load` and `ext pull`: a bar on stderr when it is a terminal,
 * nothing otherwise (so logs and pipes stay clean). The bar itself is the publish command's
 * (`src/publish/progress_bar.ts`), so uploads and downloads look the same.
 *
 * @module
 */

import { createProgressBar } from "../publish/progress_bar.ts";
import type { SourceProgress } from "../sources/types.ts";
import type { CliIo } from "./io.ts";

/** Progress callbacks for one command run. */
export interface DownloadProgress {
  /** Pass to the loader; undefined when stderr is not a terminal. */
  onProgress: ((progress: SourceProgress) => void) | undefined;
  /** Ends the bar's line, if one was drawn. Safe to call more than once. */
  finish(): void;
}

/**
 * A download progress bar on stderr, only when stderr is a terminal (and, as every bar, only
 * for a transfer of 1 MiB or more, or one still running after a second).
 *
 * @example
 * ```ts
 * import { downloadProgress } from "./progress.ts";
 * import assert from "node:assert/strict";
 *
 * let text = "";
 * const io = { out: () => {}, err: (t: string) => text += t, stderrIsTerminal: true, color: false };
 * const progress = downloadProgress(io);
 * const size = 2 * 1024 * 1024;
 * progress.onProgress?.({ name: "aws", version: "1.0.0", transferred: size, total: size });
 * progress.finish();
 * assert.match(text, /aws 1\.0\.0 \[#+\] 100%/);
 * assert.equal(downloadProgress({ ...io, stderrIsTerminal: false }).onProgress, undefined);
 * ```
 *
 * @param io Where to draw, and whether stderr is a terminal.
 * @returns The callback for the loader and a `finish` to call when done.
 */
export function downloadProgress(io: CliIo): DownloadProgress {
  if (!io.stderrIsTerminal) return { onProgress: undefined, finish() {} };
  const bar = createProgressBar((text) => io.err(text));
  return {
    onProgress: (p) => bar.update(`${p.name} ${p.version}`, p.transferred, p.total),
    finish: () => bar.finish(),
  };
}

/** A one-line count of finished items, for commands that fetch many things at once. */
export interface CountProgress {
  /** Records one finished item; undefined when stderr is not a terminal. */
  onItem: ((label: string, count: number) => void) | undefined;
  /** Ends the line, if one was drawn. Safe to call more than once. */
  finish(): void;
}

/**
 * One status line on stderr (`installing: 12 loaded (db 2.1.0)`), redrawn in place, only
 * when stderr is a terminal: concurrent downloads share it instead of each drawing a bar.
 *
 * @example
 * ```ts
 * import { countProgress } from "./progress.ts";
 * import assert from "node:assert/strict";
 *
 * let text = "";
 * const io = { out: () => {}, err: (t: string) => text += t, stderrIsTerminal: true, color: false };
 * const progress = countProgress(io, "installing");
 * progress.onItem?.("db 2.1.0", 1);
 * progress.onItem?.("web 1.1.0", 2);
 * progress.finish();
 * assert.match(text, /installing: 2 loaded \(web 1\.1\.0\)\n$/);
 * assert.equal(countProgress({ ...io, stderrIsTerminal: false }, "x").onItem, undefined);
 * ```
 *
 * @param io Where to draw, and whether stderr is a terminal.
 * @param what The line's prefix.
 * @returns The callback and a `finish` to call when done.
 */
export function countProgress(io: CliIo, what: string): CountProgress {
  if (!io.stderrIsTerminal) return { onItem: undefined, finish() {} };
  let drawn = false;
  return {
    onItem: (label, count) => {
      drawn = true;
      io.err(`\r\x1b[K${what}: ${count} loaded (${label})`);
    },
    finish: () => {
      if (drawn) io.err("\n");
      drawn = false;
    },
  };
}
