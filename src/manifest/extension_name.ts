/** The longest extension name accepted. */
export const EXTENSION_NAME_MAX_LENGTH = 128;

/**
 * Extension names: lower-case letters and digits, with inner runs of `-` or a single `_`
 * between them (`kubernetes`, `aws`, `k8s-nodejoin`, `oci_reg`). Every such name is a valid
 * OCI repository path component and a safe directory name; it never starts or ends with a
 * separator and holds no `.`, `/` or upper case.
 */
export const EXTENSION_NAME_PATTERN: RegExp = /^[a-z0-9]+(?:(?:-+|_)[a-z0-9]+)*$/;

/**
 * Tells whether `name` is a valid extension name: matches {@linkcode EXTENSION_NAME_PATTERN}
 * and is at most {@linkcode EXTENSION_NAME_MAX_LENGTH} characters long.
 *
 * @example
 * ```ts
 * import { isExtensionName } from "./extension_name.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isExtensionName("k8s-nodejoin"));
 * assert.ok(!isExtensionName("Kubernetes"));
 * assert.ok(!isExtensionName("-aws"));
 * ```
 *
 * @param name Anything; only strings can be names.
 * @returns Whether `name` is a valid extension name.
 */
export function isExtensionName(name: string): boolean {
  return typeof name === "string" && name.length <= EXTENSION_NAME_MAX_LENGTH &&
    EXTENSION_NAME_PATTERN.test(name);
}
