/**
 * `extensions.toml`: what a workspace needs. It lives in the workspace folder (beside
 * `config/`), or is found by walking up from the current directory; `extensions.lock` lives
 * beside it.
 *
 * ```toml
 * [extensions]
 * redis = "^1.2.0"                                  # name = version spec
 * kubernetes = { version = "^1.28.0", type = "taskserv" }
 * vault = { version = "^1.0.0", reference = "oci://registry.example.com/platform/vault" }
 * etcd = { version = "sha256:…", source = "oci" }   # a digest pin: exactly those bytes
 * ```
 *
 * @module
 */

import { findKeyLine, parseTomlText } from "../config/config_file.ts";
import { ProvisioningError } from "../errors.ts";
import { isExtensionName } from "../manifest/extension_name.ts";
import { EXTENSION_TYPES, type ExtensionType } from "../manifest/types.ts";
import { tryParseVersionSpec } from "../versions/mod.ts";
import { SOURCE_TYPES, type SourceType } from "../config/types.ts";
import { isDigest } from "../oci/reference.ts";
import type { Place, Requirement } from "./resolve_dependencies.ts";

/** The extension name at the end of `oci://REGISTRY/NAMESPACE/NAME` (no tag), if it is one. */
function referenceName(reference: string): string | undefined {
  const parts = reference.slice("oci://".length).split("/");
  const last = parts.at(-1) ?? "";
  return parts.length >= 3 && isExtensionName(last) ? last : undefined;
}

import { REQUIREMENTS_FILE } from "./find_requirements.ts";

export { findRequirementsFile, LOCK_FILE, REQUIREMENTS_FILE } from "./find_requirements.ts";

/**
 * Reads the requirements: `[extensions]` entries as a spec string or a table with
 * `version` and optionally `type`.
 *
 * @example
 * ```ts
 * import { parseRequirements } from "./requirements_file.ts";
 * import assert from "node:assert/strict";
 *
 * const text = '[extensions]\nredis = "^1.2.0"\nk8s = { version = "~1.28.0", type = "taskserv" }\n';
 * assert.deepEqual(parseRequirements(text, "extensions.toml"), [
 *   { name: "k8s", spec: "~1.28.0", type: "taskserv" },
 *   { name: "redis", spec: "^1.2.0" },
 * ]);
 * ```
 *
 * @param text The file's text.
 * @param file The file, for messages.
 * @returns The requirements, sorted by name.
 * @throws {ProvisioningError} `INVALID_CONFIG` naming file, line and key.
 */
export function parseRequirements(text: string, file: string): Requirement[] {
  const doc = parseTomlText(text, file);
  const fail = (path: string[], problem: string): never => {
    const line = findKeyLine(text, path);
    throw new ProvisioningError(
      "INVALID_CONFIG",
      `${file}${line === undefined ? "" : `:${line}`}: ${path.join(".")} ${problem}`,
      { hint: 'Write name = "SPEC" or name = { version = "SPEC", type = "taskserv" }' },
    );
  };
  for (const key of Object.keys(doc)) {
    if (key !== "extensions") fail([key], 'is not known (only "[extensions]" is)');
  }
  const table = doc.extensions ?? {};
  if (typeof table !== "object" || Array.isArray(table)) fail(["extensions"], "must be a table");
  const out: Requirement[] = [];
  for (const [name, value] of Object.entries(table as Record<string, unknown>)) {
    const path = ["extensions", name];
    if (!isExtensionName(name)) fail(path, "is not an extension name");
    const entry = typeof value === "string" ? { version: value } : value;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      fail(path, "must be a version spec or a table");
    }
    const { version, type, source, reference, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) {
      fail([...path, unknown], "is not known (version, type, source, reference)");
    }
    const spec = version ?? "*";
    if (
      typeof spec !== "string" || (!isDigest(spec) && tryParseVersionSpec(spec) === undefined)
    ) {
      fail([...path, "version"], `is not a version spec or digest: ${JSON.stringify(spec)}`);
    }
    if (type !== undefined && !(EXTENSION_TYPES as readonly unknown[]).includes(type)) {
      fail([...path, "type"], `must be one of ${EXTENSION_TYPES.join(", ")}`);
    }
    if (source !== undefined && !(SOURCE_TYPES as readonly unknown[]).includes(source)) {
      fail([...path, "source"], `must be one of ${SOURCE_TYPES.join(", ")}`);
    }
    if (reference !== undefined) {
      const named = typeof reference === "string" && reference.startsWith("oci://")
        ? referenceName(reference)
        : undefined;
      if (named === undefined) {
        fail([...path, "reference"], "must be oci://REGISTRY/NAMESPACE/NAME");
      }
      if (named !== name) fail([...path, "reference"], `names "${named}", not "${name}"`);
      if (source !== undefined && source !== "oci") {
        fail([...path, "source"], `must be "oci" with a reference`);
      }
    }
    const place: Place = {
      ...(typeof source === "string" ? { source: source as SourceType } : {}),
      ...(typeof reference === "string" ? { reference, source: "oci" as const } : {}),
    };
    out.push({
      name,
      spec: spec as string,
      ...(type ? { type: type as ExtensionType } : {}),
      ...(Object.keys(place).length > 0 ? { place } : {}),
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Reads and parses a requirements file.
 *
 * @param path The file.
 * @returns The requirements.
 * @throws {ProvisioningError} `NOT_FOUND` when it does not exist; `INVALID_CONFIG`.
 */
export async function readRequirements(path: string): Promise<Requirement[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ProvisioningError("NOT_FOUND", `No ${REQUIREMENTS_FILE} at "${path}"`, {
        hint: `Create ${REQUIREMENTS_FILE} with an [extensions] table`,
      });
    }
    throw error;
  }
  return parseRequirements(text, path);
}
