/**
 * `provisioning` — command-line entry point. The only place that exits the process.
 *
 * Every command runs with one least-privilege set (`src/permissions/plan.ts`):
 *
 * - A launch that is already scoped (`deno run` with the flags `provisioning ext permissions`
 *   prints) runs the command here, in this thread: Deno enforces those flags.
 * - A broad launch (the compiled binary, `deno task ext`, `deno run -A`) plans the set the
 *   configuration names and runs the command in a Worker created with exactly that set (this
 *   module, loaded again: {@linkcode isScopedWorker} is then true). The parsed command asks
 *   for a rerun with more before it starts when its arguments name more.
 *
 * Only small modules are imported up front; the command tree and the launcher are imported
 * with literal specifiers (Deno loads them with the module graph, so no read permission on the
 * source is needed at run time), and each thread evaluates only what it uses: the launching
 * thread never evaluates the command tree.
 *
 * @module
 */

import { processContext } from "./src/cli/io.ts";
import { isBroadLaunch } from "./src/permissions/is_broad_launch.ts";
import { isScopedWorker, serveScopedWorker } from "./src/permissions/run_scoped.ts";

/** Runs a command in this thread. */
async function runHere(args: string[]): Promise<number> {
  const { runCli } = await import("./src/cli/program.ts");
  return await runCli(args, processContext());
}

/** Plans the command's permission set and runs it in a worker holding only that set. */
async function launchScoped(args: string[]): Promise<number> {
  const [{ launchLeastPrivilege }, { reportError }] = await Promise.all([
    import("./src/permissions/launch_least_privilege.ts"),
    import("./src/cli/report_error.ts"),
  ]);
  const ctx = processContext();
  return await launchLeastPrivilege(args, ctx, {
    moduleUrl: import.meta.url,
    runInPlace: runHere,
    reportError: (error) => reportError(error, ctx, args.includes("--debug")),
    isBroad: () => true,
  });
}

if (isScopedWorker()) {
  serveScopedWorker(runHere);
} else if (import.meta.main) {
  Deno.exit(isBroadLaunch() ? await launchScoped(Deno.args) : await runHere(Deno.args));
}
