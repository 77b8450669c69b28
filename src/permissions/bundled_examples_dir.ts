import { fileURLToPath } from "node:url";

/**
 * The bundled examples folder the local source falls back to, found the way
 * `bundledExamplesDir()` in `src/sources/local.ts` finds it (`examples/extensions` two
 * levels above this module in the sources, one level above the one-file bundle), without
 * loading the local source and its manifest parser: the launcher computes a permission set
 * before any command code loads. A test keeps the two in step.
 *
 * @example
 * ```ts
 * import { examplesDirForPermissions } from "./bundled_examples_dir.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(examplesDirForPermissions(), /examples[\\/]extensions$/);
 * ```
 *
 * @returns An absolute path to `examples/extensions`.
 */
export function examplesDirForPermissions(): string {
  const candidates = ["../../examples/extensions", "../examples/extensions"].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url))
  );
  return candidates.find(isDirectory) ?? candidates[0]!;
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
