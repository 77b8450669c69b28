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
import type { runCli as RunCli } from "./src/cli/program.ts";

if (import.meta.main) {
  const ctx = processContext();
  const fast = await tryFastLoad(Deno.args, ctx);
  if (fast !== undefined) Deno.exit(fast);
  // A template literal, not a plain string: `deno run` then does not walk the whole CLI's
  // module graph at start-up (≈10 ms, most of a fast-path hit), while `deno bundle` (an
  // esbuild glob) and `deno compile` (template discovery) still include `program.ts`.
  const part = "ram";
  const { runCli }: { runCli: typeof RunCli } = await import(`./src/cli/prog${part}.ts`);
  Deno.exit(await runCli(Deno.args, ctx));
}
