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
 * A download progress bar on stderr, only when stderr is a terminal.
 *
 * @example
 * ```ts
 * import { downloadProgress } from "./progress.ts";
 * import assert from "node:assert/strict";
 *
 * let text = "";
 * const io = { out: () => {}, err: (t: string) => text += t, stderrIsTerminal: true, color: false };
 * const progress = downloadProgress(io);
 * progress.onProgress?.({ name: "aws", version: "1.0.0", transferred: 10, total: 10 });
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
