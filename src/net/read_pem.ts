/**
 * Reading a PEM file a setting names (a CA file, a client certificate or key), the one way
 * both HTTP clients (the registry's and Gitea's) read them, so an unreadable file is the same
 * one-line `INVALID_CONFIG` naming the setting.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";

/**
 * Reads a PEM file; failure is `INVALID_CONFIG` naming the file and the setting to fix, or
 * `UNSUPPORTED` when the command's permission set does not include the file.
 *
 * @example
 * ```ts
 * import { readPem } from "./read_pem.ts";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(readPem("/nonexistent/ca.pem", "CA file", "[gitea] ca_file"), {
 *   code: "INVALID_CONFIG",
 *   message: 'Cannot read CA file "/nonexistent/ca.pem"',
 *   hint: "Fix [gitea] ca_file: it must be a readable PEM file",
 * });
 * ```
 *
 * @param path The file.
 * @param what What it is, for the message (`CA file`, `client key`).
 * @param setting The setting that names it (`[oci] ca_file`), for the hint.
 * @returns Its text.
 * @throws {ProvisioningError} `INVALID_CONFIG` when it cannot be read; `UNSUPPORTED` (exit 2)
 *   when Deno refuses the read.
 */
export async function readPem(path: string, what: string, setting: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    // Outside the command's permission set: the file may be fine, the plan did not grant it.
    if (error instanceof Deno.errors.NotCapable) {
      throw new ProvisioningError(
        "UNSUPPORTED",
        `Cannot read ${what} "${path}": not in this command's permission set`,
        { cause: error, hint: "See what the command may use: provisioning ext permissions" },
      );
    }
    throw new ProvisioningError("INVALID_CONFIG", `Cannot read ${what} "${path}"`, {
      cause: error,
      hint: `Fix ${setting}: it must be a readable PEM file`,
    });
  }
}
