/**
 * Start-up cost of the CLI against an empty `deno run`, side by side in one run, as ratios
 * (printed, never asserted).
 *
 * Commands: `ext --help`; `ext cache list`; `ext load kubernetes` from the bundled examples
 * (the Quick start's job); a cache hit of `ext load NAME --version X.Y.Z`; `ext list --refresh` over the local examples and one real registry (a loopback
 * `docker-registry` holding one extension), beside `curl` of the two requests that listing
 * makes of the registry (`_catalog`, then the repository's tags). Each in the four ways the
 * tool is started:
 *
 * - source, scoped in place: `deno run <flags ext permissions prints> main.ts …`;
 * - source, broad + worker: `deno run <BROAD_LAUNCH_FLAGS> main.ts …` (`deno task ext`): the
 *   launcher plans the set from the configuration and the command runs in a Worker holding
 *   only that set;
 * - bundle, scoped in place, and bundle, broad + worker: the same with `dist/provisioning.js`
 *   (built here with `deno task bundle`) and `--no-config`.
 *
 * References in the same run: an empty `deno run`, and `deno run` of a file that names the
 * command tree in a dynamic import it never runs (the module graph every isolate of `main.ts`
 * loads).
 *
 * Every side runs once to warm up, then `--runs` times in a rotating order (so load from
 * other jobs spreads over all sides); medians are reported with their ratio to the empty run,
 * then one row per command with its goal (exact cache hit ≤ 1.5×; `--help`, `cache list` and a
 * local load ≤ 2×; the listing ≤ 2× plus curl's ratio for the registry's own round trips),
 * checked against the broad launches, which are the ones users get.
 *
 * Usage: `deno run -A scripts/bench_startup.ts [--runs 15]`
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BROAD_LAUNCH_FLAGS } from "../src/permissions/mod.ts";
import { startRegistry } from "../tests/harness/registry.ts";
import { seedEntry } from "./_bench_util.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MAIN = join(ROOT, "main.ts");
const BUNDLE = join(ROOT, "dist", "provisioning.js");

/** One command line to time (`deno` unless `program` says otherwise). */
interface Side {
  label: string;
  args: string[];
  program?: string;
  /** The home folder the side runs with (default: the bench's). */
  home?: string;
}

/** A side's result. */
interface Timing {
  label: string;
  medianMs: number;
}

const decoder = new TextDecoder();

async function deno(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  program = Deno.execPath(),
): Promise<string> {
  const out = await new Deno.Command(program, {
    args,
    env,
    cwd,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`${program} ${args.join(" ")} failed: ${decoder.decode(out.stderr)}`);
  }
  return decoder.decode(out.stdout);
}

/**
 * Times every side: one warm-up each, then `runs` rounds in a rotating order.
 *
 * @param sides The command lines.
 * @param runs Timed runs per side.
 * @param env Environment of every run.
 * @param cwd Working directory of every run.
 * @returns Medians, in the order of `sides`.
 */
async function timeSides(
  sides: Side[],
  runs: number,
  env: Record<string, string>,
  cwd: string,
): Promise<Timing[]> {
  const run = (side: Side) =>
    deno(side.args, side.home === undefined ? env : { ...env, HOME: side.home }, cwd, side.program);
  for (const side of sides) await run(side);
  const times = sides.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < sides.length; k++) {
      const i = (k + round) % sides.length;
      const start = performance.now();
      await run(sides[i]!);
      times[i]!.push(performance.now() - start);
    }
  }
  return sides.map((side, i) => {
    const sorted = times[i]!.sort((a, b) => a - b);
    return { label: side.label, medianMs: sorted[Math.floor(sorted.length / 2)]! };
  });
}

if (import.meta.main) {
  const runsArg = Deno.args.indexOf("--runs");
  const runs = Number(runsArg === -1 ? 15 : Deno.args[runsArg + 1]) || 15;
  const work = await Deno.realPath(await Deno.makeTempDir({ prefix: "bench-startup-" }));
  const reg = await startRegistry();
  try {
    const home = join(work, "home");
    await Deno.mkdir(home);
    await seedEntry(join(home, ".provisioning", "cache"), "benchext", "1.0.0", "localhost:5000");
    // A second home whose configuration names the real registry, which holds one extension.
    const regHome = join(work, "reg-home");
    await Deno.mkdir(join(regHome, ".provisioning"), { recursive: true });
    await Deno.writeTextFile(
      join(regHome, ".provisioning", "config.toml"),
      `[oci]\nregistry = "${reg.host}"\n`,
    );
    const empty = join(work, "empty.ts");
    await Deno.writeTextFile(empty, "");
    const graphOnly = join(ROOT, "scripts", "_bench_graph_only.ts");
    const env: Record<string, string> = {
      HOME: home,
      NO_COLOR: "1",
      PATH: Deno.env.get("PATH") ?? "",
      DENO_DIR: Deno.env.get("DENO_DIR") ??
        join(
          Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? work, ".cache"),
          "deno",
        ),
    };
    await deno(["task", "--quiet", "bundle"], env, ROOT);
    const example = join(ROOT, "examples", "extensions", "taskservs", "kubernetes", "1.28.0");
    await deno(["run", "--quiet", "-A", MAIN, "ext", "publish", example], {
      ...env,
      HOME: regHome,
    }, regHome);

    const commands: [string, string[], string | undefined, number][] = [
      ["ext --help", ["ext", "--help"], undefined, 2],
      ["ext cache list", ["ext", "cache", "list"], undefined, 2],
      ["ext load kubernetes (local)", ["ext", "load", "kubernetes"], undefined, 2],
      ["ext load, cache hit", ["ext", "load", "benchext", "--version", "1.0.0"], undefined, 1.5],
      ["ext list --refresh (local + registry)", ["ext", "list", "--refresh"], regHome, 2],
    ];
    const entries: [string, string, string[]][] = [
      ["source", MAIN, []],
      ["bundle", BUNDLE, ["--no-config"]],
    ];
    const sides: Side[] = [
      { label: "empty deno run", args: ["run", "--quiet", empty] },
      {
        label: "deno run, the CLI's module graph loaded, nothing evaluated",
        args: ["run", "--quiet", graphOnly],
      },
      {
        label: "curl: the registry's two answers (_catalog, tags)",
        program: "curl",
        args: [
          "-sf",
          "-o",
          "/dev/null",
          `${reg.url}/v2/_catalog`,
          "-o",
          "/dev/null",
          `${reg.url}/v2/provisioning-extensions/kubernetes/tags/list`,
        ],
      },
    ];
    for (const [command, args, sideHome] of commands) {
      for (const [kind, entry, denoFlags] of entries) {
        // The flags a user gets from `ext permissions` for this command line, asked of the
        // same entry.
        const printed = JSON.parse(
          await deno(
            [
              "run",
              "--quiet",
              ...denoFlags,
              ...BROAD_LAUNCH_FLAGS,
              entry,
              "ext",
              "permissions",
              "--format",
              "json",
              ...(args[1] === "--help" ? [] : ["--", ...args]),
            ],
            sideHome === undefined ? env : { ...env, HOME: sideHome },
            home,
          ),
        ).flags as string[];
        const at = sideHome === undefined ? {} : { home: sideHome };
        sides.push({
          label: `${command} — ${kind}, scoped in place`,
          args: ["run", "--quiet", ...denoFlags, ...printed, entry, ...args],
          ...at,
        });
        sides.push({
          label: `${command} — ${kind}, broad + worker`,
          args: ["run", "--quiet", ...denoFlags, ...BROAD_LAUNCH_FLAGS, entry, ...args],
          ...at,
        });
      }
    }
    const timings = await timeSides(sides, runs, env, home);
    const base = timings[0]!.medianMs;
    const width = Math.max(...timings.map((t) => t.label.length));
    console.log(`${runs} runs per side, rotating order; load average ${Deno.loadavg().join(" ")}`);
    for (const { label, medianMs } of timings) {
      console.log(
        `${label.padEnd(width)}  ${medianMs.toFixed(1).padStart(7)} ms  ${
          (medianMs / base).toFixed(2)
        }x`,
      );
    }
    const ratio = (label: string) =>
      (timings.find((t) => t.label === label)?.medianMs ?? NaN) / base;
    const curl = ratio("curl: the registry's two answers (_catalog, tags)");
    console.log(
      "\ncommand | source scoped | source broad | bundle scoped | bundle broad | goal (broad)",
    );
    for (const [command, , sideHome, goal] of commands) {
      const at = (kind: string, how: string) => ratio(`${command} — ${kind}, ${how}`);
      const limit = sideHome === undefined ? goal : goal + curl;
      const broad = [at("source", "broad + worker"), at("bundle", "broad + worker")];
      const met = broad.every((r) => r <= limit) ? "met" : "not met";
      console.log(
        `${command} | ${
          [at("source", "scoped in place"), broad[0]!, at("bundle", "scoped in place"), broad[1]!]
            .map((r) => `${r.toFixed(2)}×`).join(" | ")
        } | ≤ ${limit.toFixed(2)}×: ${met}`,
      );
    }
  } finally {
    await reg.stop();
    await Deno.remove(work, { recursive: true });
  }
}
