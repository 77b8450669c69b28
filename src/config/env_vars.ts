/**
 * The environment layer: which variables the configuration reads and how each maps to a
 * setting.
 *
 * @module
 */

import { delimiter, join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { checkValue } from "./_check_value.ts";
import { resolvePath } from "./_resolve_path.ts";
import { settingSpec } from "./schema.ts";
import type { ConfigLayer, SettingKey } from "./types.ts";

/**
 * Every environment variable the configuration reads, and nothing else: scope `--allow-env` to
 * exactly these (plus what the caller itself reads, such as `HOME`).
 *
 * - `PROVISIONING_CONFIG`: user config file (default `<home>/.provisioning/config.toml`).
 * - `PROVISIONING_WORKSPACE`: the workspace directory, instead of searching upwards.
 * - `PROVISIONING_OCI_REGISTRY` → `oci.registry`, `PROVISIONING_OCI_NAMESPACE` →
 *   `oci.namespace`, `PROVISIONING_OCI_INSECURE` → `oci.insecure` (`true|false|1|0|yes|no|on|off`).
 * - `PROVISIONING_EXTENSIONS_PATH` → `extensions.paths` (colon separated, `;` on Windows).
 * - `PROVISIONING_SOURCE_TYPE` → `extensions.source_type`.
 * - `PROVISIONING_CACHE_DIR` → `cache.dir`.
 * - `PROVISIONING_GITEA_URL` → `gitea.url`.
 * - `PROVISIONING_GITEA_TOKEN`: the Gitea API token, kept as a secret (never printed).
 * - `DOCKER_CONFIG` → `oci.docker_config` (Docker's config folder, as the docker CLI reads it).
 * - `XDG_RUNTIME_DIR` → `oci.auth_file` = `$XDG_RUNTIME_DIR/containers/auth.json` (Podman's),
 *   and `REGISTRY_AUTH_FILE` → `oci.auth_file` over it (as Podman and skopeo read them).
 *
 * An empty variable counts as unset.
 *
 * @example
 * ```ts
 * import { CONFIG_ENV_VARS } from "./env_vars.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(CONFIG_ENV_VARS.includes("PROVISIONING_OCI_REGISTRY"));
 * assert.equal(`--allow-env=${CONFIG_ENV_VARS.join(",")}`.includes("HOME"), false);
 * ```
 */
export const CONFIG_ENV_VARS = [
  "PROVISIONING_CONFIG",
  "PROVISIONING_WORKSPACE",
  "PROVISIONING_OCI_REGISTRY",
  "PROVISIONING_OCI_NAMESPACE",
  "PROVISIONING_OCI_INSECURE",
  "PROVISIONING_EXTENSIONS_PATH",
  "PROVISIONING_SOURCE_TYPE",
  "PROVISIONING_CACHE_DIR",
  "PROVISIONING_GITEA_URL",
  "PROVISIONING_GITEA_TOKEN",
  "DOCKER_CONFIG",
  "XDG_RUNTIME_DIR",
  "REGISTRY_AUTH_FILE",
] as const;

/** One of {@linkcode CONFIG_ENV_VARS}. */
export type ConfigEnvVar = typeof CONFIG_ENV_VARS[number];

/**
 * How a variable's text becomes a raw value before the schema check: as is, a boolean word,
 * or a path list.
 */
export type EnvParse = "text" | "boolean" | "list" | "podman_runtime_dir";

/** Variables that set a setting, in the order they are applied. */
export const ENV_SETTING_BINDINGS: readonly {
  readonly name: ConfigEnvVar;
  readonly key: SettingKey;
  readonly parse: EnvParse;
}[] = [
  { name: "PROVISIONING_OCI_REGISTRY", key: "oci.registry", parse: "text" },
  { name: "PROVISIONING_OCI_NAMESPACE", key: "oci.namespace", parse: "text" },
  { name: "PROVISIONING_OCI_INSECURE", key: "oci.insecure", parse: "boolean" },
  { name: "PROVISIONING_EXTENSIONS_PATH", key: "extensions.paths", parse: "list" },
  { name: "PROVISIONING_SOURCE_TYPE", key: "extensions.source_type", parse: "text" },
  { name: "PROVISIONING_CACHE_DIR", key: "cache.dir", parse: "text" },
  { name: "PROVISIONING_GITEA_URL", key: "gitea.url", parse: "text" },
  { name: "DOCKER_CONFIG", key: "oci.docker_config", parse: "text" },
  { name: "XDG_RUNTIME_DIR", key: "oci.auth_file", parse: "podman_runtime_dir" },
  { name: "REGISTRY_AUTH_FILE", key: "oci.auth_file", parse: "text" },
];

const TRUE_WORDS = ["true", "1", "yes", "on"];
const FALSE_WORDS = ["false", "0", "no", "off"];

function parseEnvText(text: string, parse: EnvParse): unknown {
  if (parse === "list") return text.split(delimiter).filter((part) => part !== "");
  if (parse === "podman_runtime_dir") return join(text, "containers", "auth.json");
  if (parse === "boolean") {
    const word = text.trim().toLowerCase();
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
  }
  return text;
}

/**
 * Reads a variable of {@linkcode CONFIG_ENV_VARS}; an empty value counts as unset.
 *
 * @example
 * ```ts
 * import { readConfigEnv } from "./env_vars.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(readConfigEnv({ PROVISIONING_CACHE_DIR: "" }, "PROVISIONING_CACHE_DIR"), undefined);
 * ```
 *
 * @param env The environment.
 * @param name The variable.
 * @returns Its value, or undefined when unset or empty.
 */
export function readConfigEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: ConfigEnvVar,
): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

/**
 * The environment layer: one layer per variable that is set, in the order of
 * {@linkcode ENV_SETTING_BINDINGS}, each with origin `{ kind: "env", source: <variable> }`.
 * Relative paths resolve against `cwd`; a leading `~/` expands to `home`.
 *
 * @example
 * ```ts
 * import { configFromEnv } from "./env_vars.ts";
 * import assert from "node:assert/strict";
 *
 * const [layer] = configFromEnv({ PROVISIONING_CACHE_DIR: "cache" }, { cwd: "/w", home: "/h" });
 * assert.deepEqual(layer, {
 *   origin: { kind: "env", source: "PROVISIONING_CACHE_DIR" },
 *   values: { "cache.dir": "/w/cache" },
 * });
 * ```
 *
 * @param env The environment.
 * @param options `cwd` and `home`, both absolute.
 * @returns The layers, lowest precedence first.
 * @throws {ProvisioningError} `INVALID_CONFIG` naming the variable when a value is invalid
 * (every bad variable at once: the first in the message, the others in `details`).
 */
export function configFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: { cwd: string; home: string },
): ConfigLayer[] {
  const layers: ConfigLayer[] = [];
  const problems: { text: string; hint?: string }[] = [];
  for (const binding of ENV_SETTING_BINDINGS) {
    const text = readConfigEnv(env, binding.name);
    const spec = settingSpec(binding.key);
    if (text === undefined || spec === undefined) continue;
    const checked = checkValue(
      spec,
      parseEnvText(text, binding.parse),
      (path) => resolvePath(path, options.cwd, options.home),
    );
    if (checked.ok) {
      layers.push({
        origin: { kind: "env", source: binding.name },
        values: { [binding.key]: checked.value },
      });
    } else {
      const problem = `Environment variable ${binding.name}: ${
        checked.problem.replace(/got string (".*")$/, "got $1")
      }`;
      const hint = binding.parse === "boolean"
        ? "Use true or false (also 1/0, yes/no, on/off)"
        : checked.hint;
      problems.push(hint === undefined ? { text: problem } : { text: problem, hint });
    }
  }
  const [first, ...rest] = problems;
  if (first !== undefined) {
    throw new ProvisioningError("INVALID_CONFIG", first.text, {
      ...(first.hint === undefined ? {} : { hint: first.hint }),
      details: rest.map((problem) => problem.text),
    });
  }
  return layers;
}
