/**
 * Rewrites the version in the text of an `extension.yaml`, leaving every other byte alone.
 *
 * @module
 */

import type { Scalar } from "yaml";
import { ProvisioningError } from "../errors.ts";

/**
 * Returns the `extension.yaml` text with `extension.version` set to `version`, everything
 * else (comments, quoting, layout) byte for byte as written. The YAML document API locates
 * the version scalar; only its source range is replaced, in the quoting style it had. The
 * `yaml` package (CommonJS, ~60 ms to evaluate) is loaded only when a version is rewritten.
 *
 * @example
 * ```ts
 * import { setManifestVersion } from "./manifest_version.ts";
 * import assert from "node:assert/strict";
 *
 * const text = 'extension:\n  name: aws  # cloud\n  version: "1.0.0" # bump\n';
 * assert.equal(
 *   await setManifestVersion(text, "1.1.0"),
 *   'extension:\n  name: aws  # cloud\n  version: "1.1.0" # bump\n',
 * );
 * ```
 *
 * @param text The `extension.yaml` content.
 * @param version The version to write.
 * @returns The new content.
 * @throws {ProvisioningError} `INVALID_MANIFEST` when the text has no `extension.version`
 *   scalar or cannot be parsed.
 */
export async function setManifestVersion(text: string, version: string): Promise<string> {
  const { isScalar, parseDocument, Scalar } = await import("yaml");
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new ProvisioningError("INVALID_MANIFEST", "Cannot parse extension.yaml", {
      cause: doc.errors[0],
      details: doc.errors.map((e) => e.message),
    });
  }
  const node = doc.getIn(["extension", "version"], true);
  if (!isScalar(node) || node.range === undefined || node.range === null) {
    throw new ProvisioningError(
      "INVALID_MANIFEST",
      'Cannot set the version of extension.yaml: no "extension.version" value',
      { hint: "Add `version:` under `extension:`" },
    );
  }
  const [start, end] = node.range;
  const updated = text.slice(0, start) + renderScalar(version, node.type, Scalar) +
    text.slice(end);
  const check = parseDocument(updated).getIn(["extension", "version"]);
  if (check !== version) {
    throw new ProvisioningError(
      "INVALID_MANIFEST",
      `Cannot set the version of extension.yaml to "${version}"`,
      { hint: "Write `version:` as a plain or quoted scalar" },
    );
  }
  return updated;
}

/** Writes a version in the scalar style the old value had (block styles become `"…"`). */
function renderScalar(version: string, type: Scalar["type"], styles: typeof Scalar): string {
  switch (type) {
    case styles.PLAIN:
      return version;
    case styles.QUOTE_SINGLE:
      return `'${version.replaceAll("'", "''")}'`;
    default:
      return JSON.stringify(version);
  }
}
