import type { ManifestProblem } from "./types.ts";

/**
 * Renders a manifest problem as one line: `<file>: <path>: <message>`, or `<file>: <message>`
 * when the problem concerns the whole file.
 *
 * @example
 * ```ts
 * import { formatManifestProblem } from "./format_manifest_problem.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   formatManifestProblem("aws/extension.yaml", {
 *     path: "extension.version",
 *     message: '"1.2" is not a semantic version',
 *   }),
 *   'aws/extension.yaml: extension.version: "1.2" is not a semantic version',
 * );
 * ```
 *
 * @param file The manifest file the problem was found in.
 * @param problem The problem.
 * @returns One line naming file, field and problem.
 */
export function formatManifestProblem(file: string, problem: ManifestProblem): string {
  return problem.path === ""
    ? `${file}: ${problem.message}`
    : `${file}: ${problem.path}: ${problem.message}`;
}
