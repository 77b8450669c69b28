/**
 * Test entry point wired like `main.ts` (without its fast path): a broad launch plans the
 * command's permission set and runs the CLI in a scoped worker; a scoped launch runs it in
 * place. It exists for one switch the real entry must not have: `--no-realm-probe` before
 * `--` turns off the token realm probe (to show what Deno refuses without it).
 *
 * Only the small worker check is imported up front: the launching thread never loads the
 * command tree, and the worker never loads the planner, so neither pays for the other's
 * modules.
 *
 * `deno run <broad flags> --unstable-worker-options _entry.ts [--no-realm-probe] -- ARGS`
 *
 * @module
 */

import { isScopedWorker, serveScopedWorker } from "../../src/permissions/run_scoped.ts";

async function runCliHere(args: string[]): Promise<number> {
  const [{ processContext }, { runCli }] = await Promise.all([
    import("../../src/cli/io.ts"),
    import("../../src/cli/program.ts"),
  ]);
  return await runCli(args, processContext());
}

if (isScopedWorker()) {
  serveScopedWorker(runCliHere);
} else if (import.meta.main) {
  const split = Deno.args.indexOf("--");
  const own = split === -1 ? [] : Deno.args.slice(0, split);
  const args = split === -1 ? Deno.args : Deno.args.slice(split + 1);
  const [{ processContext }, { reportError }, { launchLeastPrivilege }] = await Promise.all([
    import("../../src/cli/io.ts"),
    import("../../src/cli/report_error.ts"),
    import("../../src/permissions/launch_least_privilege.ts"),
  ]);
  const ctx = processContext();
  const code = await launchLeastPrivilege(args, {
    home: ctx.home,
    cwd: ctx.cwd,
    execPath: Deno.execPath(),
    getEnv: ctx.getEnv,
  }, {
    moduleUrl: import.meta.url,
    runInPlace: runCliHere,
    reportError: (error) => reportError(error, ctx, args.includes("--debug")),
    probeTokenRealm: !own.includes("--no-realm-probe"),
  });
  Deno.exit(code);
}
