/**
 * `provisioning` — command-line entry point. The only place that exits the process.
 *
 * @module
 */

import { processContext } from "./src/cli/io.ts";
import { runCli } from "./src/cli/program.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args, processContext()));
}
