/**
 * The full spec parser (`parse_version_spec.ts`, on `semver`: CommonJS, ~30 ms to evaluate)
 * for synchronous code that must stay cheap when no range appears: validating a cached
 * extension's manifest reads its dependency specs, and most are plain or absent. Such code
 * takes the parser from here; when it is not loaded yet it throws
 * {@linkcode SpecParserNeeded}, and its asynchronous caller loads it and runs again
 * ({@linkcode withSpecParser}). Private to src/versions and src/manifest.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { VersionSpec } from "./types.ts";

type SpecParser = (spec: string) => VersionSpec;

let loaded: SpecParser | undefined;

/**
 * Records the parser; `parse_version_spec.ts` calls it when it is evaluated.
 *
 * @param parser `parseVersionSpec`.
 */
export function provideSpecParser(parser: SpecParser): void {
  loaded = parser;
}

/** Thrown by synchronous code that met a range before the parser was loaded. */
export class SpecParserNeeded extends ProvisioningError {
  constructor() {
    super("INTERNAL", "A version range was read before the version spec parser was loaded");
  }
}

/**
 * `parseVersionSpec`, when some module has loaded it.
 *
 * @returns The parser.
 * @throws {SpecParserNeeded} When it is not loaded yet.
 */
export function loadedSpecParser(): SpecParser {
  if (loaded === undefined) throw new SpecParserNeeded();
  return loaded;
}

/**
 * Runs `task`; when it needed the parser before it was loaded, loads it and runs `task` again
 * (the synchronous code that throws {@linkcode SpecParserNeeded} has no side effects before).
 *
 * @example
 * ```ts
 * import { loadedSpecParser, withSpecParser } from "./_spec_parser.ts";
 * import assert from "node:assert/strict";
 *
 * const spec = await withSpecParser(() => loadedSpecParser()("^1.2.0"));
 * assert.equal(spec.kind, "range");
 * ```
 *
 * @param task Synchronous work that may read a range.
 * @returns What `task` returns.
 */
export async function withSpecParser<T>(task: () => T): Promise<T> {
  try {
    return task();
  } catch (error) {
    if (!(error instanceof SpecParserNeeded)) throw error;
    await import("./parse_version_spec.ts");
    return task();
  }
}
