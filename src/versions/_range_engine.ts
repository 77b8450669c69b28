/**
 * The range engine — `parseVersionSpec` and `resolveVersion`, on `semver` (CommonJS, ~30 ms
 * to evaluate) — for code that must stay cheap when no range appears: a cache hit validates
 * the entry's manifest (whose dependency specs are mostly plain or absent) and asks the local
 * folders for an exact version. Synchronous code takes the engine from here and, when it is
 * not loaded yet, throws {@linkcode RangeEngineNeeded}; its asynchronous caller loads it and
 * runs again ({@linkcode withRangeEngine}). `resolve_version.ts` provides the engine when it
 * is evaluated, so every module importing it (the barrels too) has it. Private to the
 * library.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { VersionSpec } from "./types.ts";

/** What reading and resolving a range needs. */
export interface RangeEngine {
  parseVersionSpec(spec: string): VersionSpec;
  resolveVersion(spec: string, available: readonly string[]): string | undefined;
}

let loaded: RangeEngine | undefined;

/**
 * Records the engine; `resolve_version.ts` calls it when it is evaluated.
 *
 * @param engine The functions.
 */
export function provideRangeEngine(engine: RangeEngine): void {
  loaded = engine;
}

/** Thrown by synchronous code that met a range before the engine was loaded. */
export class RangeEngineNeeded extends ProvisioningError {
  constructor() {
    super("INTERNAL", "A version range was read before the range engine was loaded");
  }
}

/**
 * The engine, when some module has loaded it.
 *
 * @returns The engine.
 * @throws {RangeEngineNeeded} When it is not loaded yet.
 */
export function loadedRangeEngine(): RangeEngine {
  if (loaded === undefined) throw new RangeEngineNeeded();
  return loaded;
}

/**
 * Loads the engine (evaluating `semver`).
 *
 * @returns The engine.
 */
export async function loadRangeEngine(): Promise<RangeEngine> {
  if (loaded === undefined) await import("./resolve_version.ts");
  return loadedRangeEngine();
}

/**
 * Runs `task`; when it needed the engine before it was loaded, loads it and runs `task` again
 * (the synchronous code that throws {@linkcode RangeEngineNeeded} has no effect before).
 *
 * @example
 * ```ts
 * import { loadedRangeEngine, withRangeEngine } from "./_range_engine.ts";
 * import assert from "node:assert/strict";
 *
 * const spec = await withRangeEngine(() => loadedRangeEngine().parseVersionSpec("^1.2.0"));
 * assert.equal(spec.kind, "range");
 * ```
 *
 * @param task Synchronous work that may read a range.
 * @returns What `task` returns.
 */
export async function withRangeEngine<T>(task: () => T): Promise<T> {
  try {
    return task();
  } catch (error) {
    if (!(error instanceof RangeEngineNeeded)) throw error;
    await loadRangeEngine();
    return task();
  }
}
