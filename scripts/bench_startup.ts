/**
 * Start-up cost of the CLI against an empty `deno run`, in one run, as ratios.
 *
 * Usage: `deno run --allow-run --allow-read --allow-write --allow-env scripts/bench_startup.ts [--runs N]`
 *
 * Measures wall time of: an empty script, `provisioning ext --help`, and a local
 * `provisioning ext load kubernetes` (bundled examples). Each command runs N times after
 * one warm-up (the module graph is cached by the warm-up); the median is reported.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";

const runs = Number(Deno.args[Deno.args.indexOf("--runs") + 1] ?? 15) || 15;
const root = fileURLToPath(new URL("..", import.meta.url));
const main = join(root, "main.ts");
const tmp = await Deno.makeTempDir({ prefix: "bench-startup-" });
const empty = join(tmp, "empty.ts");
await Deno.writeTextFile(empty, "");

const env = { NO_COLOR: "1", HOME: tmp };
const perms = ["--allow-read", "--allow-env", "--allow-write=" + tmp];
const cases: [string, string[]][] = [
  ["empty deno run", ["run", "--quiet", empty]],
  ["ext --help", ["run", "--quiet", ...perms, main, "ext", "--help"]],
  ["ext load (local)", ["run", "--quiet", ...perms, main, "ext", "load", "kubernetes"]],
];

async function timeOnce(args: string[]): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    env,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  const elapsed = performance.now() - start;
  if (!out.success) {
    throw new Error(`${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return elapsed;
}

const medians: number[] = [];
for (const [label, args] of cases) {
  await timeOnce(args);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeOnce(args));
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  medians.push(median);
  const ratio = (median / medians[0]!).toFixed(2);
  console.log(`${label.padEnd(20)} median ${median.toFixed(1).padStart(7)} ms  ${ratio}x empty`);
}
await Deno.remove(tmp, { recursive: true });
