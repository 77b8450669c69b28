import { problemsError } from "./_problems_error.ts";
import { formatManifestProblem } from "./format_manifest_problem.ts";
import { tryParseManifest } from "./try_parse_manifest.ts";
import type { ExtensionManifest, ManifestReadOptions } from "./types.ts";

/**
 * Parses and validates the text of an `extension.yaml`, reporting every problem at once (see
 * {@linkcode validateManifest} for the rules, {@linkcode tryParseManifest} for the
 * non-throwing twin).
 *
 * @example
 * ```ts
 * import { parseManifest } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const manifest = parseManifest(
 *   "extension:\n  name: kubernetes\n  version: 1.28.0\n  type: taskserv\n",
 *   "extension.yaml",
 * );
 * assert.equal(manifest.extension.type, "taskserv");
 *
 * assert.throws(
 *   () => parseManifest("extension:\n  name: Aws\n  version: 1.2\n", "aws.yaml"),
 *   { code: "INVALID_MANIFEST", message: "aws.yaml: 3 problems found" },
 * );
 * ```
 *
 * @param text The YAML text.
 * @param file The file it came from, named in every problem.
 * @param options Where warnings (unknown keys…) go.
 * @returns The validated manifest, unknown keys left out.
 * @throws {ProvisioningError} `INVALID_MANIFEST` (exit 2): the message is the one problem
 * (`<file>: extension.version: "1.2" is not a semantic version; …`) or
 * `<file>: N problems found`, and `details` lists every problem.
 */
export function parseManifest(
  text: string,
  file: string,
  options: ManifestReadOptions = {},
): ExtensionManifest {
  const result = tryParseManifest(text, file);
  for (const warning of result.warnings) options.onWarning?.(warning);
  if (result.manifest !== undefined && result.problems.length === 0) return result.manifest;
  throw problemsError(
    "INVALID_MANIFEST",
    file,
    result.problems.map((problem) => formatManifestProblem(file, problem)),
  );
}
