/**
 * Runs every benchmark script in turn (`deno task bench`), or the ones named:
 * `deno task bench startup load`. Each prints its own side-by-side table with ratios.
 *
 * The scripts start what they need themselves (a loopback registry, temp trees); they take a
 * few minutes together on two cores, most of it in the 100 MB and 1 GB transfers.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** Benchmark scripts, in the order they run: cheapest first. */
const BENCHES = [
  "startup",
  "load",
  "discovery",
  "install",
  "pack",
  "publish",
  "oci",
  "hash",
  "ui",
] as const;

if (import.meta.main) {
  const wanted = Deno.args.length > 0 ? Deno.args : [...BENCHES];
  const unknown = wanted.filter((name) => !(BENCHES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    console.error(`error: Unknown benchmark "${unknown[0]}"; choose from ${BENCHES.join(", ")}`);
    Deno.exit(2);
  }
  let failed = 0;
  for (const name of wanted) {
    const script = fileURLToPath(new URL(`./bench_${name}.ts`, import.meta.url));
    console.log(`\n=== bench_${name}.ts ===`);
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (code !== 0) {
      failed++;
      console.error(`bench_${name}.ts exited with ${code}`);
    }
  }
  Deno.exit(failed === 0 ? 0 : 1);
}
