/**
 * The Deno permission set a run holds (`plan.ts` computes it).
 *
 * @module
 */

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
   * throwing (`--ignore-env`), so libraries probing `NODE_DEBUG` or
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
