/**
 * Path resolution shared by every layer: `~` expansion and relative → absolute.
 *
 * @module
 */

import { isAbsolute, join, resolve } from "../fs/path.ts";

/**
 * Expands a leading `~` (alone or followed by a separator) to `home`, then resolves a relative
 * path against `base`.
 *
 * @param path The path as written.
 * @param base Absolute directory relative paths are resolved against.
 * @param home Absolute home directory.
 * @returns An absolute, normalised path.
 */
export function resolvePath(path: string, base: string, home: string): string {
  if (path === "~") return resolve(home);
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(home, path.slice(2));
  return isAbsolute(path) ? resolve(path) : resolve(base, path);
}
