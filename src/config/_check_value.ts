/**
 * Checks one raw value (from TOML, the environment or a flag) against its schema kind and
 * converts it (paths become absolute).
 *
 * @module
 */

import { dirname } from "../fs/path.ts";
import { didYouMean } from "./_did_you_mean.ts";
import type { SettingSpec } from "./schema.ts";
import { CONCRETE_SOURCE_TYPES, SOURCE_TYPES } from "./types.ts";
import type { OciMirror, OciRegistry, SettingValue } from "./types.ts";

/** A checked value, or one problem in the form `<key> must be …, got …` (plus a hint). */
export type CheckResult =
  | { ok: true; value: SettingValue }
  | { ok: false; problem: string; hint?: string };

const HOST_LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
const REGISTRY_RE = new RegExp(
  `^(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9a-fA-F:.]+\\])(?::(\\d{1,5}))?$`,
);
const NAMESPACE_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const NAMESPACE_RE = new RegExp(`^${NAMESPACE_COMPONENT}(?:/${NAMESPACE_COMPONENT})*$`);

/**
 * Describes a raw value with its type, for type errors: `string "abc"`, `number 5`, `table`.
 *
 * @param raw Any value parsed from TOML.
 * @returns A short description.
 */
export function describeTyped(raw: unknown): string {
  if (typeof raw === "string") return `string ${JSON.stringify(raw)}`;
  if (typeof raw === "number") return `number ${describeValue(raw)}`;
  if (typeof raw === "boolean" || typeof raw === "bigint") return `${typeof raw} ${raw}`;
  if (Array.isArray(raw)) return "array";
  if (raw instanceof Date) return `date ${raw.toISOString()}`;
  return "table";
}

/**
 * Describes a value of the right type, for value errors: `"abc"`, `-1`, `inf`.
 *
 * @param raw A string or number.
 * @returns A short description.
 */
export function describeValue(raw: unknown): string {
  if (typeof raw === "number") {
    if (Number.isNaN(raw)) return "nan";
    if (!Number.isFinite(raw)) return raw > 0 ? "inf" : "-inf";
    return String(raw);
  }
  return typeof raw === "string" ? JSON.stringify(raw) : describeTyped(raw);
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => JSON.stringify(value)).join(", ");
}

function fail(problem: string, hint?: string): CheckResult {
  return hint === undefined ? { ok: false, problem } : { ok: false, problem, hint };
}

function checkNumber(
  key: string,
  raw: unknown,
  integer: boolean,
  min: 0 | 1,
  max = Number.MAX_SAFE_INTEGER,
): CheckResult {
  if (typeof raw !== "number") return fail(`${key} must be a number, got ${describeTyped(raw)}`);
  if (!Number.isFinite(raw)) {
    return fail(`${key} must be a finite number, got ${describeValue(raw)}`);
  }
  if (integer && !Number.isInteger(raw)) {
    return fail(`${key} must be a whole number, got ${describeValue(raw)}`);
  }
  if (min === 1 && !(raw > 0)) {
    return fail(`${key} must be greater than 0, got ${describeValue(raw)}`);
  }
  if (min === 0 && raw < 0) return fail(`${key} must be 0 or more, got ${describeValue(raw)}`);
  if (raw > max) return fail(`${key} must be at most ${max}, got ${describeValue(raw)}`);
  return { ok: true, value: raw };
}

function checkRegistry(key: string, raw: string): CheckResult {
  const match = REGISTRY_RE.exec(raw);
  const port = match?.[1];
  if (match && (port === undefined || (Number(port) >= 1 && Number(port) <= 65535))) {
    return { ok: true, value: raw };
  }
  const problem = `${key} must be host[:port] (like "localhost:5000"), got ${describeValue(raw)}`;
  if (raw.includes("://")) {
    return fail(
      problem,
      'Write the registry without a scheme; set "oci.insecure = true" for plain HTTP',
    );
  }
  if (raw.includes("/")) return fail(problem, 'Put the path prefix in "oci.namespace"');
  return fail(problem);
}

function checkHost(key: string, raw: unknown): CheckResult {
  const checked = checkString(key, raw);
  if (!checked.ok) return checked;
  const match = REGISTRY_RE.exec(raw as string);
  const port = match?.[1];
  if (match && (port === undefined || (Number(port) >= 1 && Number(port) <= 65535))) {
    return checked;
  }
  return fail(
    `${key} must be host[:port] (like "pkg-containers.githubusercontent.com"), got ${
      describeValue(raw)
    }`,
    (raw as string).includes("/") ? "Write the host alone, without a scheme or path" : undefined,
  );
}

const MIRROR_KEYS = ["prefix", "locations", "digest_only", "blocked"];

/** `[[oci.mirrors]]`: each table's keys known, `prefix` a registry with an optional path. */
function checkMirrors(key: string, raw: unknown): CheckResult {
  if (!Array.isArray(raw)) {
    return fail(`${key} must be [[oci.mirrors]] tables, got ${describeTyped(raw)}`);
  }
  const out: OciMirror[] = [];
  for (const [index, table] of raw.entries()) {
    const at = `${key}[${index}]`;
    if (typeof table !== "object" || table === null || Array.isArray(table)) {
      return fail(`${at} must be a table, got ${describeTyped(table)}`);
    }
    const entry = table as Record<string, unknown>;
    const unknown = Object.keys(entry).find((k) => !MIRROR_KEYS.includes(k));
    if (unknown !== undefined) {
      return fail(
        `${at}.${unknown} is not known (${MIRROR_KEYS.join(", ")})`,
        nearest(unknown, MIRROR_KEYS),
      );
    }
    const prefix = checkString(`${at}.prefix`, entry.prefix);
    if (!prefix.ok) return prefix;
    const [host, ...path] = (entry.prefix as string).split("/");
    const hostChecked = checkHost(`${at}.prefix`, host);
    if (!hostChecked.ok) return hostChecked;
    if (path.length > 0 && !NAMESPACE_RE.test(path.join("/"))) {
      return fail(
        `${at}.prefix must be host[:port][/namespace], got ${describeValue(entry.prefix)}`,
      );
    }
    const locations = checkEach(
      `${at}.locations`,
      entry.locations ?? [],
      (item, itemKey) => checkHost(itemKey, item),
    );
    if (!locations.ok) return locations;
    for (const flag of ["digest_only", "blocked"]) {
      if (entry[flag] !== undefined && typeof entry[flag] !== "boolean") {
        return fail(`${at}.${flag} must be true or false, got ${describeTyped(entry[flag])}`);
      }
    }
    if (entry.blocked !== true && (locations.value as string[]).length === 0) {
      return fail(`${at} needs locations (or blocked = true)`);
    }
    out.push({
      prefix: (entry.prefix as string).toLowerCase(),
      locations: locations.value as string[],
      digest_only: entry.digest_only === true,
      blocked: entry.blocked === true,
    });
  }
  return { ok: true, value: out };
}

const REGISTRY_KEYS = [
  "name",
  "registry",
  "namespace",
  "insecure",
  "ca_file",
  "cert_file",
  "key_file",
  "auth_token_path",
];

/** `[[oci.registries]]`: each table's keys known, distinct names, `registry` a host[:port]. */
function checkRegistries(
  key: string,
  raw: unknown,
  resolvePath: (path: string) => string,
): CheckResult {
  if (!Array.isArray(raw)) {
    return fail(`${key} must be [[oci.registries]] tables, got ${describeTyped(raw)}`);
  }
  const out: OciRegistry[] = [];
  for (const [index, table] of raw.entries()) {
    const at = `${key}[${index}]`;
    if (typeof table !== "object" || table === null || Array.isArray(table)) {
      return fail(`${at} must be a table, got ${describeTyped(table)}`);
    }
    const entry = table as Record<string, unknown>;
    const unknown = Object.keys(entry).find((k) => !REGISTRY_KEYS.includes(k));
    if (unknown !== undefined) {
      return fail(
        `${at}.${unknown} is not known (${REGISTRY_KEYS.join(", ")})`,
        nearest(unknown, REGISTRY_KEYS),
      );
    }
    const name = checkString(`${at}.name`, entry.name);
    if (!name.ok) return name;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(entry.name as string)) {
      return fail(`${at}.name must be a word like "internal", got ${describeValue(entry.name)}`);
    }
    if (out.some((r) => r.name === entry.name)) {
      return fail(`${at}.name ${describeValue(entry.name)} is used twice`);
    }
    const registry = checkString(`${at}.registry`, entry.registry);
    if (!registry.ok) return registry;
    const host = checkRegistry(`${at}.registry`, entry.registry as string);
    if (!host.ok) return host;
    let namespace: string | undefined;
    if (entry.namespace !== undefined) {
      const checked = checkValue(
        { key: `${at}.namespace` as never, kind: "namespace", optional: true },
        entry.namespace,
        resolvePath,
      );
      if (!checked.ok) return checked;
      namespace = checked.value as string;
    }
    if (entry.insecure !== undefined && typeof entry.insecure !== "boolean") {
      return fail(`${at}.insecure must be true or false, got ${describeTyped(entry.insecure)}`);
    }
    const files: Partial<Record<string, string>> = {};
    for (const file of ["ca_file", "cert_file", "key_file", "auth_token_path"]) {
      if (entry[file] === undefined) continue;
      const checked = checkPath(`${at}.${file}`, entry[file], resolvePath);
      if (!checked.ok) return checked;
      files[file] = checked.value as string;
    }
    if ((files.cert_file === undefined) !== (files.key_file === undefined)) {
      return fail(`${at} needs cert_file and key_file together`);
    }
    out.push({
      name: entry.name as string,
      registry: entry.registry as string,
      namespace,
      insecure: entry.insecure as boolean | undefined,
      ca_file: files.ca_file,
      cert_file: files.cert_file,
      key_file: files.key_file,
      auth_token_path: files.auth_token_path,
    });
  }
  return { ok: true, value: out };
}

function checkEach(
  key: string,
  raw: unknown,
  each: (item: unknown, itemKey: string) => CheckResult,
): CheckResult {
  if (!Array.isArray(raw)) return fail(`${key} must be an array, got ${describeTyped(raw)}`);
  const values: string[] = [];
  for (const [index, item] of raw.entries()) {
    const result = each(item, `${key}[${index}]`);
    if (!result.ok) return result;
    values.push(result.value as string);
  }
  return { ok: true, value: values };
}

function checkString(key: string, raw: unknown): CheckResult {
  return typeof raw === "string"
    ? { ok: true, value: raw }
    : fail(`${key} must be a string, got ${describeTyped(raw)}`);
}

function checkPath(key: string, raw: unknown, resolvePath: (path: string) => string) {
  const checked = checkString(key, raw);
  if (!checked.ok) return checked;
  if (raw === "") return fail(`${key} must be a non-empty path, got ""`);
  return { ok: true as const, value: resolvePath(raw as string) };
}

/**
 * A cache folder must be a folder of its own: the cache removes what it made below it, so
 * the file-system root or the home directory is surely a mistake (`/` would put the index
 * and `tmp/` among the system's folders).
 */
function checkCacheDir(key: string, raw: unknown, resolvePath: (path: string) => string) {
  const checked = checkPath(key, raw, resolvePath);
  if (!checked.ok) return checked;
  const dir = checked.value as string;
  // A resolved path is its own parent only at a root (`/`, `C:\`, a UNC share).
  const what = dirname(dir) === dir
    ? "the file-system root"
    : dir === resolvePath("~")
    ? "the home directory"
    : undefined;
  if (what === undefined) return checked;
  return fail(
    `${key} must be a folder of the cache's own, not ${what}, got ${describeValue(raw)}`,
    'Point it at a new or empty folder, like "~/.provisioning/cache" (the default)',
  );
}

function checkSourceType(key: string, raw: unknown, allowed: readonly string[]): CheckResult {
  const checked = checkString(key, raw);
  if (!checked.ok) return checked;
  return allowed.includes(raw as string) ? checked : fail(
    `${key} must be one of ${quoteList(allowed)}, got ${describeValue(raw)}`,
    nearest(raw as string, allowed),
  );
}

/** `Did you mean "examples"?` when a choice is close to `value`. */
function nearest(value: string, allowed: readonly string[]): string | undefined {
  const near = didYouMean(value, allowed);
  return near === undefined ? undefined : `Did you mean "${near}"?`;
}

/**
 * Checks `raw` against `spec` and converts it: paths are made absolute with `resolvePath`.
 *
 * @param spec The key's schema entry.
 * @param raw The value as parsed (TOML) or pre-converted (environment, flags).
 * @param resolvePath Expands `~` and makes a relative path absolute against the right base.
 * @returns The value, or one problem naming the key.
 */
export function checkValue(
  spec: SettingSpec,
  raw: unknown,
  resolvePath: (path: string) => string,
): CheckResult {
  const key = spec.key;
  switch (spec.kind) {
    case "string":
      return checkString(key, raw);
    case "strings":
      return checkEach(key, raw, (item, itemKey) => checkString(itemKey, item));
    case "path":
      return checkPath(key, raw, resolvePath);
    case "paths":
      return checkEach(key, raw, (item, itemKey) => checkPath(itemKey, item, resolvePath));
    case "cache_dir":
      return checkCacheDir(key, raw, resolvePath);
    case "boolean":
      return typeof raw === "boolean"
        ? { ok: true, value: raw }
        : fail(`${key} must be true or false, got ${describeTyped(raw)}`);
    case "positive_number":
      return checkNumber(key, raw, false, 1, spec.max);
    case "non_negative_number":
      return checkNumber(key, raw, false, 0, spec.max);
    case "positive_integer":
      return checkNumber(key, raw, true, 1, spec.max);
    case "non_negative_integer":
      return checkNumber(key, raw, true, 0, spec.max);
    case "registry": {
      const checked = checkString(key, raw);
      return checked.ok ? checkRegistry(key, raw as string) : checked;
    }
    case "hosts":
      return checkEach(key, raw, (item, itemKey) => checkHost(itemKey, item));
    case "namespace": {
      const checked = checkString(key, raw);
      if (!checked.ok || raw === "" || NAMESPACE_RE.test(raw as string)) return checked;
      return fail(
        `${key} must be lower-case path components like "team/extensions", got ${
          describeValue(raw)
        }`,
      );
    }
    case "url": {
      const checked = checkString(key, raw);
      if (!checked.ok) return checked;
      const url = URL.parse(raw as string);
      return url && (url.protocol === "http:" || url.protocol === "https:")
        ? checked
        : fail(`${key} must be an http:// or https:// URL, got ${describeValue(raw)}`);
    }
    case "mirrors":
      return checkMirrors(key, raw);
    case "registries":
      return checkRegistries(key, raw, resolvePath);
    case "source_type":
      return checkSourceType(key, raw, SOURCE_TYPES);
    case "trust_rules":
      return checkTrustRules(key, raw, resolvePath);
    case "source_order": {
      const checked = checkEach(
        key,
        raw,
        (item, itemKey) => checkSourceType(itemKey, item, CONCRETE_SOURCE_TYPES),
      );
      if (!checked.ok) return checked;
      const order = checked.value as string[];
      if (order.length === 0) return fail(`${key} must name at least one source, got []`);
      const repeated = order.find((source, index) => order.indexOf(source) !== index);
      return repeated === undefined
        ? checked
        : fail(`${key} must not repeat a source, got ${JSON.stringify(repeated)} twice`);
    }
  }
}

/** `[[signatures.trust]]`: tables of a `prefix` string and a non-empty `keys` path list. */
function checkTrustRules(
  key: string,
  raw: unknown,
  resolvePath: (path: string) => string,
): CheckResult {
  if (!Array.isArray(raw)) {
    return fail(`${key} must be an array of tables ([[${key}]]), got ${describeTyped(raw)}`);
  }
  const rules: { prefix: string; keys: string[] }[] = [];
  for (const [index, item] of raw.entries()) {
    const at = `${key}[${index}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      return fail(`${at} must be a table with prefix and keys, got ${describeTyped(item)}`);
    }
    const { prefix, keys, ...rest } = item as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) return fail(`${at} has unknown key ${JSON.stringify(unknown)}`);
    if (typeof prefix !== "string" || prefix === "" || prefix.startsWith("/")) {
      return fail(`${at}.prefix must be "registry[/namespace]", got ${describeValue(prefix)}`);
    }
    const paths = checkEach(`${at}.keys`, keys, (k, kk) => checkPath(kk, k, resolvePath));
    if (!paths.ok) return paths;
    if ((paths.value as string[]).length === 0) return fail(`${at}.keys must name a key file`);
    rules.push({ prefix: prefix.replace(/\/+$/, ""), keys: paths.value as string[] });
  }
  return { ok: true, value: rules };
}
