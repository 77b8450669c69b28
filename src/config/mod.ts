/**
 * Configuration: built-in defaults → user config → workspace overrides → environment →
 * command-line flags, each effective value carrying its origin.
 *
 * - User config: `<home>/.provisioning/config.toml`, or the file named by
 *   `PROVISIONING_CONFIG`.
 * - Workspace overrides: `<workspace>/config/local-overrides.toml`, the workspace found from
 *   the current directory upwards (a directory holding `workspace/config/local-overrides.toml`)
 *   or named by `PROVISIONING_WORKSPACE` (see {@linkcode findWorkspace}).
 * - Both files share one schema: `[oci]`, `[extensions]`, `[cache]`, `[gitea]`, `[git]` with
 *   the keys of {@linkcode Settings} (see {@linkcode SETTING_SPECS}). Relative paths resolve
 *   against the file's directory.
 * - Environment: {@linkcode CONFIG_ENV_VARS}. Flags: {@linkcode ConfigFlags}.
 * - `provisioning env`: {@linkcode envReport} (JSON/YAML) and {@linkcode formatEnvTable}.
 *
 * ```toml
 * # ~/.provisioning/config.toml
 * [oci]
 * registry = "registry.example.com"
 * namespace = "platform/extensions"
 * auth_token_path = "registry.token"   # ~/.provisioning/registry.token
 * timeout = 60
 *
 * [extensions]
 * source_type = "oci"
 * paths = ["~/src/extensions"]
 * ```
 *
 * @example
 * ```ts
 * import { envReport, loadConfig } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {}, flags: { registry: "zot:5000" } });
 * const registry = envReport(config).settings.find((entry) => entry.key === "oci.registry");
 * assert.deepEqual(registry, { key: "oci.registry", value: "zot:5000", origin: "flag (--registry)" });
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./secret.ts";
export * from "./schema.ts";
export * from "./defaults.ts";
export * from "./config_file.ts";
export * from "./env_vars.ts";
export * from "./flags.ts";
export * from "./workspace.ts";
export * from "./load_config.ts";
export * from "./env_report.ts";
