import { isBroadLaunch } from "./is_broad_launch.ts";
import { type PlanEnv, type PlanOptions, planPermissions } from "./plan_permissions.ts";
import { runScoped } from "./run_scoped.ts";
import { scanArgv } from "./scan_argv.ts";

/** Options of {@linkcode launchLeastPrivilege}. */
export interface LaunchOptions extends PlanOptions {
  /** The entry module, loaded again as the scoped worker (`import.meta.url` of `main.ts`). */
  moduleUrl: string | URL;
  /** Runs the command in this thread (used when the launch is already scoped). */
  runInPlace: (args: string[]) => Promise<number>;
  /** Reports an error thrown while planning or creating the worker; returns the exit code. */
  reportError: (error: unknown) => number;
  /** Tells whether the launch is broad (default: {@linkcode isBroadLaunch}). */
  isBroad?: () => boolean;
}

/**
 * The entry point's launcher. A launch that is already scoped (the flags
 * `provisioning ext permissions` prints) runs the command in place: Deno enforces those
 * flags. A broad launch (the compiled binary, `deno task ext`, `-A`) computes the command's
 * permission set ({@linkcode planPermissions}) and runs the command in a worker that holds
 * exactly that set ({@linkcode runScoped}).
 *
 * @example
 * ```ts ignore
 * // main.ts
 * if (isScopedWorker()) serveScopedWorker((args) => runCli(args, processContext()));
 * else if (import.meta.main) {
 *   const ctx = processContext();
 *   Deno.exit(await launchLeastPrivilege(Deno.args, { ...ctx, execPath: Deno.execPath(),
 *     examplesDir: bundledExamplesDir() }, {
 *     moduleUrl: import.meta.url,
 *     runInPlace: (args) => runCli(args, ctx),
 *     reportError: (error) => reportError(error, ctx, Deno.args.includes("--debug")),
 *   }));
 * }
 * ```
 *
 * @param argv Arguments after the program name.
 * @param env Home, current directory, executable, examples folder and the environment.
 * @param options Entry module, in-place runner, error reporter, probe settings.
 * @returns The exit code.
 */
export async function launchLeastPrivilege(
  argv: readonly string[],
  env: PlanEnv,
  options: LaunchOptions,
): Promise<number> {
  if (!(options.isBroad ?? isBroadLaunch)()) return await options.runInPlace([...argv]);
  try {
    const scanned = scanArgv(argv);
    const plan = await planPermissions(
      {
        command: scanned.command,
        globals: scanned.globals,
        source: scanned.source,
        argument: scanned.argument,
        destination: scanned.destination,
        fromLayout: scanned.fromLayout,
        offline: scanned.offline,
        ...(scanned.port === undefined ? {} : { port: scanned.port }),
        ...(scanned.open === undefined ? {} : { open: scanned.open }),
        keyFiles: scanned.keyFiles,
        outputKeyPrefix: scanned.outputKeyPrefix,
      },
      env,
      options,
    );
    let set = plan.set;
    if (plan.needs.hooks === true) {
      // `ext run`: the hook's sandbox may get the hosts and variables the extension declares.
      const { planHookGrants } = await import("../hooks/plan_hook_grants.ts");
      const planned = await planHookGrants(
        plan,
        argv,
        env,
        (args) => runScoped(plan.set, options.moduleUrl, args),
      );
      if (typeof planned === "number") return planned;
      set = planned;
    }
    return await runScoped(set, options.moduleUrl, argv);
  } catch (error) {
    return options.reportError(error);
  }
}
