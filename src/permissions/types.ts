/**
 * The Deno permission set a run holds (`plan.ts` computes it), and the union of two.
 *
 * @module
 */

import { resolve, sep } from "node:path";

/**
 * The Deno permissions one command run needs, and nothing broader. Every list is sorted
 * and free of duplicates; an empty list grants nothing of that kind.
 */
export interface PermissionSet {
  /** Absolute paths (files or directories) that may be read: `--allow-read`. */
  read: string[];
  /** Absolute paths that may be written (and created, renamed, removed): `--allow-write`. */
  write: string[];
  /** `host:port` entries that may be connected to: `--allow-net`. */
  net: string[];
  /** Environment variables that may be read: `--allow-env`. */
  env: string[];
  /** Programs that may be started: `--allow-run` (`git`, Docker credential helpers). */
  run: string[];
  /**
   * Whether variables outside {@linkcode PermissionSet.env} read as unset instead of
   * throwing (`--ignore-env`), so libraries probing `NODE_DEBUG`, `CLICOLOR_FORCE` or
   * `LOG_TOKENS` see them unset.
   */
  ignoreEnv: boolean;
  /**
   * Paths whose reads answer `NotFound` instead of being refused (`--ignore-read=…`).
   * Unused by the computed sets (a refused read stays visible); kept so a caller can hide
   * probes it knows are harmless.
   */
  ignoreRead?: string[];
}

/**
 * Two sets together, kind by kind.
 *
 * @example
 * ```ts
 * import { unionPermissions } from "./types.ts";
 * import assert from "node:assert/strict";
 *
 * const a = { read: ["/a"], write: [], net: [], env: [], run: [], ignoreEnv: true };
 * const b = { ...a, read: ["/a/b", "/c"], net: ["h:1"] };
 * assert.deepEqual(unionPermissions(a, b).read, ["/a", "/c"]);
 * ```
 *
 * @param a One set.
 * @param b Another set.
 * @returns Their union (sorted, no duplicates, no path inside another listed path).
 */
export function unionPermissions(a: PermissionSet, b: PermissionSet): PermissionSet {
  return {
    read: minimalPaths([...a.read, ...b.read]),
    write: minimalPaths([...a.write, ...b.write]),
    net: unique([...a.net, ...b.net]),
    env: unique([...a.env, ...b.env]),
    run: unique([...a.run, ...b.run]),
    ignoreEnv: a.ignoreEnv && b.ignoreEnv,
  };
}

/** Sorted, without duplicates. */
export function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Normalised, sorted, de-duplicated; a path inside another listed path is dropped. */
export function minimalPaths(paths: readonly string[]): string[] {
  const sorted = unique(paths.filter((path) => path !== "").map((path) => resolve(path)));
  return sorted.filter((path) =>
    !sorted.some((other) =>
      other !== path && path.startsWith(other.endsWith(sep) ? other : other + sep)
    )
  );
}
