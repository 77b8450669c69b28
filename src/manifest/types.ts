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
