/**
 * Benchmark: packaging a ~100 MB extension with {@linkcode packageExtension} against
 * `tar -cz` (GNU tar piping through gzip -6) of the same tree, in one run, reported as a ratio.
 *
 * The tree is generated from a fixed seed: 400 files of 250 KB in 20 folders, three in four
 * text-like (compressible), one in four random bytes, plus an `extension.yaml`. Each side
 * runs `--runs` times, alternating, after one warm-up each; the report gives the median.
 *
 * Usage: `deno run --allow-all scripts/bench_pack.ts [--size-mb 100] [--runs 3]`
 *
 * @module
 */

import { packageExtension } from "../src/publish/mod.ts";
import { flag, median, xorshift } from "./_bench_util.ts";

/** Options of {@linkcode runBench}. */
export interface BenchOptions {
  /** Approximate tree size in MB (10^6 bytes). */
  sizeMb: number;
  /** Timed runs per side. */
  runs: number;
}

/** One side's timings. */
export interface BenchSide {
  /** Median wall time in milliseconds. */
  medianMs: number;
  /** Every run's wall time in milliseconds. */
  runsMs: number[];
  /** Size of the compressed output in bytes. */
  outputBytes: number;
}

/** The result of {@linkcode runBench}. */
export interface BenchResult {
  /** Bytes of file content in the tree. */
  treeBytes: number;
  /** Files in the tree. */
  files: number;
  /** `packageExtension`. */
  pack: BenchSide;
  /** `tar -cz`. */
  tar: BenchSide;
  /** pack median / tar median. */
  ratio: number;
}

/**
 * Generates the tree, times both sides and removes everything again.
 *
 * @param options Tree size and number of runs.
 * @returns Timings and the ratio.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const work = await Deno.makeTempDir({ prefix: "bench-pack-" });
  try {
    const root = `${work}/bench-ext`;
    const { bytes, files } = await generateTree(root, options.sizeMb * 1e6);
    await warmCache(root);
    const packRuns: number[] = [];
    const tarRuns: number[] = [];
    let packBytes = 0;
    let tarBytes = 0;
    for (let i = 0; i <= options.runs; i++) {
      const pack = await timePackage(root, work);
      const tar = await timeTar(root, work);
      if (i === 0) continue; // warm-up
      packRuns.push(pack.ms);
      tarRuns.push(tar.ms);
      packBytes = pack.bytes;
      tarBytes = tar.bytes;
    }
    const packSide = { medianMs: median(packRuns), runsMs: packRuns, outputBytes: packBytes };
    const tarSide = { medianMs: median(tarRuns), runsMs: tarRuns, outputBytes: tarBytes };
    return {
      treeBytes: bytes,
      files,
      pack: packSide,
      tar: tarSide,
      ratio: packSide.medianMs / tarSide.medianMs,
    };
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

/** Times one `packageExtension` of `root` (validation included), temp files under `work`. */
async function timePackage(root: string, work: string): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const pkg = await packageExtension(root, { tmpDir: work });
  const ms = performance.now() - start;
  await pkg.cleanup();
  return { ms, bytes: pkg.layer.size };
}

/** Times one reproducible `tar -cz` of `root` into `work`. */
async function timeTar(root: string, work: string): Promise<{ ms: number; bytes: number }> {
  const out = `${work}/tar.tar.gz`;
  const start = performance.now();
  const result = await new Deno.Command("tar", {
    args: [
      "--sort=name",
      "--mtime=@0",
      "--owner=0",
      "--group=0",
      "--numeric-owner",
      "-czf",
      out,
      "-C",
      root.slice(0, root.lastIndexOf("/")),
      root.slice(root.lastIndexOf("/") + 1),
    ],
    stderr: "inherit",
  }).output();
  const ms = performance.now() - start;
  if (!result.success) throw new Error(`tar exited with ${result.code}`);
  const bytes = (await Deno.stat(out)).size;
  await Deno.remove(out);
  return { ms, bytes };
}

/** Writes the benchmark tree; returns its content bytes and file count. */
async function generateTree(
  root: string,
  target: number,
): Promise<{ bytes: number; files: number }> {
  const fileSize = 250_000;
  const count = Math.max(1, Math.round(target / fileSize));
  await Deno.mkdir(root, { recursive: true });
  await Deno.writeTextFile(
    `${root}/extension.yaml`,
    "extension:\n  name: bench-ext\n  version: 1.0.0\n  type: taskserv\n",
  );
  const random = xorshift(42);
  const words = Array.from({ length: 512 }, (_, i) => `w${(i * 2654435761) % 99991}`);
  const encoder = new TextEncoder();
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const dir = `${root}/dir-${String(i % 20).padStart(2, "0")}`;
    await Deno.mkdir(dir, { recursive: true });
    const data = new Uint8Array(fileSize);
    if (i % 4 === 3) {
      for (let j = 0; j < fileSize; j += 4) {
        new DataView(data.buffer).setUint32(Math.min(j, fileSize - 4), random());
      }
    } else {
      let offset = 0;
      while (offset < fileSize) {
        const word = encoder.encode(
          `${words[random() % words.length]}${random() % 7 ? " " : "\n"}`,
        );
        data.set(word.subarray(0, fileSize - offset), offset);
        offset += word.length;
      }
    }
    await Deno.writeFile(`${dir}/file-${String(i).padStart(4, "0")}.dat`, data);
    bytes += fileSize;
  }
  return { bytes, files: count + 1 };
}

/** Reads every file once so both sides start from a warm page cache. */
async function warmCache(root: string): Promise<void> {
  for await (const entry of Deno.readDir(root)) {
    const path = `${root}/${entry.name}`;
    if (entry.isDirectory) await warmCache(path);
    else await Deno.readFile(path);
  }
}

if (import.meta.main) {
  const options = { sizeMb: flag(Deno.args, "size-mb", 100), runs: flag(Deno.args, "runs", 3) };
  const result = await runBench(options);
  const mb = result.treeBytes / 1e6;
  const line = (name: string, side: BenchSide) =>
    `${name.padEnd(18)} median ${side.medianMs.toFixed(0).padStart(6)} ms ` +
    `(${(mb / (side.medianMs / 1000)).toFixed(0)} MB/s; runs ${
      side.runsMs.map((ms) => ms.toFixed(0)).join(", ")
    } ms) → ${(side.outputBytes / 1e6).toFixed(2)} MB`;
  console.log(`tree: ${result.files} files, ${mb.toFixed(1)} MB; ${options.runs} runs each`);
  console.log(line("packageExtension", result.pack));
  console.log(line("tar -cz", result.tar));
  console.log(`ratio packageExtension / tar -cz: ${result.ratio.toFixed(2)}×`);
}
