import { resolve } from "../fs/path.ts";
import { CONFIG_ENV_VARS } from "../config/env_vars.ts";
import { defaultSettings } from "../config/defaults.ts";
import { loadConfig } from "../config/load_config.ts";
import type { ResolvedConfig } from "../config/types.ts";
import { examplesDirForPermissions } from "./bundled_examples_dir.ts";
import { isBroadLaunch } from "./is_broad_launch.ts";
import { type PlanEnv, planPermissions } from "./plan.ts";
import { rememberRealm } from "./remembered_realms.ts";
import { runScoped } from "./run_scoped.ts";
import type { PermissionSet } from "./types.ts";

/** The surroundings of a launch. */
export interface LaunchEnv extends PlanEnv {
  /** Reads one environment variable (only the documented ones are asked for). */
  getEnv(name: string): string | undefined;
}

/** Options of {@linkcode launchLeastPrivilege}. */
export interface LaunchOptions {
  /** The entry module, loaded again as the scoped worker (`import.meta.url` of `main.ts`). */
  moduleUrl: string | URL;
  /** Runs the command in this thread (used when the launch is already scoped). */
  runInPlace: (args: string[]) => Promise<number>;
  /** Reports an error thrown while planning or creating the worker; returns the exit code. */
  reportError: (error: unknown) => number;
  /** Tells whether the launch is broad (default: {@linkcode isBroadLaunch}). */
  isBroad?: () => boolean;
}

/** A command asks for a larger set at most this often (each ask must add something). */
const MAX_REPLANS = 4;

/**
 * The entry point's launcher. A launch that is already scoped (the flags
 * `provisioning ext permissions` prints) runs the command in place: Deno enforces those
 * flags. A broad launch (the compiled binary, `deno task ext`, `-A`) plans the set the
 * configuration names ({@linkcode planPermissions}; the command line is not looked at) and
 * runs the command in a worker holding exactly that set ({@linkcode runScoped}). When the
 * parsed command needs more — a folder it was given, a registry a reference names, a token
 * realm met for the first time — the worker says so before doing anything and the command
 * runs again in a worker with the larger set (a learned realm is remembered for next time).
 *
 * @example
 * ```ts ignore
 * // main.ts
 * if (isScopedWorker()) serveScopedWorker((args) => runCli(args, processContext()));
 * else if (import.meta.main) {
 *   const ctx = processContext();
 *   Deno.exit(await launchLeastPrivilege(Deno.args, ctx, {
 *     moduleUrl: import.meta.url,
 *     runInPlace: (args) => runCli(args, ctx),
 *     reportError: (error) => reportError(error, ctx, Deno.args.includes("--debug")),
 *   }));
 * }
 * ```
 *
 * @param argv Arguments after the program name.
 * @param env Home, current folder and the environment.
 * @param options Entry module, in-place runner, error reporter.
 * @returns The exit code.
 */
export async function launchLeastPrivilege(
  argv: readonly string[],
  env: LaunchEnv,
  options: LaunchOptions,
): Promise<number> {
  if (!(options.isBroad ?? isBroadLaunch)()) return await options.runInPlace([...argv]);
  try {
    let set = await configuredSet(env);
    for (let round = 0;; round++) {
      const outcome = await runScoped(set, options.moduleUrl, argv);
      if (outcome.kind === "done") return outcome.code;
      if (outcome.realm !== undefined) {
        // A read-only config folder only means learning the realm again next time.
        await rememberRealm(env.home, outcome.realm.origin, outcome.realm.hosts).catch(() => {});
      }
      if (round === MAX_REPLANS) throw new Error("the command kept asking for more permissions");
      set = outcome.set;
    }
  } catch (error) {
    return options.reportError(error);
  }
}

/**
 * The set the configuration names, before the command line is known. A configuration that
 * does not load is planned as the defaults: the command then reports the problem itself.
 */
async function configuredSet(env: LaunchEnv): Promise<PermissionSet> {
  const vars: Record<string, string | undefined> = {};
  for (const name of CONFIG_ENV_VARS) vars[name] = env.getEnv(name);
  const planEnv = { home: env.home, cwd: env.cwd, examplesDir: examplesDirForPermissions() };
  const defaults = (): ResolvedConfig => ({
    settings: defaultSettings(env.home),
    origins: {},
    workspace: undefined,
    secrets: { gitea_token: undefined },
    // The file PROVISIONING_CONFIG names stays readable, so the command can say what is wrong.
    files: vars.PROVISIONING_CONFIG
      ? [{ kind: "user", path: resolve(env.cwd, vars.PROVISIONING_CONFIG), found: true }]
      : [],
  });
  try {
    const config = await loadConfig({ cwd: env.cwd, home: env.home, env: vars });
    return await planPermissions(config, planEnv);
  } catch {
    return await planPermissions(defaults(), planEnv);
  }
}
