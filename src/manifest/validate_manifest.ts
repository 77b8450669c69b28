import { didYouMean } from "../config/_did_you_mean.ts";
import { isSemver } from "../versions/is_semver.ts";
import { plainVersionSpec } from "../versions/_plain_spec.ts";
import { loadedRangeEngine, RangeEngineNeeded } from "../versions/_range_engine.ts";
import { tagToVersion } from "../versions/tag_to_version.ts";
import { checkHooks } from "./_check_hooks.ts";
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

const TOP_LEVEL_KEYS: readonly string[] = [
  "extension",
  "requires",
  "dependencies",
  "dependencyTypes",
  "metadata",
  "hooks",
  "permissions",
];
const EXTENSION_KEYS: readonly string[] = ["name", "version", "type", "description", "author"];
const METADATA_KEYS: readonly string[] = ["homepage", "repository", "license"];
const DEPENDENCY_ITEM_KEYS: readonly string[] = ["name", "version", "type"];
const DEPENDENCY_ITEM_FORMS =
  'an extension name, "name@spec" or a mapping with name, version and type';

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
 * - `dependencies` (optional): other extensions, written either as a mapping of extension name
 *   to version spec (`etcd: "^3.5.0"`) or as a list whose items are a name (`etcd`, any
 *   version), `name@spec` (`etcd@^3.5.0`) or a mapping `{name, version, type}` (`version`
 *   optional, any version when absent; `type` optional, `provider`, `taskserv` or `cluster`).
 *   Every form becomes the same mapping of name to spec, `"*"` for any version; the types
 *   named go to `dependencyTypes`. Each spec is checked with {@linkcode parseVersionSpec},
 *   each name like `extension.name`; a name listed twice and a dependency on the extension
 *   itself are problems. Problems of a list item name it by index (`dependencies[1]`,
 *   `dependencies[1].version`).
 * - `dependencyTypes` (optional mapping of dependency name to type): the normalised form of
 *   the types above, accepted so that a validated manifest serialised as JSON (the config
 *   blob of an OCI artifact) validates to the same manifest; each name must be a dependency
 *   and must not contradict a type given in `dependencies`.
 * - `metadata` (optional mapping): `homepage`, `repository`, `license` (strings).
 * - `hooks` (optional mapping): hook name → module path inside the extension, ending in
 *   `.ts`, `.mts`, `.js`, `.mjs` (a Deno module) or `.wasm` (an Extism plugin); a path that
 *   is absolute or leaves the extension is a problem.
 * - `permissions` (optional mapping, defaults filled in when `hooks` is present): `net`
 *   (hosts, `host[:port]`), `read` (paths inside the extension), `env` (variable names),
 *   `timeout` (seconds, default 30), `memory` (MiB, default 64). Any other kind is a problem,
 *   and `run`, `ffi`, `sys`, `all`, `import` and `write` are refused by name.
 * - Unknown keys (top level, in `extension`, in `metadata` or in a `dependencies` item) are
 *   warnings, not errors, and are left out of the returned manifest. An empty value
 *   (`description:`) counts as absent.
 *
 * A dependency range is checked with the range engine, which `./mod.ts` loads; without
 * it (this module imported alone, as a cache hit does to avoid `semver`) a range throws
 * `RangeEngineNeeded`, and `withRangeEngine` in src/versions/_range_engine.ts loads it and retries.
 *
 * @example
 * ```ts
 * import { validateManifest } from "./mod.ts";
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
 *
 * // Dependencies as a list: names, name@spec and {name, version, type} items.
 * const listed = validateManifest(
 *   {
 *     extension: { name: "my-extension", version: "1.0.0", type: "taskserv" },
 *     dependencies: ["containerd", "etcd@^3.5.0", { name: "kubernetes", type: "taskserv" }],
 *   },
 *   "extension.yaml",
 * );
 * assert.deepEqual(listed.manifest?.dependencies, {
 *   containerd: "*",
 *   etcd: "^3.5.0",
 *   kubernetes: "*",
 * });
 * assert.deepEqual(listed.manifest?.dependencyTypes, { kubernetes: "taskserv" });
 *
 * const twice = validateManifest(
 *   {
 *     extension: { name: "my-extension", version: "1.0.0", type: "taskserv" },
 *     dependencies: ["etcd", "etcd@>>3"],
 *   },
 *   "extension.yaml",
 * );
 * assert.deepEqual(twice.problems.map((problem) => problem.path), [
 *   "dependencies[1]",
 *   "dependencies[1]",
 * ]);
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
  const before = problems.length;
  const dependencies = checkDependencies(data["dependencies"], extension?.name, report);
  const dependencyTypes = checkDependencyTypes(
    data["dependencyTypes"],
    dependencies,
    problems.length === before,
    report,
  );
  const metadata = checkMetadata(data["metadata"], report);
  const code = checkHooks(data["hooks"], data["permissions"], problems);

  if (problems.length > 0 || extension === undefined) return { problems, warnings };
  const manifest: ExtensionManifest = { extension };
  if (requires !== undefined) manifest.requires = requires;
  if (dependencies !== undefined) manifest.dependencies = dependencies.specs;
  if (dependencyTypes !== undefined) manifest.dependencyTypes = dependencyTypes;
  if (metadata !== undefined) manifest.metadata = metadata;
  if (code.hooks !== undefined) manifest.hooks = code.hooks;
  if (code.permissions !== undefined) manifest.permissions = code.permissions;
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
  const type = checkType(value["type"], "extension.type", true, report);
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

function checkType(
  value: unknown,
  path: string,
  required: boolean,
  report: Report,
): ExtensionType | undefined {
  const expected = `expected one of ${EXTENSION_TYPES.join(", ")}`;
  if (isAbsent(value)) {
    if (required) {
      report.problems.push({ path, message: `is required (${EXTENSION_TYPES.join(", ")})` });
    }
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

/** `dependencies` in its one internal form, with where each type was given. */
interface Dependencies {
  /** Name → version spec, `"*"` for any version. */
  specs: Record<string, string>;
  /** Name → type, for the `{name, version, type}` items that name one. */
  types: Record<string, ExtensionType>;
  /** Name → field path of the type, for `dependencyTypes` to point at. */
  typePaths: Record<string, string>;
}

function checkDependencies(
  value: unknown,
  ownName: string | undefined,
  report: Report,
): Dependencies | undefined {
  if (isAbsent(value)) return undefined;
  const dependencies: Dependencies = { specs: {}, types: {}, typePaths: {} };
  if (Array.isArray(value)) {
    const seen = new Map<string, string>();
    value.forEach((item, index) => {
      checkDependencyItem(item, `dependencies[${index}]`, ownName, seen, dependencies, report);
    });
    return dependencies;
  }
  if (!isMapping(value)) {
    report.problems.push({
      path: "dependencies",
      message: "expected a list, or a mapping of extension name to version spec, got " +
        describe(value),
    });
    return undefined;
  }
  for (const [name, spec] of Object.entries(value)) {
    const path = childPath("dependencies", name);
    const problem = dependencyNameProblem(name, ownName);
    if (problem !== undefined) report.problems.push({ path, message: problem });
    const text = checkSpec(spec, path, report);
    if (text !== undefined) dependencies.specs[name] = text;
  }
  return dependencies;
}

/**
 * One item of a `dependencies` list (`etcd`, `etcd@^3.5.0` or `{name, version, type}`) at
 * `path` (`dependencies[1]`), added to `into` when valid; `seen` maps each name already
 * listed to the path of its item.
 */
function checkDependencyItem(
  item: unknown,
  path: string,
  ownName: string | undefined,
  seen: Map<string, string>,
  into: Dependencies,
  report: Report,
): void {
  let name: string | undefined;
  let namePath = path;
  let spec: string | undefined;
  let type: ExtensionType | undefined;
  let valid = true;
  if (typeof item === "string") {
    const at = item.indexOf("@");
    const written = (at < 0 ? item : item.slice(0, at)).trim();
    const specText = at < 0 ? "*" : item.slice(at + 1).trim();
    if (written === "") {
      report.problems.push({
        path,
        message: item.trim() === ""
          ? "must not be empty"
          : `${JSON.stringify(item)} has no extension name before "@"`,
      });
      return;
    }
    name = written;
    const problem = nameProblem(name);
    if (problem !== undefined) {
      report.problems.push({ path, message: problem });
      valid = false;
    }
    if (specText === "") {
      report.problems.push({
        path,
        message: `${JSON.stringify(item)} has no version spec after "@"; ` +
          `write ${JSON.stringify(name)} for any version`,
      });
      valid = false;
    } else {
      spec = checkSpec(specText, path, report);
      if (spec === undefined) valid = false;
    }
  } else if (isMapping(item)) {
    warnUnknownKeys(item, DEPENDENCY_ITEM_KEYS, path, report);
    namePath = `${path}.name`;
    name = checkName(item["name"], namePath, report);
    spec = isAbsent(item["version"]) ? "*" : checkSpec(item["version"], `${path}.version`, report);
    const problems = report.problems.length;
    type = checkType(item["type"], `${path}.type`, false, report);
    if (name === undefined || spec === undefined || report.problems.length > problems) {
      valid = false;
    }
  } else {
    report.problems.push({
      path,
      message: `expected ${DEPENDENCY_ITEM_FORMS}, got ${describe(item)}`,
    });
    return;
  }
  if (name === undefined) return;

  const earlier = seen.get(name);
  if (earlier !== undefined) {
    report.problems.push({
      path: namePath,
      message: `${JSON.stringify(name)} is already listed at ${earlier}`,
    });
    return;
  }
  seen.set(name, path);
  if (name === ownName) {
    report.problems.push({ path: namePath, message: "an extension cannot depend on itself" });
    return;
  }
  if (!valid || spec === undefined) return;
  into.specs[name] = spec;
  if (type !== undefined) {
    into.types[name] = type;
    into.typePaths[name] = `${path}.type`;
  }
}

function dependencyNameProblem(name: string, ownName: string | undefined): string | undefined {
  return nameProblem(name) ??
    (name === ownName ? "an extension cannot depend on itself" : undefined);
}

/**
 * The types of the dependencies: those of `{name, version, type}` items merged with a
 * `dependencyTypes` mapping (the normalised form, as found in a config blob). Names absent
 * from `dependencies` are problems only when `dependencies` itself had none (`checkNames`).
 */
function checkDependencyTypes(
  value: unknown,
  dependencies: Dependencies | undefined,
  checkNames: boolean,
  report: Report,
): Record<string, ExtensionType> | undefined {
  const types: Record<string, ExtensionType> = { ...dependencies?.types };
  if (!isAbsent(value)) {
    if (!isMapping(value)) {
      report.problems.push({
        path: "dependencyTypes",
        message: `expected a mapping of dependency name to extension type, got ${describe(value)}`,
      });
    } else {
      for (const [name, written] of Object.entries(value)) {
        const path = childPath("dependencyTypes", name);
        const type = checkType(written, path, true, report);
        if (checkNames && dependencies?.specs[name] === undefined) {
          report.problems.push({
            path,
            message: `${JSON.stringify(name)} is not one of the dependencies`,
          });
          continue;
        }
        if (type === undefined) continue;
        const given = types[name];
        if (given !== undefined && given !== type) {
          report.problems.push({
            path,
            message: `${JSON.stringify(type)} contradicts ${
              dependencies?.typePaths[name] ?? "dependencies"
            } (${JSON.stringify(given)})`,
          });
          continue;
        }
        types[name] = type;
      }
    }
  }
  return Object.keys(types).length > 0 ? types : undefined;
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
  // A plain spec needs no range engine (nor `semver`); a range throws RangeEngineNeeded for
  // the asynchronous caller to load it (see _range_engine.ts); the manifest barrel loads it.
  if (plainVersionSpec(text) !== undefined) return text;
  try {
    loadedRangeEngine().parseVersionSpec(text);
    return text;
  } catch (error) {
    if (error instanceof RangeEngineNeeded) throw error;
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
    const near = nearestKey(key, known, parent);
    report.warnings.push(formatManifestProblem(report.file, {
      path: childPath(parent, key),
      message: (parent === "" ? "unknown top-level key, ignored" : "unknown key, ignored") +
        (near === undefined ? "" : `; did you mean "${near}"?`),
    }));
  }
}

/**
 * The key a misspelt one probably meant: a sibling within a small edit distance, or, at the
 * top level, a key of `extension:`/`metadata:` written one level too high (`extension.description`).
 */
function nearestKey(key: string, known: readonly string[], parent: string): string | undefined {
  const sibling = didYouMean(key, known);
  if (sibling !== undefined) return childPath(parent, sibling);
  if (parent !== "") return undefined;
  for (
    const [section, keys] of [["extension", EXTENSION_KEYS], ["metadata", METADATA_KEYS]] as const
  ) {
    const nested = didYouMean(key, keys);
    if (nested !== undefined) return childPath(section, nested);
  }
  return undefined;
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
