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
  /** Other extensions this one needs: name → version spec. */
  dependencies?: Record<string, string>;
  metadata?: ExtensionMetadata;
}

/** One problem found in a manifest: where it is and what is wrong. */
export interface ManifestProblem {
  /**
   * Dotted path of the field (`extension.version`, `dependencies.kubernetes`), or `""` when
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
