/**
 * Extension manifests: the types of `extension.yaml`, parsing (YAML via `js-yaml`),
 * validation that reports every problem at once with its field path and file, and the
 * layout check of an extension directory (`extension.yaml` plus optional `kcl/`,
 * `scripts/`, `templates/`, `docs/`).
 *
 * Pure apart from reading files: nothing is written, nothing is packed (that is the publish
 * module's job).
 *
 * @example
 * ```ts
 * import { parseManifest } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const manifest = parseManifest(
 *   [
 *     "extension:",
 *     "  name: buildkit",
 *     "  version: 0.12.0",
 *     "  type: cluster",
 *     "dependencies:",
 *     '  kubernetes: "^1.28.0"',
 *   ].join("\n"),
 *   "extension.yaml",
 * );
 * assert.deepEqual(manifest.dependencies, { kubernetes: "^1.28.0" });
 * ```
 *
 * @module
 */

// Dependency ranges are validated with the range engine: loaded here for every user of the
// barrel (the modules on a cache hit import the manifest modules directly, see _range_engine.ts).
import "../versions/resolve_version.ts";

export * from "./types.ts";
export * from "./extension_name.ts";
export * from "./format_manifest_problem.ts";
export * from "./validate_manifest.ts";
export * from "./try_parse_manifest.ts";
export * from "./parse_manifest.ts";
export * from "./read_manifest.ts";
export * from "./check_extension_structure.ts";
export * from "./validate_extension_dir.ts";
