/**
 * Helpers the `bench_*.ts` scripts share: the median of a run list, numeric command-line
 * flags, a seeded PRNG for reproducible trees, rotating timed runs, random files, seeded
 * cache entries and running a command. Private to the scripts.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { saveOciToCache } from "../src/cache/mod.ts";
import { packageExtension } from "../src/publish/mod.ts";
import type { TestRegistry } from "../tests/harness/registry.ts";

/**
 * The median of `values` (the mean of the two middle ones for an even count; 0 when empty).
 *
 * @param values Measurements, in any order (not modified).
 * @returns The median.
 */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[mid] ?? 0
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * A positive number given as `--NAME VALUE`, or `fallback` when absent or not positive.
 *
 * @param args The script's arguments.
 * @param name The flag without its dashes.
 * @param fallback The default.
 * @returns The value.
 */
export function flag(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(args[index + 1]);
  return value === undefined || !Number.isFinite(value) || value <= 0 ? fallback : value;
}

/**
 * A xorshift32 generator: the same seed gives the same sequence of unsigned 32-bit numbers.
 *
 * @param seed The seed (0 counts as 1).
 * @returns The next number on each call.
 */
export function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** One side's timings from {@linkcode timeRotating}. */
export interface RotatingTiming {
  /** The side's name. */
  name: string;
  /** Median of the timed runs, milliseconds. */
  medianMs: number;
  /** Every timed run, milliseconds, in run order. */
  runsMs: number[];
}

/**
 * Times each side `runs` times after one warm-up round, rotating which side goes first
 * each round so none always runs on a warmer machine; logs every run.
 *
 * @param sides Each side's name and work.
 * @param runs Timed rounds.
 * @param log Receives one line per run.
 * @returns Each side's median and runs, in the order of `sides`.
 */
export async function timeRotating(
  sides: [string, () => Promise<void>][],
  runs: number,
  log: (line: string) => void,
): Promise<RotatingTiming[]> {
  const times = sides.map(() => [] as number[]);
  for (let round = 0; round <= runs; round++) {
    for (let k = 0; k < sides.length; k++) {
      const index = (k + round) % sides.length;
      const [name, fn] = sides[index]!;
      const start = performance.now();
      await fn();
      const ms = performance.now() - start;
      if (round > 0) times[index]!.push(ms);
      log(`${round === 0 ? "warm-up" : `run ${round}`}: ${name} ${ms.toFixed(0)} ms`);
    }
  }
  return sides.map(([name], i) => ({ name, medianMs: median(times[i]!), runsMs: times[i]! }));
}

/**
 * Writes `size` random (incompressible) bytes to `path`, 1 MiB at a time.
 *
 * @param path The file (created or truncated).
 * @param size Bytes to write.
 * @returns The file's `sha256:…` digest.
 */
export async function writeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash("sha256");
  const buffer = new Uint8Array(1024 * 1024);
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    for (let offset = 0; offset < size; offset += buffer.byteLength) {
      const part = buffer.subarray(0, Math.min(buffer.byteLength, size - offset));
      for (let i = 0; i < part.byteLength; i += 65536) {
        crypto.getRandomValues(part.subarray(i, Math.min(i + 65536, part.byteLength)));
      }
      hash.update(part);
      let written = 0;
      while (written < part.byteLength) written += await file.write(part.subarray(written));
    }
  } finally {
    file.close();
  }
  return `sha256:${hash.digest("hex")}`;
}

/**
 * Puts a minimal provider `name@version` into the cache at `root`, as a pull from
 * `registry` would have left it.
 *
 * @param root The cache root.
 * @param name The extension name.
 * @param version The version.
 * @param registry The registry recorded in the entry.
 */
export async function seedEntry(
  root: string,
  name: string,
  version: string,
  registry: string,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      join(dir, "extension.yaml"),
      `extension:\n  name: ${name}\n  version: "${version}"\n  type: provider\n`,
    );
    const pkg = await packageExtension(dir);
    try {
      await saveOciToCache(root, { type: "provider", name, version }, {
        layer: pkg.layer,
        digest: pkg.manifest.digest,
        registry,
        // A cache entry answers only for its own origin: the default namespace's repository.
        repository: `provisioning-extensions/${name}`,
        tag: version,
      });
    } finally {
      await pkg.cleanup();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Runs `command` with stdin closed, failing with its stderr when it fails.
 *
 * @param command The program.
 * @param args Its arguments.
 * @param keep Whether to keep stdout (else it is discarded and `""` returned).
 * @returns Its stdout as text.
 * @throws {Error} When it exits with a non-zero code.
 */
export async function runOutput(command: string, args: string[], keep = true): Promise<string> {
  const result = await new Deno.Command(command, {
    args,
    stdin: "null",
    stdout: keep ? "piped" : "null",
    stderr: "piped",
  }).output();
  if (!result.success) {
    throw new Error(
      `${command} ${args.join(" ")} exited with ${result.code}: ${
        new TextDecoder().decode(result.stderr)
      }`,
    );
  }
  return keep ? new TextDecoder().decode(result.stdout) : "";
}

/**
 * A monolithic blob upload with curl: POST a session, PUT the file with `&digest=`.
 *
 * @param registry The registry.
 * @param repository The repository path.
 * @param path The file to upload.
 * @param digest Its `sha256:…` digest.
 */
export async function curlUpload(
  registry: TestRegistry,
  repository: string,
  path: string,
  digest: string,
): Promise<void> {
  const head = await runOutput("curl", [
    "-sSf",
    "-X",
    "POST",
    "-o",
    "/dev/null",
    "-D",
    "-",
    `${registry.url}/v2/${repository}/blobs/uploads/`,
  ]);
  const location = /^location:\s*(\S+)/im.exec(head)?.[1];
  if (location === undefined) throw new Error(`no Location in:\n${head}`);
  const put = new URL(location, registry.url);
  put.search += `${put.search === "" ? "?" : "&"}digest=${encodeURIComponent(digest)}`;
  await runOutput("curl", [
    "-sSf",
    "-o",
    "/dev/null",
    "-H",
    "Expect:",
    "-H",
    "Content-Type: application/octet-stream",
    "-T",
    path,
    put.href,
  ]);
}

/**
 * `skopeo copy --all` of a registry artifact into an `oci:` layout directory (the reference
 * side of the pull benchmarks), removing the directory afterwards.
 *
 * @param source `host:port/repository:tag` in the loopback registry (plain HTTP).
 * @param dir Layout directory to create and remove.
 */
export async function skopeoCopyToLayout(source: string, dir: string): Promise<void> {
  try {
    await runOutput("skopeo", [
      "copy",
      "--quiet",
      "--all",
      "--src-tls-verify=false",
      `docker://${source}`,
      `oci:${dir}:1.0.0`,
    ], false);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
