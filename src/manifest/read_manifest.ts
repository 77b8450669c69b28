import { join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { withRangeEngine } from "../versions/_range_engine.ts";
import { parseManifest } from "./parse_manifest.ts";
import type { ExtensionManifest, ManifestReadOptions } from "./types.ts";

/** The manifest's file name at the root of every extension. */
export const MANIFEST_FILE = "extension.yaml";

/**
 * Reads and validates `<dir>/extension.yaml`.
 *
 * @example
 * ```ts
 * import { readManifest } from "./read_manifest.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   `${dir}/extension.yaml`,
 *   "extension:\n  name: aws\n  version: 2.4.1\n  type: provider\n",
 * );
 * assert.equal((await readManifest(dir)).extension.name, "aws");
 * await Deno.remove(dir, { recursive: true });
 * await assert.rejects(readManifest(dir), { code: "INVALID_EXTENSION" });
 * ```
 *
 * @param dir The extension directory.
 * @param options Where warnings (unknown keys…) go.
 * @returns The validated manifest.
 * @throws {ProvisioningError} `INVALID_EXTENSION` when the file is missing or unreadable (the
 * message names its path); `INVALID_MANIFEST` with every problem when it is not valid.
 */
export async function readManifest(
  dir: string,
  options: ManifestReadOptions = {},
): Promise<ExtensionManifest> {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    throw unreadableManifest(file, error);
  }
  return await withRangeEngine(() => parseManifest(text, file, options));
}

/** The error for a manifest that cannot be read. */
function unreadableManifest(file: string, error: unknown): ProvisioningError {
  if (error instanceof Deno.errors.NotFound) {
    return new ProvisioningError(
      "INVALID_EXTENSION",
      `Extension manifest ${JSON.stringify(file)} is missing`,
      { hint: `Every extension directory needs an ${MANIFEST_FILE} at its root`, cause: error },
    );
  }
  if (error instanceof Deno.errors.IsADirectory) {
    return new ProvisioningError(
      "INVALID_EXTENSION",
      `Extension manifest ${JSON.stringify(file)} is a directory, not a file`,
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ProvisioningError(
    "INVALID_EXTENSION",
    `Cannot read extension manifest ${JSON.stringify(file)}: ${reason}`,
    { cause: error },
  );
}
