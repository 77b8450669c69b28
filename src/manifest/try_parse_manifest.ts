import { keepNumberSources } from "./_number_sources.ts";
import { loadYaml } from "./_load_yaml.ts";
import type { ManifestValidation } from "./types.ts";
import { validateManifest } from "./validate_manifest.ts";

/**
 * Parses the text of an `extension.yaml` and validates it, without throwing: YAML syntax
 * errors are problems that give the line and column, and every field problem is reported
 * (see {@linkcode validateManifest} for the rules).
 *
 * Version fields written as YAML numbers (`version: 1.20`, `etcd: 3.5` in `dependencies`, or
 * `version: 3.50` in a `dependencies` item) are reported by their text (`"1.20"`), not by the
 * number YAML reads (`1.2`).
 *
 * @example
 * ```ts
 * import { tryParseManifest } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const result = tryParseManifest(
 *   "extension:\n  name: aws\n  version: 1.20\n  type: provider\n",
 *   "aws/extension.yaml",
 * );
 * assert.deepEqual(result.problems, [{
 *   path: "extension.version",
 *   message: '"1.20" is not a semantic version; write "1.20.0"',
 * }]);
 * ```
 *
 * @param text The YAML text.
 * @param file The file it came from, used in warnings.
 * @returns The manifest when valid, every problem, and the warnings.
 */
export function tryParseManifest(text: string, file: string): ManifestValidation {
  const loaded = loadYaml(text);
  if (typeof loaded === "string") {
    return { problems: [{ path: "", message: loaded }], warnings: [] };
  }
  keepNumberSources(loaded.data, loaded.events, text);
  return validateManifest(loaded.data, file);
}
