/**
 * Validation of the `hooks:` and `permissions:` blocks of `extension.yaml` (used by
 * `validateManifest`): every problem is reported with its field path, like the rest of the
 * manifest.
 *
 * @module
 */

import { normalizePosix } from "../fs/path.ts";
import type { HookPermissions, ManifestProblem } from "./types.ts";

/** Default `permissions.timeout`, seconds. */
export const DEFAULT_HOOK_TIMEOUT = 30;
/** Default `permissions.memory`, MiB. */
export const DEFAULT_HOOK_MEMORY = 64;
/** Largest `permissions.timeout` accepted (an hour: larger is surely a mistake). */
export const MAX_HOOK_TIMEOUT = 3600;
/** Largest `permissions.memory` accepted, MiB (WebAssembly 32-bit memories stop at 4 GiB). */
export const MAX_HOOK_MEMORY = 4096;

/** Module kinds a hook path may end with. */
export const HOOK_EXTENSIONS: readonly string[] = [".ts", ".mts", ".js", ".mjs", ".wasm"];

const PERMISSION_KEYS: readonly string[] = ["net", "read", "env", "timeout", "memory"];

/** Kinds people may expect from Deno's flags that hooks never get, and why. */
const REFUSED_KINDS: Readonly<Record<string, string>> = {
  run: "hooks cannot start processes",
  ffi: "hooks cannot load native libraries",
  sys: "hooks cannot read system information",
  all: "hooks get only the permissions they list",
  import: "hooks import only modules inside the extension",
  write: "hooks write only to the scratch folder each call gets (its path is passed in)",
};

/**
 * Checks `hooks:` (a mapping of hook name to a module path inside the extension) and
 * `permissions:`; pushes problems, returns the normalised blocks (permissions with defaults)
 * when they are valid.
 *
 * @example
 * ```ts
 * import { checkHooks } from "./_check_hooks.ts";
 * import assert from "node:assert/strict";
 *
 * const problems: { path: string; message: string }[] = [];
 * const result = checkHooks({ render: "./hooks/render.ts" }, { read: ["templates/"] }, problems);
 * assert.deepEqual(result.hooks, { render: "hooks/render.ts" });
 * assert.deepEqual(result.permissions?.read, ["templates"]);
 * assert.equal(result.permissions?.timeout, 30);
 * checkHooks({ x: "../x.ts" }, { run: ["sh"] }, problems);
 * assert.deepEqual(problems.map((p) => p.path), ["hooks.x", "permissions.run"]);
 * ```
 *
 * @param hooks The raw `hooks` value.
 * @param permissions The raw `permissions` value.
 * @param problems Where problems go.
 * @returns The normalised blocks (absent when absent or invalid).
 */
export function checkHooks(
  hooks: unknown,
  permissions: unknown,
  problems: ManifestProblem[],
): { hooks?: Record<string, string>; permissions?: HookPermissions } {
  const before = problems.length;
  const result: { hooks?: Record<string, string>; permissions?: HookPermissions } = {};
  const checkedHooks = checkHookPaths(hooks, problems);
  const checkedPermissions = checkPermissions(permissions, problems);
  if (problems.length > before) return result;
  if (checkedHooks !== undefined) result.hooks = checkedHooks;
  if (checkedPermissions !== undefined || checkedHooks !== undefined) {
    result.permissions = checkedPermissions ?? defaultPermissions();
  }
  return result;
}

function defaultPermissions(): HookPermissions {
  return { net: [], read: [], env: [], timeout: DEFAULT_HOOK_TIMEOUT, memory: DEFAULT_HOOK_MEMORY };
}

function checkHookPaths(
  value: unknown,
  problems: ManifestProblem[],
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isMapping(value)) {
    problems.push({
      path: "hooks",
      message: `expected a mapping of hook name to module path, got ${describe(value)}`,
    });
    return undefined;
  }
  const hooks: Record<string, string> = {};
  for (const [name, raw] of Object.entries(value)) {
    const path = /^[a-z][a-z0-9_-]*$/.test(name) ? `hooks.${name}` : `hooks[${q(name)}]`;
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) {
      problems.push({
        path,
        message: `${q(name)} is not a valid hook name; use lower-case letters, digits, "-" or "_"`,
      });
      continue;
    }
    const inside = insidePath(raw, path, problems);
    if (inside === undefined) continue;
    if (!HOOK_EXTENSIONS.some((ext) => inside.endsWith(ext))) {
      problems.push({
        path,
        message: `${q(inside)} is not a hook module; expected a file ending in ${
          HOOK_EXTENSIONS.join(", ")
        }`,
      });
      continue;
    }
    hooks[name] = inside;
  }
  return hooks;
}

function checkPermissions(
  value: unknown,
  problems: ManifestProblem[],
): HookPermissions | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isMapping(value)) {
    problems.push({
      path: "permissions",
      message: `expected a mapping (${PERMISSION_KEYS.join(", ")}), got ${describe(value)}`,
    });
    return undefined;
  }
  const permissions = defaultPermissions();
  for (const [key, raw] of Object.entries(value)) {
    const path = `permissions.${key}`;
    if (key in REFUSED_KINDS) {
      problems.push({ path, message: `is not a permission: ${REFUSED_KINDS[key]}` });
    } else if (key === "net") {
      permissions.net = list(raw, path, problems, hostProblem);
    } else if (key === "env") {
      permissions.env = list(
        raw,
        path,
        problems,
        (name) =>
          /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
            ? undefined
            : `${q(name)} is not an environment variable name`,
      );
    } else if (key === "read") {
      const paths: string[] = [];
      if (!Array.isArray(raw)) {
        problems.push({ path, message: `expected a list of paths, got ${describe(raw)}` });
      } else {
        raw.forEach((item, index) => {
          const inside = insidePath(item, `${path}[${index}]`, problems);
          if (inside !== undefined) paths.push(inside);
        });
      }
      permissions.read = paths;
    } else if (key === "timeout" || key === "memory") {
      const max = key === "timeout" ? MAX_HOOK_TIMEOUT : MAX_HOOK_MEMORY;
      const unit = key === "timeout" ? "seconds" : "MiB";
      const ok = typeof raw === "number" && Number.isFinite(raw) && raw > 0 && raw <= max &&
        (key === "timeout" || Number.isInteger(raw));
      if (!ok) {
        problems.push({
          path,
          message: `expected a ${
            key === "memory" ? "whole " : ""
          }number of ${unit} above 0 and at most ${max}, got ${describe(raw)}`,
        });
      } else {
        permissions[key] = raw;
      }
    } else {
      problems.push({
        path,
        message: `unknown permission kind; expected one of ${PERMISSION_KEYS.join(", ")}`,
      });
    }
  }
  return permissions;
}

function list(
  raw: unknown,
  path: string,
  problems: ManifestProblem[],
  problemOf: (item: string) => string | undefined,
): string[] {
  if (!Array.isArray(raw)) {
    problems.push({ path, message: `expected a list of strings, got ${describe(raw)}` });
    return [];
  }
  const items: string[] = [];
  raw.forEach((item, index) => {
    const at = `${path}[${index}]`;
    if (typeof item !== "string" || item.trim() === "") {
      problems.push({ path: at, message: `expected a non-empty string, got ${describe(item)}` });
      return;
    }
    const problem = problemOf(item);
    if (problem !== undefined) problems.push({ path: at, message: problem });
    else if (!items.includes(item)) items.push(item);
  });
  return items.sort();
}

/** `host` or `host:port`: no scheme, no path, no wildcard (Deno grants exact hosts). */
function hostProblem(entry: string): string | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry);
  if (match === null || match[1]!.startsWith(".") || match[1]!.endsWith(".")) {
    return `${q(entry)} is not a host; write "host" or "host:port" (no scheme, path or wildcard)`;
  }
  if (match[2] !== undefined && (Number(match[2]) < 1 || Number(match[2]) > 65535)) {
    return `${q(entry)} has no valid port`;
  }
  return undefined;
}

/** A relative path that stays inside the extension, normalised (`./a/../b/` → `b`). */
function insidePath(
  raw: unknown,
  path: string,
  problems: ManifestProblem[],
): string | undefined {
  if (typeof raw !== "string" || raw.trim() === "") {
    problems.push({ path, message: `expected a path inside the extension, got ${describe(raw)}` });
    return undefined;
  }
  if (raw.includes("\\") || raw.includes("\0") || raw.startsWith("/") || /^[A-Za-z]:/.test(raw)) {
    problems.push({ path, message: `${q(raw)} must be a relative path inside the extension` });
    return undefined;
  }
  const normal = normalizePosix(raw).replace(/\/+$/, "");
  if (normal === ".." || normal.startsWith("../")) {
    problems.push({ path, message: `${q(raw)} leaves the extension` });
    return undefined;
  }
  return normal === "" ? "." : normal;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Date);
}

function q(text: string): string {
  return JSON.stringify(text);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `a string (${q(value)})`;
  if (typeof value === "number" || typeof value === "boolean") {
    return `a ${typeof value} (${value})`;
  }
  return isMapping(value) ? "a mapping" : `a ${typeof value}`;
}
