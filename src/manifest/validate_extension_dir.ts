import { join } from "../fs/path.ts";
import { problemsError } from "./_problems_error.ts";
import { checkExtensionStructure } from "./check_extension_structure.ts";
import { formatManifestProblem } from "./format_manifest_problem.ts";
import { MANIFEST_FILE } from "./read_manifest.ts";
import { withRangeEngine } from "../versions/_range_engine.ts";
import { tryParseManifest } from "./try_parse_manifest.ts";
import type { ExtensionManifest, ManifestReadOptions } from "./types.ts";

/**
 * Validates a whole extension directory: its layout ({@linkcode checkExtensionStructure})
 * and its manifest ({@linkcode validateManifest}), reporting every problem of both at once.
 *
 * @example
 * ```ts
 * import { validateExtensionDir } from "./validate_extension_dir.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/kcl`);
 * await Deno.writeTextFile(
 *   `${dir}/extension.yaml`,
 *   "extension:\n  name: buildkit\n  version: 0.12.0\n  type: cluster\n",
 * );
 * assert.equal((await validateExtensionDir(dir)).extension.name, "buildkit");
 *
 * await Deno.writeTextFile(`${dir}/docs`, "");
 * await assert.rejects(validateExtensionDir(dir), { code: "INVALID_EXTENSION" });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The extension directory.
 * @param options Where warnings (unknown keys…) go.
 * @returns The validated manifest.
 * @throws {ProvisioningError} `INVALID_EXTENSION` when the layout is wrong (the details list
 * layout and manifest problems together), `INVALID_MANIFEST` when only the manifest is.
 */
export async function validateExtensionDir(
  dir: string,
  options: ManifestReadOptions = {},
): Promise<ExtensionManifest> {
  const structure = await checkExtensionStructure(dir);
  const file = join(dir, MANIFEST_FILE);
  const manifestLines: string[] = [];
  let manifest: ExtensionManifest | undefined;

  let text: string | undefined;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    // Missing or not a file: already reported by the structure check.
    if (!structure.some((line) => line.startsWith(`${file}: `) || line.startsWith(`${dir}: `))) {
      const reason = error instanceof Error ? error.message : String(error);
      manifestLines.push(`${file}: cannot be read (${reason})`);
    }
  }
  if (text !== undefined) {
    const result = await withRangeEngine(() => tryParseManifest(text, file));
    for (const warning of result.warnings) options.onWarning?.(warning);
    manifest = result.manifest;
    manifestLines.push(...result.problems.map((problem) => formatManifestProblem(file, problem)));
  }

  if (structure.length > 0) {
    throw problemsError("INVALID_EXTENSION", dir, [...structure, ...manifestLines]);
  }
  if (manifestLines.length > 0 || manifest === undefined) {
    throw problemsError("INVALID_MANIFEST", file, manifestLines);
  }
  return manifest;
}
