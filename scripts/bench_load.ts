/**
 * Benchmark of loading through the cache, side by side in one run, as ratios (printed,
 * never asserted):
 *
 * 1. Start-up of a cache hit: `ext load NAME --version X.Y.Z` (one path answers every load;
 *    `--debug` adds the loader's notes), against an empty `deno run`.
 * 2. Cold load of a 100 MB extension from the real loopback registry (`docker-registry`,
 *    started by the test harness) into an empty cache, against `curl … | tar -xz` of the same
 *    layer blob and `skopeo copy docker://… oci:DIR` (which copies without unpacking).
 * 3. A cache of 10,000 entries: `ext cache list --format json`, `ext cache stats`, an
 *    `ext load` hit, and in-process `listCached`, `getFromCache` and `findBestCached`.
 *
 * Every side runs once to warm up, then `--runs` times in a rotating order; medians are
 * reported. Temp files and the registry are removed at the end, also on failure.
 *
 * Usage: `deno run -A scripts/bench_load.ts [--runs 15] [--cold-runs 3] [--size-mb 100]
 * [--entries 10000] [--only startup,cold,many]`
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PLAN_ENV_VARS } from "../src/permissions/mod.ts";
import { findBestCached, getFromCache, listCached, rebuildIndex } from "../src/cache/mod.ts";
import { defaultSettings } from "../src/config/defaults.ts";
import { createRegistryClient, pushArtifact } from "../src/oci/mod.ts";
import { packageExtension } from "../src/publish/mod.ts";
import { startRegistry, type TestRegistry } from "../tests/harness/registry.ts";
import { runOutput, seedEntry, skopeoCopyToLayout, writeRandomFile } from "./_bench_util.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

/** Options of {@linkcode runBench}. */
export interface LoadBenchOptions {
  /** Timed runs of the start-up and 10,000-entry sides. */
  runs: number;
  /** Timed runs of the cold-load sides. */
  coldRuns: number;
  /** Size of the cold-load extension in MB (10^6 bytes, random so gzip cannot shrink it). */
  sizeMb: number;
  /** Entries of the large cache. */
  entries: number;
  /** Which parts to run. */
  only: ("startup" | "cold" | "many")[];
  /** Progress lines (stderr). */
  log?: (line: string) => void;
}

/** One timed side. */
export interface Side {
  name: string;
  medianMs: number;
  runsMs: number[];
}

/** A group of sides and its baseline (the side ratios are taken against). */
export interface SideGroup {
  title: string;
  baseline: string;
  sides: Side[];
  notes: string[];
}

/**
 * Runs the selected parts and returns their timings.
 *
 * @param options Runs, sizes and parts.
 * @returns One group per part.
 */
export async function runBench(options: LoadBenchOptions): Promise<SideGroup[]> {
  const log = options.log ?? (() => {});
  const work = await Deno.makeTempDir({ prefix: "bench-load-" });
  const groups: SideGroup[] = [];
  try {
    if (options.only.includes("startup")) groups.push(await startup(work, options, log));
    if (options.only.includes("cold")) groups.push(await cold(work, options, log));
    if (options.only.includes("many")) groups.push(await many(work, options, log));
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  return groups;
}

/**
 * A scoped launch (the way `ext permissions` output is used): the command runs in place.
 * An unscoped flag would make it a broad launch, which adds the least-privilege worker.
 */
function cliArgs(home: string, ...args: string[]): string[] {
  return [
    "run",
    "--quiet",
    "--no-prompt",
    `--allow-read=${home},${dirname(MAIN)}`,
    "--ignore-read",
    `--allow-env=${PLAN_ENV_VARS.join(",")}`,
    "--ignore-env",
    `--allow-write=${home}`,
    "--allow-net=127.0.0.1",
    MAIN,
    ...args,
  ];
}

async function startup(
  work: string,
  options: LoadBenchOptions,
  log: (line: string) => void,
): Promise<SideGroup> {
  const home = join(work, "startup-home");
  const cache = join(home, ".provisioning", "cache");
  await Deno.mkdir(home, { recursive: true });
  await seedEntry(cache, "benchext", "1.0.0", "localhost:5000"); // the default registry: the entry answers it
  const empty = join(work, "empty.ts");
  await Deno.writeTextFile(empty, "");
  const env = { HOME: home, NO_COLOR: "1" };
  const load = ["ext", "load", "benchext", "--version", "1.0.0", "--format", "json"];
  const hit = cliArgs(home, ...load);
  const debug = cliArgs(home, "--debug", ...load);
  const hitOut = await runDeno(hit, env);
  const debugOut = await runDeno(debug, env);
  const sides = await timeSides(
    [
      ["empty deno run", () => runDeno(["run", "--quiet", "--no-config", empty], env)],
      ["ext load, cache hit", () => runDeno(hit, env)],
      ["ext load, cache hit, --debug", () => runDeno(debug, env)],
    ],
    options.runs,
    log,
  );
  return {
    title: "Start-up of a cache hit",
    baseline: "empty deno run",
    sides,
    notes: [`with and without --debug, stdout is identical: ${hitOut === debugOut ? "yes" : "NO"}`],
  };
}

async function cold(
  work: string,
  options: LoadBenchOptions,
  log: (line: string) => void,
): Promise<SideGroup> {
  let reg: TestRegistry | undefined;
  try {
    reg = await startRegistry();
    const dir = join(work, "big-ext");
    await Deno.mkdir(join(dir, "docs"), { recursive: true });
    await Deno.writeTextFile(
      join(dir, "extension.yaml"),
      'extension:\n  name: bigext\n  version: "1.0.0"\n  type: cluster\n',
    );
    const total = Math.round(options.sizeMb * 1e6);
    const files = 4;
    for (let i = 0; i < files; i++) {
      await writeRandomFile(join(dir, "docs", `data-${i}.bin`), Math.ceil(total / files));
    }
    const pkg = await packageExtension(dir);
    const settings = { ...defaultSettings(work).oci, registry: reg.url, namespace: "bench" };
    using client = createRegistryClient(settings);
    try {
      await pushArtifact(client, "bigext:1.0.0", {
        config: pkg.config,
        layers: [pkg.layer],
        manifest: pkg.manifest.bytes,
      });
    } finally {
      await pkg.cleanup();
    }
    log(`pushed a ${options.sizeMb} MB extension (layer ${pkg.layer.size} bytes)`);
    const registry = reg;
    let n = 0;
    const fresh = () => join(work, `cold-${++n}`);
    const blobUrl = `${reg.url}/v2/bench/bigext/blobs/${pkg.layer.digest}`;
    const sides = await timeSides(
      [
        ["curl | tar -xz", async () => {
          const out = fresh();
          await Deno.mkdir(out);
          try {
            await run("bash", ["-c", `curl -sSf '${blobUrl}' | tar -xz -C '${out}'`]);
          } finally {
            await Deno.remove(out, { recursive: true });
          }
        }],
        ["ext load --source oci (empty cache)", async () => {
          const home = fresh();
          await Deno.mkdir(home);
          try {
            await runDeno(
              cliArgs(
                home,
                "--registry",
                registry.host,
                "--namespace",
                "bench",
                "ext",
                "load",
                "bigext",
                "--version",
                "1.0.0",
                "--source",
                "oci",
              ),
              { HOME: home, NO_COLOR: "1" },
            );
          } finally {
            await Deno.remove(home, { recursive: true });
          }
        }],
        ["skopeo copy → oci: dir (no unpacking)", async () => {
          await skopeoCopyToLayout(`${registry.host}/bench/bigext:1.0.0`, fresh());
        }],
      ],
      options.coldRuns,
      log,
    );
    return {
      title: `Cold load of a ${options.sizeMb} MB extension (layer ${
        (pkg.layer.size / 1e6).toFixed(1)
      } MB)`,
      baseline: "curl | tar -xz",
      sides,
      notes: [],
    };
  } finally {
    await reg?.stop();
  }
}

async function many(
  work: string,
  options: LoadBenchOptions,
  log: (line: string) => void,
): Promise<SideGroup> {
  const home = join(work, "many-home");
  const root = join(home, ".provisioning", "cache");
  const perName = 10;
  // The benchext entry first: it makes the cache root and the record layout the others copy.
  await seedEntry(root, "benchext", "1.0.0", "localhost:5000");
  const pulledAt = new Date().toISOString();
  for (let i = 0; i < options.entries; i++) {
    const name = `ext-${Math.floor(i / perName)}`;
    const version = `1.${i % perName}.0`;
    const parent = join(root, "extensions", "taskserv", name);
    await Deno.mkdir(join(parent, version), { recursive: true });
    await Deno.writeTextFile(
      join(parent, version, "extension.yaml"),
      `extension:\n  name: ${name}\n  version: "${version}"\n  type: taskserv\n`,
    );
    // The record an OCI pull leaves beside the entry (`.VERSION.entry.json`).
    const record = {
      type: "taskserv",
      name,
      version,
      source: "oci",
      digest: `sha256:${i.toString(16).padStart(64, "0")}`,
      registry: "localhost:5000",
      repository: `provisioning-extensions/${name}`,
      tag: version,
      size: 64,
      files: 1,
      pulledAt,
      lastUsedAt: pulledAt,
    };
    await Deno.writeTextFile(join(parent, `.${version}.entry.json`), JSON.stringify(record));
  }
  await rebuildIndex(root);
  log(`built a cache of ${options.entries + 1} entries`);
  const env = { HOME: home, NO_COLOR: "1" };
  const inProcess = (fn: () => Promise<unknown>) => async () => void (await fn());
  const empty = join(work, "empty-many.ts");
  await Deno.writeTextFile(empty, "");
  const sides = await timeSides(
    [
      ["empty deno run", () => runDeno(["run", "--quiet", "--no-config", empty], env)],
      [
        "ext cache list --format json",
        () => runDeno(cliArgs(home, "ext", "cache", "list", "--format", "json"), env),
      ],
      ["ext cache stats", () => runDeno(cliArgs(home, "ext", "cache", "stats"), env)],
      [
        "ext load, cache hit",
        () => runDeno(cliArgs(home, "ext", "load", "benchext", "--version", "1.0.0"), env),
      ],
      [
        "listCached() in process",
        inProcess(() => listCached(root)),
      ],
      [
        "getFromCache() in process",
        inProcess(() => getFromCache(root, "taskserv", "ext-500", "1.5.0")),
      ],
      [
        "findBestCached() in process",
        inProcess(() => findBestCached(root, undefined, "ext-500", (v) => v.at(-1))),
      ],
    ],
    options.runs,
    log,
  );
  return {
    title: `A cache of ${options.entries + 1} entries`,
    baseline: "empty deno run",
    sides,
    notes: [],
  };
}

/** Deno's own cache, so a fresh `HOME` does not mean a cold module cache. */
function denoDir(): string {
  const home = Deno.env.get("HOME") ?? "/";
  return Deno.env.get("DENO_DIR") ??
    join(Deno.env.get("XDG_CACHE_HOME") ?? join(home, ".cache"), "deno");
}

/** Runs `deno ARGS` with only `env`, `PATH` and `DENO_DIR`; returns stdout. */
async function runDeno(args: string[], env: Record<string, string>): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    env: { PATH: Deno.env.get("PATH") ?? "", DENO_DIR: denoDir(), ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`deno ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

async function run(command: string, args: string[]): Promise<void> {
  await runOutput(command, args, false);
}

/** One warm-up of each side, then `runs` rounds in a rotating order; medians. */
async function timeSides(
  sides: [string, () => Promise<unknown>][],
  runs: number,
  log: (line: string) => void,
): Promise<Side[]> {
  for (const [, fn] of sides) await fn();
  const times = sides.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < sides.length; k++) {
      const index = (round + k) % sides.length;
      const start = performance.now();
      await sides[index]![1]();
      times[index]!.push(performance.now() - start);
    }
  }
  return sides.map(([name], i) => {
    const sorted = [...times[i]!].sort((a, b) => a - b);
    const side = { name, medianMs: sorted[Math.floor(sorted.length / 2)]!, runsMs: times[i]! };
    log(`${name}: median ${side.medianMs.toFixed(1)} ms`);
    return side;
  });
}

/**
 * The report: per group, each side's median and its ratio to the group's baseline.
 *
 * @param groups What {@linkcode runBench} returned.
 * @returns Printable lines.
 */
export function formatReport(groups: readonly SideGroup[]): string {
  const lines: string[] = [];
  for (const group of groups) {
    const base = group.sides.find((s) => s.name === group.baseline)?.medianMs ?? NaN;
    lines.push(`## ${group.title}`, "");
    lines.push(`| Side | Median | Ratio to ${cell(group.baseline)} |`, "| --- | --- | --- |");
    for (const side of group.sides) {
      const ratio = (side.medianMs / base).toFixed(2);
      lines.push(`| ${cell(side.name)} | ${side.medianMs.toFixed(1)} ms | ${ratio}× |`);
    }
    for (const note of group.notes) lines.push("", note);
    lines.push("");
  }
  return lines.join("\n");
}

/** A Markdown table cell: pipes escaped. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

if (import.meta.main) {
  const arg = (name: string, fallback: string) => {
    const i = Deno.args.indexOf(`--${name}`);
    return i >= 0 && Deno.args[i + 1] !== undefined ? Deno.args[i + 1]! : fallback;
  };
  const options: LoadBenchOptions = {
    runs: Number(arg("runs", "15")),
    coldRuns: Number(arg("cold-runs", "3")),
    sizeMb: Number(arg("size-mb", "100")),
    entries: Number(arg("entries", "10000")),
    only: arg("only", "startup,cold,many").split(",") as LoadBenchOptions["only"],
    log: (line) => console.error(line),
  };
  const load = () => Deno.readTextFile("/proc/loadavg").catch(() => "?").then((t) => t.trim());
  const before = await load();
  const groups = await runBench(options);
  console.log(formatReport(groups));
  console.log(`load average: ${before} → ${await load()}`);
}
