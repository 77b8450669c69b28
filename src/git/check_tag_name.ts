import { ProvisioningError } from "../errors.ts";

// deno-lint-ignore no-control-regex -- control characters are refused on purpose
const FORBIDDEN_CHARACTER = /[\x00-\x20\x7f~^:?*[\\]/;

/**
 * Checks that a tag name is one git accepts (`git check-ref-format`) and that it cannot be
 * mistaken for an option, before it is put on a git command line or into a URL.
 *
 * @example
 * ```ts
 * import { checkTagName } from "./check_tag_name.ts";
 * import assert from "node:assert/strict";
 *
 * checkTagName("v1.2.3");
 * assert.throws(() => checkTagName("--upload-pack=x"), { code: "INVALID_REFERENCE" });
 * assert.throws(() => checkTagName("a..b"), { code: "INVALID_REFERENCE" });
 * ```
 *
 * @param tag The tag name, without `refs/tags/`.
 * @throws {ProvisioningError} `INVALID_REFERENCE` when git would refuse the name or it starts
 *   with `-`.
 */
export function checkTagName(tag: string): void {
  const invalid = tag === "" || tag === "@" || tag.startsWith("-") || tag.startsWith("/") ||
    tag.endsWith("/") || tag.endsWith(".") || tag.includes("..") || tag.includes("//") ||
    tag.includes("@{") || FORBIDDEN_CHARACTER.test(tag) ||
    tag.split("/").some((part) => part.startsWith(".") || part.endsWith(".lock"));
  if (invalid) {
    throw new ProvisioningError(
      "INVALID_REFERENCE",
      `Cannot use tag "${tag}": not a valid git tag name`,
    );
  }
}
