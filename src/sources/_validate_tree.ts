/**
 * Validating an unpacked extension tree in a staging directory, with the problems told
 * relative to the tree and the whole named for what it came from. Private to the sources.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { type ExtensionManifest, validateExtensionDir } from "../manifest/mod.ts";

/**
 * Validates the tree unpacked in `dir`, naming `subject` instead of the staging directory.
 *
 * @param dir The staging directory.
 * @param subject What the tree came from, as the message's subject (`Artifact "…"`,
 *   `The tag "…" of …`).
 * @param onWarning Receives the manifest's warnings, named for `subject` too.
 * @returns The tree's manifest.
 * @throws {ProvisioningError} With the validation's code, `{subject} does not hold a valid
 *   extension`, and its problems (paths relative to the tree) as details.
 */
export async function validateUnpackedTree(
  dir: string,
  subject: string,
  onWarning?: (message: string) => void,
): Promise<ExtensionManifest> {
  const relative = (line: string) => line.replaceAll(`${dir}/`, "").replaceAll(dir, ".");
  try {
    return await validateExtensionDir(
      dir,
      onWarning === undefined ? {} : { onWarning: (w) => onWarning(`${subject}: ${relative(w)}`) },
    );
  } catch (error) {
    if (!(error instanceof ProvisioningError)) throw error;
    throw new ProvisioningError(error.code, `${subject} does not hold a valid extension`, {
      details: (error.details.length > 0 ? error.details : [error.message])
        .map(relative),
      cause: error,
    });
  }
}
