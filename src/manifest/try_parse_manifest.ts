import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type YAMLError,
} from "yaml";
import { formatManifestProblem } from "./format_manifest_problem.ts";
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => ({ path: "", message: yamlProblem(error) })),
      warnings: [],
    };
  }
  const warnings = doc.warnings.map((warning) =>
    formatManifestProblem(file, { path: "", message: yamlProblem(warning) })
  );

  keepNumberSource(doc.getIn(["extension", "version"], true));
  const dependencies = doc.get("dependencies", true);
  if (isMap(dependencies)) {
    for (const item of dependencies.items) keepNumberSource(item.value);
  } else if (isSeq(dependencies)) {
    for (const item of dependencies.items) {
      if (isMap(item)) keepNumberSource(item.get("version", true));
    }
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Unresolved aliases and alias bombs surface only here; point at the alias when we can.
    const reason = error instanceof Error ? error.message : String(error);
    const where = unresolvedAliasPosition(doc, lineCounter);
    return { problems: [{ path: "", message: `invalid YAML${where}: ${reason}` }], warnings };
  }
  const result = validateManifest(data, file);
  return { ...result, warnings: [...warnings, ...result.warnings] };
}

/** Replaces a numeric scalar's value by its source text (`1.20` stays `"1.20"`). */
function keepNumberSource(node: unknown): void {
  if (isScalar(node) && typeof node.value === "number" && typeof node.source === "string") {
    node.value = node.source;
  }
}

/** One line for a YAML error: what is wrong and where. */
function yamlProblem(error: YAMLError): string {
  const position = error.linePos?.[0];
  const where = position === undefined ? "" : ` at line ${position.line}, column ${position.col}`;
  const reason = error.code === "MULTIPLE_DOCS"
    ? "the file holds more than one YAML document"
    : (error.message.split("\n", 1)[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
  return `invalid YAML${where}: ${reason}`;
}

/** ` at line L, column C` of the first alias without an anchor, or `""`. */
function unresolvedAliasPosition(doc: Document, lineCounter: LineCounter): string {
  let where = "";
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined || !node.range) return undefined;
      const { line, col } = lineCounter.linePos(node.range[0]);
      where = ` at line ${line}, column ${col}`;
      return visit.BREAK;
    },
  });
  return where;
}
