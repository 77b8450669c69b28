/**
 * Types of `extension.yaml`, the manifest at the root of every extension.
 *
 * @module
 */

/** The three kinds of extension. */
export type ExtensionType = "provider" | "taskserv" | "cluster";

/** Every extension type, in display order. */
export const EXTENSION_TYPES: readonly ExtensionType[] = ["provider", "taskserv", "cluster"];

/** The `extension:` block. */
export interface ExtensionInfo {
  name: string;
  version: string;
  type: ExtensionType;
  description?: string;
  author?: string;
}

/** The `metadata:` block. */
export interface ExtensionMetadata {
  homepage?: string;
  repository?: string;
  license?: string;
}

/** A validated `extension.yaml`. */
export interface ExtensionManifest {
  extension: ExtensionInfo;
  /** Requirements such as `{ kcl: ">=0.9.0" }` or a list of names, kept as written. */
  requires?: Record<string, unknown> | unknown[];
  /**
   * Other extensions this one needs: name → version spec, `"*"` for any version. One form
   * whatever the file wrote: a mapping (`etcd: "^3.5.0"`) or a list of names (`etcd`),
   * `name@spec` items (`etcd@^3.5.0`) and `{name, version, type}` items.
   */
  dependencies?: Record<string, string>;
  /**
   * The extension type each dependency must have (name → type), for the dependencies whose
   * `{name, version, type}` item names one; every key is a key of `dependencies`. Absent when
   * no dependency names a type. Serialised manifests (the OCI config blob) carry it as a
   * top-level `dependencyTypes` mapping, which validation accepts back.
   *
   * @example
   * ```ts
   * import { validateManifest } from "./mod.ts";
   * import assert from "node:assert/strict";
   *
   * const { manifest } = validateManifest(
   *   {
   *     extension: { name: "buildkit", version: "0.12.0", type: "cluster" },
   *     dependencies: [{ name: "kubernetes", version: "^1.28.0", type: "taskserv" }, "etcd"],
   *   },
   *   "extension.yaml",
   * );
   * assert.deepEqual(manifest?.dependencies, { kubernetes: "^1.28.0", etcd: "*" });
   * assert.deepEqual(manifest?.dependencyTypes, { kubernetes: "taskserv" });
   * ```
   */
  dependencyTypes?: Record<string, ExtensionType>;
  metadata?: ExtensionMetadata;
  /**
   * Code the extension runs (`hooks:`): hook name → module path inside the extension
   * (`hooks/validate.ts`, `hooks/render.wasm`). See {@linkcode HookPermissions}.
   */
  hooks?: Record<string, string>;
  /** What the hooks may do (`permissions:`); defaults filled in when `hooks` is present. */
  permissions?: HookPermissions;
}

/**
 * The `permissions:` block: everything a hook may do besides computing. Nothing else is
 * granted: no processes, no FFI, no system information, writes only to a per-call scratch
 * folder.
 */
export interface HookPermissions {
  /** Hosts (`host` or `host:port`) the hooks may connect to. */
  net: string[];
  /** Paths inside the extension the hooks may read (`templates/`), relative, normalised. */
  read: string[];
  /** Environment variables the hooks may read. */
  env: string[];
  /** Seconds a hook call may take (default 30). */
  timeout: number;
  /** MiB of memory a WebAssembly hook may use (default 64). */
  memory: number;
}

/** One problem found in a manifest: where it is and what is wrong. */
export interface ManifestProblem {
  /**
   * Dotted path of the field (`extension.version`, `dependencies.kubernetes`), with the index
   * of a list item (`dependencies[1]`, `dependencies[1].version`), or `""` when
   * the problem concerns the whole file (invalid YAML, not a mapping).
   */
  path: string;
  /** What is wrong: one line, values quoted (`"1.2" is not a semantic version; …`). */
  message: string;
}

/** The outcome of validating a manifest: every problem at once, never just the first. */
export interface ManifestValidation {
  /** The manifest, present only when there are no problems. Unknown keys are left out. */
  manifest?: ExtensionManifest;
  /** Everything wrong with the manifest, field by field. Empty when it is valid. */
  problems: ManifestProblem[];
  /** Things that are not errors, e.g. unknown keys; each line starts with the file. */
  warnings: string[];
}

/** Options of the throwing manifest readers. */
export interface ManifestReadOptions {
  /** Called with each warning (unknown keys…); warnings are dropped when absent. */
  onWarning?: (warning: string) => void;
}
