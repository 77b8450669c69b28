/**
 * Human-readable byte counts for publish output (binary units, one decimal).
 *
 * @module
 */

const UNITS = ["KiB", "MiB", "GiB", "TiB"] as const;

/**
 * Formats a byte count: bytes below 1 KiB as `N B`, larger ones with one decimal in KiB, MiB,
 * GiB or TiB.
 *
 * @example
 * ```ts
 * import { formatSize } from "./format_size.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatSize(812), "812 B");
 * assert.equal(formatSize(1536), "1.5 KiB");
 * assert.equal(formatSize(100 * 1024 * 1024), "100.0 MiB");
 * ```
 *
 * @param bytes A non-negative byte count.
 * @returns The formatted size.
 */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}
