/**
 * Workspaces: resolving requirements and their dependencies to one version per name, the
 * tree hash that names unpacked content whichever source delivered it, and the lock file.
 *
 * @example
 * ```ts
 * import { resolveDependencies } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const graph = await resolveDependencies([{ name: "aws", spec: "^2.0.0" }], {
 *   entry: () => Promise.resolve({ versions: ["1.0.0", "2.4.1"], type: "provider" }),
 *   version: () => Promise.resolve({ dependencies: {} }),
 * });
 * assert.equal(graph.nodes[0]?.version, "2.4.1");
 * ```
 *
 * @module
 */

export * from "./resolve_dependencies.ts";
export * from "./tree_hash.ts";
export * from "./lock_file.ts";
export * from "./loader_index.ts";
export * from "./requirements_file.ts";
export * from "./install_workspace.ts";
export * from "./outdated.ts";
export * from "./required_tools.ts";
export * from "./locked_version.ts";
export * from "./edit_requirements.ts";
