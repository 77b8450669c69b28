/**
 * Benchmark: the OCI client against the real loopback registry (`docker-registry`, started by
 * the test harness), side by side in one run with independent clients:
 *
 * - pull of a random blob (default 100 MB): our `fetchBlob` with sha256 and size checked while
 *   bytes flow (bytes discarded, and written to a file), `curl -o /dev/null`, curl piped into
 *   `openssl dgst -sha256` (a verified download in a shell), and `skopeo copy docker://… oci:DIR`
 *   of an artifact holding the blob as its layer;
 * - push of the same blob: our `pushBlob` with several `chunk_size` values (`0` = one streamed
 *   PUT) against curl's POST + streamed PUT `&digest=`; every push goes to a fresh repository;
 * - peak RSS of a child `deno run` pulling a 1 GB blob, and pushing it at each `chunk_size`
 *   (sampled `Deno.memoryUsage().rss` and the kernel's `VmHWM`).
 *
 * Each side runs once to warm up, then `--runs` times, in a rotating order; medians are
 * reported with throughput and ratios. Temp files (the 1 GB one too) and the registry are
 * removed at the end, also on failure.
 *
 * Usage: `deno run -A scripts/bench_oci.ts [--runs 5] [--size-mb 100] [--big-mb 1000]
 * [--chunks-mib 8,64,0] [--json]`
 *
 * @module
 */

import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { defaultSettings } from "../src/config/defaults.ts";
import {
  createRegistryClient,
  fetchBlob,
  MEDIA_TYPE_LAYER_TAR,
  MEDIA_TYPE_OCI_EMPTY,
  pushArtifact,
  pushBlob,
  type RegistryClient,
  type RepositoryLocation,
} from "../src/oci/mod.ts";
import { startRegistry, type TestRegistry } from "../tests/harness/registry.ts";
import type { TransferMemory, TransferTask } from "./_bench_oci_child.ts";
import {
  curlUpload,
  runOutput,
  skopeoCopyToLayout,
  timeRotating,
  writeRandomFile,
} from "./_bench_util.ts";

/** Options of {@linkcode runBench}. */
export interface BenchOptions {
  /** Timed runs per side (after one warm-up). */
  runs: number;
  /** Size of the pull/push blob in MB (10^6 bytes). */
  sizeMb: number;
  /** Size of the RSS blob in MB (0 skips the RSS measurement). */
  bigMb: number;
  /** `chunk_size` values to push with, in MiB; 0 means one streamed PUT. */
  chunksMib: number[];
  /** Called with one line per finished step (progress on stderr). */
  log?: (line: string) => void;
}

/** One side's timings. */
export interface BenchSide {
  /** What was run. */
  name: string;
  /** Median wall time in milliseconds. */
  medianMs: number;
  /** Every timed run, in milliseconds. */
  runsMs: number[];
  /** Bytes moved per run. */
  bytes: number;
  /** `bytes / median`, in MB/s (10^6 bytes). */
  mbPerS: number;
}

/** The result of {@linkcode runBench}. */
export interface BenchResult {
  /** Pull sides; the first is ours (discarding), `curl` and `skopeo` follow. */
  pull: BenchSide[];
  /** Push sides: ours per chunk size, then curl. */
  push: BenchSide[];
  /** Memory of the big transfers (pull, then one push per chunk size), when measured. */
  memory: TransferMemory[];
  /** `/proc/loadavg` (1, 5, 15 min) at the start and the end: other load skews the numbers. */
  loadAverage: { start: string; end: string };
}

const CHILD = fileURLToPath(new URL("./_bench_oci_child.ts", import.meta.url));

/**
 * Starts a registry, generates the blobs, times every side and cleans everything up.
 *
 * @param options Runs, sizes and chunk sizes.
 * @returns Medians, throughput and RSS.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => {});
  const loadStart = await loadAverage();
  const work = await Deno.makeTempDir({ prefix: "bench-oci-" });
  let reg: TestRegistry | undefined;
  const clients: RegistryClient[] = [];
  try {
    reg = await startRegistry();
    const registry = reg;
    const clientWith = (chunkSize: number) => {
      const client = createRegistryClient({
        ...defaultSettings(work).oci,
        registry: registry.url,
        namespace: "bench",
        chunk_size: chunkSize,
      });
      clients.push(client);
      return client;
    };
    const client = clientWith(0);
    const size = Math.round(options.sizeMb * 1e6);
    const blobPath = `${work}/blob.bin`;
    const digest = await writeRandomFile(blobPath, size);
    log(`generated ${size} random bytes (${digest})`);
    const source = fileSource(blobPath, digest, size);
    const location: RepositoryLocation = { registry: reg.host, repository: "bench/pull" };
    await pushArtifact(client, "bench/pull:1.0.0", {
      config: bytesSource(new TextEncoder().encode("{}"), MEDIA_TYPE_OCI_EMPTY),
      layers: [source],
      artifactType: "application/vnd.provisioning.bench.v1",
    });
    log("pushed the pull artifact");

    const blobUrl = `${reg.url}/v2/bench/pull/blobs/${digest}`;
    const pullSides: [string, () => Promise<void>][] = [
      ["ours: fetchBlob, verified, discarded", async () => {
        const reader = (await fetchBlob(client, location, { digest, size })).getReader();
        while (!(await reader.read()).done) { /* discard */ }
      }],
      ["ours: fetchBlob, verified, to a file", async () => {
        const out = `${work}/pulled.bin`;
        const file = await Deno.open(out, { write: true, create: true, truncate: true });
        await (await fetchBlob(client, location, { digest, size })).pipeTo(file.writable);
        await Deno.remove(out);
      }],
      ["curl -o /dev/null", () => run("curl", ["-sSf", "-o", "/dev/null", blobUrl])],
      // What checking the digest costs a shell pipeline (OpenSSL's SHA-256, on another core).
      ["curl piped into openssl dgst -sha256", async () => {
        const out = await runOutput("sh", [
          "-c",
          `curl -sSf "$1" | openssl dgst -sha256 -r`,
          "sh",
          blobUrl,
        ]);
        if (!out.startsWith(digest.slice("sha256:".length))) throw new Error(`digest: ${out}`);
      }],
      ["skopeo copy → oci: dir", async () => {
        await skopeoCopyToLayout(`${registry.host}/bench/pull:1.0.0`, `${work}/skopeo-oci`);
      }],
    ];
    const pull = await timeSides(pullSides, size, options.runs, log);

    let pushCount = 0;
    const freshRepo = () => `bench/push-${++pushCount}`;
    const pushSides: [string, () => Promise<void>][] = options.chunksMib.map((mib) => {
      const pushClient = clientWith(Math.round(mib * 1024 * 1024));
      const name = mib === 0 ? "ours: one streamed PUT" : `ours: ${mib} MiB chunks (PATCH)`;
      return [name, async () => {
        const result = await pushBlob(
          pushClient,
          { registry: registry.host, repository: freshRepo() },
          source,
        );
        if (result.outcome !== "uploaded") throw new Error(`push was ${result.outcome}`);
      }];
    });
    pushSides.push(["curl: POST + PUT -T file", async () => {
      const repo = freshRepo();
      await curlUpload(registry, repo, blobPath, digest);
    }]);
    const push = await timeSides(pushSides, size, options.runs, log);

    const memory: TransferMemory[] = [];
    if (options.bigMb > 0) {
      const bigSize = Math.round(options.bigMb * 1e6);
      const bigPath = `${work}/big.bin`;
      const bigDigest = await writeRandomFile(bigPath, bigSize);
      const task = { registryUrl: registry.url, digest: bigDigest, size: bigSize };
      // The pull below reads the blob from the last push, so push at least once.
      for (const mib of options.chunksMib.length > 0 ? options.chunksMib : [0]) {
        const chunkSize = Math.round(mib * 1024 * 1024);
        const pushed = await inChild({
          ...task,
          mode: "push",
          repository: freshRepo(),
          file: bigPath,
          chunkSize,
        });
        memory.push(pushed);
        log(`push of ${bigSize} bytes, chunk_size ${chunkSize}: VmHWM ${mib1(pushed.vmHwm)}`);
      }
      const repository = `bench/push-${pushCount}`;
      await Deno.remove(bigPath);
      const pulled = await inChild({ ...task, mode: "pull", repository });
      memory.unshift(pulled);
      log(`pull of ${bigSize} bytes: VmHWM ${mib1(pulled.vmHwm)}`);
    }
    return { pull, push, memory, loadAverage: { start: loadStart, end: await loadAverage() } };
  } finally {
    for (const client of clients) client.close();
    await reg?.stop();
    await Deno.remove(work, { recursive: true });
  }
}

/** Times each side once to warm up, then `runs` times in a rotating order. */
async function timeSides(
  sides: [string, () => Promise<void>][],
  bytes: number,
  runs: number,
  log: (line: string) => void,
): Promise<BenchSide[]> {
  return (await timeRotating(sides, runs, log)).map(({ name, medianMs, runsMs }) => ({
    name,
    medianMs,
    runsMs,
    bytes,
    mbPerS: bytes / 1e3 / medianMs,
  }));
}

/** The 1, 5 and 15 minute load averages, or `?` where `/proc` is missing. */
async function loadAverage(): Promise<string> {
  try {
    return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  } catch {
    return "?";
  }
}

/** Runs one transfer in a child `deno run` and reads its JSON report. */
async function inChild(task: TransferTask): Promise<TransferMemory> {
  const args = [task.mode, task.registryUrl, task.repository, task.digest, String(task.size)];
  if (task.file !== undefined) args.push(task.file, String(task.chunkSize ?? 0));
  // Reading /proc/self/status needs every permission in Deno 2.
  const out = await runOutput(Deno.execPath(), ["run", "--quiet", "--allow-all", CHILD, ...args]);
  return JSON.parse(out) as TransferMemory;
}

const mib1 = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

function fileSource(path: string, digest: string, size: number) {
  return {
    digest,
    size,
    mediaType: MEDIA_TYPE_LAYER_TAR,
    open: async () => (await Deno.open(path)).readable,
  };
}

function bytesSource(bytes: Uint8Array, mediaType: string) {
  const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  return {
    digest,
    size: bytes.byteLength,
    mediaType,
    open: () => Promise.resolve(ReadableStream.from([bytes])),
  };
}

/** Runs a command with output discarded; throws with its stderr when it fails. */
async function run(command: string, args: string[]): Promise<void> {
  await runOutput(command, args, false);
}

/** Renders the result as Markdown tables with ratios to curl (and skopeo). */
export function formatReport(result: BenchResult): string {
  const lines: string[] = [];
  const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
  const pullCurl = result.pull.find((s) => s.name === "curl -o /dev/null");
  const pullSkopeo = result.pull.find((s) => s.name.startsWith("skopeo"));
  lines.push(
    `Pull of a ${mb(result.pull[0]?.bytes ?? 0)} blob (median):`,
    "",
    "| Side | Median | Throughput | × curl throughput | × skopeo throughput |",
    "| --- | --- | --- | --- | --- |",
  );
  for (const side of result.pull) {
    lines.push(
      `| ${side.name} | ${side.medianMs.toFixed(0)} ms | ${side.mbPerS.toFixed(0)} MB/s | ${
        ratio(side.mbPerS, pullCurl?.mbPerS)
      } | ${ratio(side.mbPerS, pullSkopeo?.mbPerS)} |`,
    );
  }
  const pushCurl = result.push.find((s) => s.name.startsWith("curl"));
  lines.push(
    "",
    `Push of a ${mb(result.push[0]?.bytes ?? 0)} blob (median):`,
    "",
    "| Side | Median | Throughput | time × curl |",
    "| --- | --- | --- | --- |",
  );
  for (const side of result.push) {
    lines.push(
      `| ${side.name} | ${side.medianMs.toFixed(0)} ms | ${side.mbPerS.toFixed(0)} MB/s | ${
        ratio(side.medianMs, pushCurl?.medianMs)
      } |`,
    );
  }
  if (result.memory.length > 0) {
    lines.push(
      "",
      "Memory of a child `deno run` per transfer of the big blob:",
      "",
      "| Transfer | Time | Throughput | RSS before | Peak RSS (sampled) | VmHWM |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const m of result.memory) {
      const what = m.mode === "pull"
        ? `pull ${mb(m.bytes)}, verified, to /dev/null`
        : `push ${mb(m.bytes)}, ${
          m.chunkSize === 0 ? "one streamed PUT" : `${m.chunkSize / 2 ** 20} MiB chunks`
        }`;
      lines.push(
        `| ${what} | ${(m.ms / 1000).toFixed(1)} s | ${(m.bytes / 1e3 / m.ms).toFixed(0)} MB/s | ${
          mib1(m.baselineRss)
        } | ${mib1(m.peakRssSampled)} | ${mib1(m.vmHwm)} |`,
      );
    }
  }
  lines.push(
    "",
    `Load average (1/5/15 min): ${result.loadAverage.start} at the start, ${result.loadAverage.end} at the end; ${navigator.hardwareConcurrency} CPUs.`,
  );
  return lines.join("\n") + "\n";
}

function ratio(value: number, base: number | undefined): string {
  return base === undefined || base === 0 ? "-" : `${(value / base).toFixed(2)}×`;
}

/** Reads `--name value` from the arguments. */
function flag(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? undefined : args[index + 1];
}

function numberFlag(args: string[], name: string, fallback: number, min = 1): number {
  const value = Number(flag(args, name));
  return Number.isFinite(value) && value >= min ? value : fallback;
}

if (import.meta.main) {
  const args = Deno.args;
  const options: BenchOptions = {
    runs: numberFlag(args, "runs", 5),
    sizeMb: numberFlag(args, "size-mb", 100),
    bigMb: numberFlag(args, "big-mb", 1000, 0),
    chunksMib: (flag(args, "chunks-mib") ?? "8,64,0").split(",").map(Number)
      .filter((n) => Number.isFinite(n) && n >= 0),
    log: (line) => console.error(line),
  };
  const result = await runBench(options);
  console.log(args.includes("--json") ? JSON.stringify(result, null, 2) : formatReport(result));
}
