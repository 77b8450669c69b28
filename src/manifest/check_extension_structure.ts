import { join } from "../fs/path.ts";
import { MANIFEST_FILE } from "./read_manifest.ts";

/** Folders an extension may have; each must be a directory when present. */
export const OPTIONAL_EXTENSION_DIRS: readonly string[] = ["kcl", "scripts", "templates", "docs"];

/**
 * Checks the layout of an extension directory: `extension.yaml` must exist and be a file;
 * `kcl/`, `scripts/`, `templates/` and `docs/` are optional but must be directories when
 * present (symbolic links are followed; a broken one is a problem). Other entries are allowed.
 *
 * @example
 * ```ts
 * import { checkExtensionStructure } from "./check_extension_structure.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/kcl`, "not a folder");
 * const problems = await checkExtensionStructure(dir);
 * assert.deepEqual(problems, [
 *   `${dir}/extension.yaml: required file is missing`,
 *   `${dir}/kcl: must be a directory`,
 * ]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The extension directory.
 * @returns One line per problem, `<path>: <problem>`; empty when the layout is right.
 */
export async function checkExtensionStructure(dir: string): Promise<string[]> {
  const root = await inspect(dir);
  if (root.kind === "missing") return [`${dir}: extension directory does not exist`];
  if (root.kind === "error") return [`${dir}: cannot be read (${root.reason})`];
  if (root.kind !== "directory") return [`${dir}: must be a directory`];

  const problems: string[] = [];
  const manifest = join(dir, MANIFEST_FILE);
  const found = await inspect(manifest);
  const manifestProblem = describeWrongKind(found, "file");
  if (manifestProblem !== undefined) {
    problems.push(
      `${manifest}: ${found.kind === "missing" ? "required file is missing" : manifestProblem}`,
    );
  }
  for (const name of OPTIONAL_EXTENSION_DIRS) {
    const path = join(dir, name);
    const entry = await inspect(path);
    if (entry.kind === "missing") continue;
    const problem = describeWrongKind(entry, "directory");
    if (problem !== undefined) problems.push(`${path}: ${problem}`);
  }
  return problems;
}

type Entry =
  | { kind: "missing" | "file" | "directory" | "other" | "broken-link" }
  | { kind: "error"; reason: string };

function describeWrongKind(entry: Entry, wanted: "file" | "directory"): string | undefined {
  if (entry.kind === wanted) return undefined;
  switch (entry.kind) {
    case "missing":
      return "is missing";
    case "broken-link":
      return "is a broken symbolic link";
    case "error":
      return `cannot be read (${entry.reason})`;
    default:
      return `must be a ${wanted}`;
  }
}

async function inspect(path: string): Promise<Entry> {
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) return { kind: "directory" };
    return { kind: info.isFile ? "file" : "other" };
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      return { kind: "error", reason: error instanceof Error ? error.message : String(error) };
    }
  }
  try {
    await Deno.lstat(path);
    return { kind: "broken-link" };
  } catch {
    return { kind: "missing" };
  }
}
