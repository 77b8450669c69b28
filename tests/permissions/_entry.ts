/**
 * Test entry point wired like `main.ts`, with the command line after `--` (so a test can put
 * its own arguments before it): a broad launch plans the set and runs the CLI in a scoped
 * worker; a scoped launch runs it in place.
 *
 * `deno run <broad flags> --unstable-worker-options _entry.ts -- ARGS`
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
  const args = split === -1 ? Deno.args : Deno.args.slice(split + 1);
  const [{ processContext }, { reportError }, { launchLeastPrivilege }] = await Promise.all([
    import("../../src/cli/io.ts"),
    import("../../src/cli/report_error.ts"),
    import("../../src/permissions/launch_least_privilege.ts"),
  ]);
  const ctx = processContext();
  const code = await launchLeastPrivilege(args, ctx, {
    moduleUrl: import.meta.url,
    runInPlace: runCliHere,
    reportError: (error) => reportError(error, ctx, args.includes("--debug")),
  });
  Deno.exit(code);
}
