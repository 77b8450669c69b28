/**
 * A reference side of `bench_startup.ts`: the cost of the module graph `main.ts` names (the
 * command tree is a literal dynamic import, so Deno loads its whole graph) without evaluating
 * any of it. Each isolate of a broad launch (the launcher and the worker) pays this.
 *
 * @module
 */

if (Deno.args.includes("--never")) await import("../src/cli/program.ts");
