import { ProvisioningError } from "../errors.ts";

// deno-lint-ignore no-control-regex -- control characters are refused on purpose
const FORBIDDEN_IN_SEGMENT = /[\\:\x00-\x1f\x7f]/;

/**
 * Checks and normalises the directory inside a repository where an extension lives:
 * surrounding slashes and `./` segments are dropped, `""` means the repository root.
 *
 * @example
 * ```ts
 * import { normalizeSubpath } from "./normalize_subpath.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(normalizeSubpath("/extensions/aws/"), "extensions/aws");
 * assert.equal(normalizeSubpath(undefined), "");
 * assert.throws(() => normalizeSubpath("../etc"), { code: "INVALID_CONFIG" });
 * ```
 *
 * @param subpath The sub-path as configured, or `undefined`.
 * @returns The normalised sub-path, `""` for the root.
 * @throws {ProvisioningError} `INVALID_CONFIG` for `..` segments, backslashes, `:` or
 *   control characters.
 */
export function normalizeSubpath(subpath: string | undefined): string {
  if (subpath === undefined) return "";
  const segments = subpath.split("/").filter((segment) => segment !== "" && segment !== ".");
  const bad = segments.find((segment) =>
    segment === ".." || FORBIDDEN_IN_SEGMENT.test(segment) || segment.startsWith("-")
  );
  if (bad !== undefined) {
    throw new ProvisioningError(
      "INVALID_CONFIG",
      `Cannot use sub-path "${subpath}": segment "${bad}" is not allowed`,
      { hint: 'Give a relative directory inside the repository, e.g. "extensions/aws"' },
    );
  }
  return segments.join("/");
}
