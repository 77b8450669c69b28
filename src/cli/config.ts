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

/**
 * Builds the configuration from defaults, files, the documented environment variables
 * (and only those) and the command-line flags.
 *
 * @param env The process surroundings.
 * @param flags Global flags given on the command line.
 * @param extra Command-specific flags (for example `--source`).
 * @returns The effective configuration with origins.
 */
export function loadCliConfig(
  env: CliEnv,
  flags: GlobalConfigOptions,
  extra: Partial<ConfigFlags> = {},
): Promise<ResolvedConfig> {
  const vars: Record<string, string | undefined> = {};
  for (const name of CONFIG_ENV_VARS) vars[name] = env.getEnv(name);
  const configFlags: ConfigFlags = { ...extra };
  if (flags.registry !== undefined) configFlags.registry = flags.registry;
  if (flags.namespace !== undefined) configFlags.namespace = flags.namespace;
  if (flags.cacheDir !== undefined) configFlags.cacheDir = flags.cacheDir;
  if (flags.caFile !== undefined) configFlags.caFile = flags.caFile;
  if (flags.plainHttp !== undefined) configFlags.plainHttp = flags.plainHttp;
  return loadConfig({ cwd: env.cwd, home: env.home, env: vars, flags: configFlags });
}
