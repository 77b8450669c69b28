/**
 * Where cosign keeps an artifact's signatures without the referrers API: the tag
 * `sha256-<hex>.sig` in the artifact's own repository.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { isDigest } from "../oci/reference.ts";

/**
 * The signature tag of a manifest digest (what `cosign triangulate` prints after the colon).
 *
 * @example
 * ```ts
 * import { signatureTag } from "./signature_tag.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(signatureTag("sha256:" + "ab".repeat(32)), "sha256-" + "ab".repeat(32) + ".sig");
 * assert.throws(() => signatureTag("1.0.0"), { code: "INVALID_REFERENCE" });
 * ```
 *
 * @param digest The signed manifest's digest (`sha256:…`).
 * @returns The tag.
 * @throws {ProvisioningError} `INVALID_REFERENCE` for anything but a digest.
 */
export function signatureTag(digest: string): string {
  if (!isDigest(digest)) {
    throw new ProvisioningError("INVALID_REFERENCE", `Cannot name signatures of "${digest}"`);
  }
  return digest.replace(":", "-") + ".sig";
}
