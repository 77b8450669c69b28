import { isSemver } from "../versions/is_semver.ts";
import { parseVersionSpec } from "../versions/parse_version_spec.ts";
import { tagToVersion } from "../versions/tag_to_version.ts";
import { EXTENSION_NAME_MAX_LENGTH, isExtensionName } from "./extension_name.ts";
import { formatManifestProblem } from "./format_manifest_problem.ts";
import {
  EXTENSION_TYPES,
  type ExtensionInfo,
  type ExtensionManifest,
  type ExtensionMetadata,
  type ExtensionType,
  type ManifestProblem,
  type ManifestValidation,
} from "./types.ts";

const TOP_LEVEL_KEYS: readonly string[] = ["extension", "requires", "dependencies", "metadata"];
const EXTENSION_KEYS: readonly string[] = ["name", "version", "type", "description", "author"];
const METADATA_KEYS: readonly string[] = ["homepage", "repository", "license"];

type Mapping = Record<string, unknown>;

/**
 * Validates the data of an `extension.yaml` (as parsed from YAML, or the JSON config blob of
 * an OCI artifact) and reports every problem at once, each with its field path:
 *
 * - `extension` (required mapping): `name` (required, lower-case letters and digits with inner
 *   `-` or `_`, at most 128 characters), `version` (required, a strict semantic version such as
 *   `1.28.0`), `type` (required: `provider`, `taskserv` or `cluster`), `description` and
 *   `author` (optional strings).
 * - `requires` (optional): a mapping or a list, kept as written.
 * - `dependencies` (optional): a mapping of extension name to version spec, each spec checked
 *   with {@linkcode parseVersionSpec}; an extension cannot depend on itself.
 * - `metadata` (optional mapping): `homepage`, `repository`, `license` (strings).
 * - Unknown keys (top level, in `extension` or in `metadata`) are warnings, not errors, and
 *   are left out of the returned manifest. An empty value (`description:`) counts as absent.
 *
 * @example
 * ```ts
 * import { validateManifest } from "./validate_manifest.ts";
 * import assert from "node:assert/strict";
 *
 * const bad = validateManifest(
 *   { extension: { name: "aws", version: "1.2", type: "provider" } },
 *   "extension.yaml",
 * );
 * assert.equal(bad.manifest, undefined);
 * assert.equal(bad.problems[0]?.path, "extension.version");
 *
 * const good = validateManifest(
 *   { extension: { name: "aws", version: "2.4.1", type: "provider" }, x: 1 },
 *   "extension.yaml",
 * );
 * assert.equal(good.manifest?.extension.version, "2.4.1");
 * assert.deepEqual(good.warnings, ["extension.yaml: x: unknown top-level key, ignored"]);
 * ```
 *
 * @param data The parsed manifest.
 * @param file The file it came from, used in warnings.
 * @returns The manifest when valid, every problem, and the warnings.
 */
export function validateManifest(data: unknown, file: string): ManifestValidation {
  const problems: ManifestProblem[] = [];
  const warnings: string[] = [];
  const report = { problems, warnings, file };

  if (!isMapping(data)) {
    problems.push({
      path: "",
      message: data === undefined || data === null
        ? 'the manifest is empty, expected an "extension:" block'
        : `expected a mapping at the top level, got ${describe(data)}`,
    });
    return { problems, warnings };
  }
  warnUnknownKeys(data, TOP_LEVEL_KEYS, "", report);

  const extension = checkExtension(data["extension"], report);
  const requires = checkRequires(data["requires"], report);
  const dependencies = checkDependencies(data["dependencies"], extension?.name, report);
  const metadata = checkMetadata(data["metadata"], report);

  if (problems.length > 0 || extension === undefined) return { problems, warnings };
  const manifest: ExtensionManifest = { extension };
  if (requires !== undefined) manifest.requires = requires;
  if (dependencies !== undefined) manifest.dependencies = dependencies;
  if (metadata !== undefined) manifest.metadata = metadata;
  return { manifest, problems, warnings };
}

interface Report {
  problems: ManifestProblem[];
  warnings: string[];
  file: string;
}

function checkExtension(value: unknown, report: Report): ExtensionInfo | undefined {
  if (isAbsent(value)) {
    report.problems.push({ path: "extension", message: "is required" });
    return undefined;
  }
  if (!isMapping(value)) {
    report.problems.push({
      path: "extension",
      message: `expected a mapping with name, version and type, got ${describe(value)}`,
    });
    return undefined;
  }
  warnUnknownKeys(value, EXTENSION_KEYS, "extension", report);
  const name = checkName(value["name"], "extension.name", report);
  const version = checkVersion(value["version"], report);
  const type = checkType(value["type"], report);
  const description = optionalString(value["description"], "extension.description", report);
  const author = optionalString(value["author"], "extension.author", report);
  if (name === undefined || version === undefined || type === undefined) return undefined;
  const info: ExtensionInfo = { name, version, type };
  if (description !== undefined) info.description = description;
  if (author !== undefined) info.author = author;
  return info;
}

function checkName(value: unknown, path: string, report: Report): string | undefined {
  const name = requiredString(value, path, report);
  if (name === undefined) return undefined;
  const problem = nameProblem(name);
  if (problem === undefined) return name;
  report.problems.push({ path, message: problem });
  return undefined;
}

function nameProblem(name: string): string | undefined {
  if (name.length > EXTENSION_NAME_MAX_LENGTH) {
    return `is ${name.length} characters long, the limit is ${EXTENSION_NAME_MAX_LENGTH}`;
  }
  if (isExtensionName(name)) return undefined;
  const lower = name.toLowerCase();
  const advice = isExtensionName(lower)
    ? `write ${JSON.stringify(lower)}`
    : 'use lower-case letters and digits, separated by "-" or "_"';
  return `${JSON.stringify(name)} is not a valid extension name; ${advice}`;
}

function checkVersion(value: unknown, report: Report): string | undefined {
  const path = "extension.version";
  // A YAML number (`version: 1.2`) is reported by its text, like a string would be.
  const text = typeof value === "number" ? String(value) : requiredString(value, path, report);
  if (text === undefined) return undefined;
  if (isSemver(text)) return text;
  const fixed = tagToVersion(text) ?? completePartial(text);
  const advice = fixed === undefined
    ? 'expected MAJOR.MINOR.PATCH such as "1.2.0"'
    : `write ${JSON.stringify(fixed)}`;
  report.problems.push({
    path,
    message: `${JSON.stringify(text)} is not a semantic version; ${advice}`,
  });
  return undefined;
}

/** `1.2` → `1.2.0`, `1` → `1.0.0`, when that makes a valid version. */
function completePartial(text: string): string | undefined {
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const full = [...text.split("."), "0", "0"].slice(0, 3).join(".");
  return isSemver(full) ? full : undefined;
}

function checkType(value: unknown, report: Report): ExtensionType | undefined {
  const path = "extension.type";
  const expected = `expected one of ${EXTENSION_TYPES.join(", ")}`;
  if (isAbsent(value)) {
    report.problems.push({ path, message: `is required (${EXTENSION_TYPES.join(", ")})` });
    return undefined;
  }
  if (typeof value !== "string") {
    report.problems.push({ path, message: `${expected}, got ${describe(value)}` });
    return undefined;
  }
  const type = EXTENSION_TYPES.find((candidate) => candidate === value);
  if (type !== undefined) return type;
  report.problems.push({
    path,
    message: `${JSON.stringify(value)} is not an extension type; ${expected}`,
  });
  return undefined;
}

function checkRequires(
  value: unknown,
  report: Report,
): Record<string, unknown> | unknown[] | undefined {
  if (isAbsent(value)) return undefined;
  if (Array.isArray(value) || isMapping(value)) return value;
  report.problems.push({
    path: "requires",
    message: `expected a mapping or a list, got ${describe(value)}`,
  });
  return undefined;
}

function checkDependencies(
  value: unknown,
  ownName: string | undefined,
  report: Report,
): Record<string, string> | undefined {
  if (isAbsent(value)) return undefined;
  if (!isMapping(value)) {
    report.problems.push({
      path: "dependencies",
      message: `expected a mapping of extension name to version spec, got ${describe(value)}`,
    });
    return undefined;
  }
  const dependencies: Record<string, string> = {};
  for (const [name, spec] of Object.entries(value)) {
    const path = childPath("dependencies", name);
    const problem = nameProblem(name) ??
      (name === ownName ? "an extension cannot depend on itself" : undefined);
    if (problem !== undefined) report.problems.push({ path, message: problem });
    const text = checkSpec(spec, path, report);
    if (text !== undefined) dependencies[name] = text;
  }
  return dependencies;
}

function checkSpec(value: unknown, path: string, report: Report): string | undefined {
  if (isAbsent(value)) {
    report.problems.push({ path, message: 'is required (a version spec such as "^1.2.0" or "*")' });
    return undefined;
  }
  if (typeof value !== "string" && typeof value !== "number") {
    report.problems.push({ path, message: `expected a version spec, got ${describe(value)}` });
    return undefined;
  }
  const text = String(value);
  try {
    parseVersionSpec(text);
    return text;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    report.problems.push({ path, message: message.charAt(0).toLowerCase() + message.slice(1) });
    return undefined;
  }
}

function checkMetadata(value: unknown, report: Report): ExtensionMetadata | undefined {
  if (isAbsent(value)) return undefined;
  if (!isMapping(value)) {
    report.problems.push({
      path: "metadata",
      message: `expected a mapping (homepage, repository, license), got ${describe(value)}`,
    });
    return undefined;
  }
  warnUnknownKeys(value, METADATA_KEYS, "metadata", report);
  const metadata: ExtensionMetadata = {};
  for (const key of METADATA_KEYS) {
    const text = optionalString(value[key], `metadata.${key}`, report);
    if (text !== undefined) metadata[key as keyof ExtensionMetadata] = text;
  }
  return metadata;
}

function requiredString(value: unknown, path: string, report: Report): string | undefined {
  if (isAbsent(value)) {
    report.problems.push({ path, message: "is required" });
    return undefined;
  }
  return nonEmptyString(value, path, report);
}

function optionalString(value: unknown, path: string, report: Report): string | undefined {
  return isAbsent(value) ? undefined : nonEmptyString(value, path, report);
}

function nonEmptyString(value: unknown, path: string, report: Report): string | undefined {
  if (typeof value !== "string") {
    report.problems.push({ path, message: `expected a string, got ${describe(value)}` });
    return undefined;
  }
  if (value.trim() === "") {
    report.problems.push({ path, message: "must not be empty" });
    return undefined;
  }
  return value;
}

function warnUnknownKeys(
  value: Mapping,
  known: readonly string[],
  parent: string,
  report: Report,
): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    report.warnings.push(formatManifestProblem(report.file, {
      path: childPath(parent, key),
      message: parent === "" ? "unknown top-level key, ignored" : "unknown key, ignored",
    }));
  }
}

/** `parent.key`, or `parent["odd key"]` when the key is not a plain word. */
function childPath(parent: string, key: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Date) && !(value instanceof Map) && !(value instanceof Set) &&
    !(value instanceof Uint8Array);
}

function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "number") return `a number (${value})`;
  if (typeof value === "boolean") return `a boolean (${value})`;
  if (typeof value === "string") return `a string (${JSON.stringify(value)})`;
  if (value instanceof Date) return "a date";
  if (isMapping(value)) return "a mapping";
  return `a ${typeof value}`;
}
