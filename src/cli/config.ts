/**
 * Loading the effective configuration for a CLI run from the process surroundings.
 *
 * @module
 */

import { CONFIG_ENV_VARS, loadConfig } from "../config/mod.ts";
import type { ConfigFlags, ResolvedConfig } from "../config/mod.ts";
import type { CliEnv } from "./io.ts";

/** Global options every command accepts that feed the configuration. */
export interface GlobalConfigOptions {
  registry?: string;
  namespace?: string;
  cacheDir?: string;
  caFile?: string;
  plainHttp?: boolean;
}

/** A load kept for the next identical one (see {@linkcode loadCliConfig}'s `share`). */
let shared: { key: string; config: Promise<ResolvedConfig> } | undefined;

/**
 * Builds the configuration from defaults, files, the documented environment variables
 * (and only those) and the command-line flags.
 *
 * @param env The process surroundings.
 * @param flags Global flags given on the command line.
 * @param extra Command-specific flags (for example `--source`).
 * @param options `share`: keep this load for the next call with the same arguments, which
 *   takes it instead of reading the files again (the permission check before an action, and
 *   the action). Only that one next call gets it.
 * @returns The effective configuration with origins.
 */
export function loadCliConfig(
  env: CliEnv,
  flags: GlobalConfigOptions,
  extra: Partial<ConfigFlags> = {},
  options: { share?: boolean } = {},
): Promise<ResolvedConfig> {
  const vars: Record<string, string | undefined> = {};
  for (const name of CONFIG_ENV_VARS) vars[name] = env.getEnv(name);
  const configFlags: ConfigFlags = { ...extra };
  if (flags.registry !== undefined) configFlags.registry = flags.registry;
  if (flags.namespace !== undefined) configFlags.namespace = flags.namespace;
  if (flags.cacheDir !== undefined) configFlags.cacheDir = flags.cacheDir;
  if (flags.caFile !== undefined) configFlags.caFile = flags.caFile;
  if (flags.plainHttp !== undefined) configFlags.plainHttp = flags.plainHttp;
  const input = { cwd: env.cwd, home: env.home, env: vars, flags: configFlags };
  const key = JSON.stringify(input);
  if (shared?.key === key && options.share !== true) {
    const { config } = shared;
    shared = undefined;
    return config;
  }
  const config = loadConfig(input);
  shared = options.share === true ? { key, config } : undefined;
  return config;
}
