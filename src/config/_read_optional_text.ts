/**
 * Reads a config file that may be missing.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";

/**
 * Reads a text file; a missing file (or a missing parent folder) gives undefined.
 *
 * @param path Absolute path.
 * @returns The text, or undefined when the file does not exist.
 * @throws {ProvisioningError} `INVALID_CONFIG` when the file exists but cannot be read
 * (permission denied, a directory, not UTF-8…).
 */
export async function readOptionalText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProvisioningError("INVALID_CONFIG", `Cannot read config file "${path}": ${reason}`, {
      cause: error,
    });
  }
}
