/**
 * Test entry point wired the way `main.ts` is meant to be: a broad launch plans the
 * command's permission set and runs the CLI in a scoped worker; a scoped launch runs it in
 * place. `--no-realm-probe` before `--` turns off the token realm probe (to show what Deno
 * refuses without it).
 *
 * `deno run <broad flags> --unstable-worker-options _entry.ts [--no-realm-probe] -- ARGS`
 *
 * @module
 */

import { processContext } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/program.ts";
import { reportError } from "../../src/cli/report_error.ts";
import {
  isScopedWorker,
  launchLeastPrivilege,
  serveScopedWorker,
} from "../../src/permissions/mod.ts";
import { bundledExamplesDir } from "../../src/sources/local.ts";

if (isScopedWorker()) {
  serveScopedWorker((args) => runCli(args, processContext()));
} else if (import.meta.main) {
  const split = Deno.args.indexOf("--");
  const own = split === -1 ? [] : Deno.args.slice(0, split);
  const args = split === -1 ? Deno.args : Deno.args.slice(split + 1);
  const ctx = processContext();
  const code = await launchLeastPrivilege(args, {
    home: ctx.home,
    cwd: ctx.cwd,
    execPath: Deno.execPath(),
    examplesDir: bundledExamplesDir(),
    getEnv: ctx.getEnv,
  }, {
    moduleUrl: import.meta.url,
    runInPlace: (argv) => runCli(argv, ctx),
    reportError: (error) => reportError(error, ctx, args.includes("--debug")),
    probeTokenRealm: !own.includes("--no-realm-probe"),
  });
  Deno.exit(code);
}
