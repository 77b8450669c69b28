import { ProvisioningError } from "../errors.ts";
import { join } from "../fs/path.ts";

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
 * @throws {ProvisioningError} `UNSUPPORTED` when this module is not a local file.
 */
export function examplesDirForPermissions(): string {
  // import.meta.dirname instead of node:url's fileURLToPath: the launcher loads no node: module.
  const here = import.meta.dirname;
  if (here === undefined) {
    throw new ProvisioningError("UNSUPPORTED", `Not run from local files: ${import.meta.url}`);
  }
  const candidates = [
    join(here, "../../examples/extensions"),
    join(here, "../examples/extensions"),
  ];
  return candidates.find(isDirectory) ?? candidates[0]!;
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
