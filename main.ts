/**
 * `provisioning` — command-line entry point. The only place that exits the process.
 *
 * A cache hit of `ext load NAME --version X.Y.Z` is answered by a fast path that loads no
 * npm package (see `src/cli/ext_load_fast.ts`); everything else runs the full CLI.
 *
 * @module
 */

import { tryFastLoad } from "./src/cli/ext_load_fast.ts";
import { processContext } from "./src/cli/io.ts";

if (import.meta.main) {
  const ctx = processContext();
  const fast = await tryFastLoad(Deno.args, ctx);
  if (fast !== undefined) Deno.exit(fast);
  // A plain string on purpose: Deno preloads the module graph of an analyzable import, so a
  // run limited to the command's own read permissions can still load the CLI's code.
  const { runCli } = await import("./src/cli/program.ts");
  Deno.exit(await runCli(Deno.args, ctx));
}
