/**
 * Loading the effective configuration: defaults → user config → workspace overrides →
 * environment → flags, each value with its origin.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { readOptionalText } from "./_read_optional_text.ts";
import { resolvePath } from "./_resolve_path.ts";
import { parseConfigText } from "./config_file.ts";
import { defaultSettings } from "./defaults.ts";
import { configFromEnv, readConfigEnv } from "./env_vars.ts";
import { configFromFlags } from "./flags.ts";
import { adoptPickedRegistry, listedRegistries, registryOfName } from "./picked_registry.ts";
import { SETTING_KEYS } from "./schema.ts";
import { Secret } from "./secret.ts";
import type {
  ConfigFileStatus,
  ConfigLayer,
  ConfigOrigin,
  LoadConfigOptions,
  ResolvedConfig,
  Settings,
} from "./types.ts";
import { locateWorkspace } from "./workspace.ts";

/**
 * The default user config file: `<home>/.provisioning/config.toml`.
 *
 * @example
 * ```ts
 * import { defaultUserConfigPath } from "./load_config.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(defaultUserConfigPath("/home/ada"), "/home/ada/.provisioning/config.toml");
 * ```
 *
 * @param home Absolute home directory.
 * @returns The path.
 */
export function defaultUserConfigPath(home: string): string {
  return join(home, ".provisioning", "config.toml");
}

function apply(settings: Settings, origins: Record<string, ConfigOrigin>, layer: ConfigLayer) {
  const sections = settings as unknown as Record<string, Record<string, unknown>>;
  for (const [key, value] of Object.entries(layer.values)) {
    const dot = key.indexOf(".");
    const section = sections[key.slice(0, dot)];
    if (section === undefined) continue;
    section[key.slice(dot + 1)] = value;
    origins[key] = { ...layer.origin };
  }
}

/**
 * Loads the effective configuration. Precedence, lowest first:
 *
 * 1. built-in defaults (`defaultSettings(home)`), origin `default`;
 * 2. the user config, `<home>/.provisioning/config.toml` or the file named by
 *    `PROVISIONING_CONFIG` (relative to `cwd`); missing is fine unless named explicitly;
 * 3. the workspace's `config/local-overrides.toml` (see `findWorkspace`); missing is fine;
 * 4. the environment (`CONFIG_ENV_VARS`), origin `env` with the variable;
 * 5. `options.flags`, origin `flag` with the flag's spelling (`--registry`).
 *
 * A `--registry` or `PROVISIONING_OCI_REGISTRY` naming one of the `[[oci.registries]]` (by its
 * `name` or its host) picks it: `[oci]` takes that entry's namespace, TLS and credential
 * settings (see `adoptPickedRegistry`), for reads and writes alike.
 *
 * A layer replaces whole values (arrays are not merged). Relative paths in a file resolve
 * against that file's directory; in the environment and flags, against `cwd`.
 * `PROVISIONING_GITEA_TOKEN` goes to `secrets.gitea_token` (origin key `gitea.token`), never
 * into `settings`.
 *
 * Cost: at most one read for the user config, one read per directory level while searching
 * for a workspace (or up to two reads and a stat with `PROVISIONING_WORKSPACE`), done
 * concurrently. Nothing global is read: the caller passes `cwd`, `home` and `env`.
 *
 * @example
 * ```ts
 * import { loadConfig } from "./load_config.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({
 *   cwd: home,
 *   home,
 *   env: { PROVISIONING_OCI_REGISTRY: "zot.lan:5000" },
 *   flags: { namespace: "team" },
 * });
 * assert.equal(config.settings.oci.registry, "zot.lan:5000");
 * assert.deepEqual(config.origins["oci.registry"], {
 *   kind: "env",
 *   source: "PROVISIONING_OCI_REGISTRY",
 * });
 * assert.deepEqual(config.origins["oci.namespace"], { kind: "flag", source: "--namespace" });
 * assert.deepEqual(config.origins["oci.timeout"], { kind: "default" });
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param options `cwd`, `home` (both absolute), `env` and optional `flags`.
 * @returns Settings, origins, workspace, secrets and the files considered.
 * @throws {ProvisioningError} `INVALID_CONFIG` for a bad config file (syntax, unknown key,
 * wrong type or value: naming file, line and key), a bad environment variable (naming it), a
 * missing file named by `PROVISIONING_CONFIG` or a missing `PROVISIONING_WORKSPACE`
 * directory; `USAGE` for a bad flag value.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const { cwd, home, env } = options;
  const named = readConfigEnv(env, "PROVISIONING_CONFIG");
  const userFile = named === undefined
    ? defaultUserConfigPath(home)
    : resolvePath(named, cwd, home);
  const [userText, workspace] = await Promise.all([
    readOptionalText(userFile),
    locateWorkspace({ cwd, home, env }),
  ]);
  if (userText === undefined && named !== undefined) {
    throw new ProvisioningError(
      "INVALID_CONFIG",
      `Config file "${userFile}" named by PROVISIONING_CONFIG does not exist`,
      { hint: "Create the file, or unset PROVISIONING_CONFIG to use the default" },
    );
  }

  const layers: ConfigLayer[] = [];
  const files: ConfigFileStatus[] = [
    { kind: "user", path: userFile, found: userText !== undefined },
  ];
  if (userText !== undefined) {
    layers.push(parseConfigText(userText, { file: userFile, home, kind: "user" }));
  }
  if (workspace !== undefined) {
    files.push({
      kind: "workspace",
      path: workspace.configFile,
      found: workspace.configText !== undefined,
    });
    if (workspace.configText !== undefined) {
      layers.push(
        parseConfigText(workspace.configText, {
          file: workspace.configFile,
          home,
          kind: "workspace",
        }),
      );
    }
  }
  // `--registry NAME` / `PROVISIONING_OCI_REGISTRY=NAME`: a listed registry by its name.
  const listed = listedRegistries(layers);
  const envRegistry = env.PROVISIONING_OCI_REGISTRY;
  const envVars = envRegistry === undefined || envRegistry === ""
    ? env
    : { ...env, PROVISIONING_OCI_REGISTRY: registryOfName(envRegistry, listed) };
  layers.push(...configFromEnv(envVars, { cwd, home }));
  const flags = options.flags?.registry === undefined
    ? options.flags
    : { ...options.flags, registry: registryOfName(options.flags.registry, listed) };
  if (flags !== undefined) layers.push(...configFromFlags(flags, { cwd, home }));

  const settings = defaultSettings(home);
  const origins: Record<string, ConfigOrigin> = {};
  for (const key of SETTING_KEYS) origins[key] = { kind: "default" };
  for (const layer of layers) apply(settings, origins, layer);
  adoptPickedRegistry(settings.oci, origins);

  const token = readConfigEnv(env, "PROVISIONING_GITEA_TOKEN");
  origins["gitea.token"] = token === undefined
    ? { kind: "default" }
    : { kind: "env", source: "PROVISIONING_GITEA_TOKEN" };

  return {
    settings,
    origins,
    workspace: workspace?.dir,
    secrets: { gitea_token: token === undefined ? undefined : new Secret(token) },
    files,
  };
}
