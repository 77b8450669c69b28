/**
 * Child process of `bench_oci.ts`, so each memory figure belongs to one transfer: pulls a
 * blob with {@linkcode fetchBlob} (sha256 and size checked as bytes flow) into `/dev/null`,
 * or pushes a file with {@linkcode pushBlob} at a given `chunk_size`, and prints JSON: RSS
 * before the transfer, the highest RSS sampled every 5 ms during it, and the kernel's
 * `VmHWM` (peak RSS of the whole process) at the end.
 *
 * Usage (reading `/proc/self/status` needs every permission in Deno 2):
 * - `deno run -A scripts/_bench_oci_child.ts pull REGISTRY_URL REPOSITORY DIGEST SIZE`
 * - `deno run -A scripts/_bench_oci_child.ts push REGISTRY_URL REPOSITORY DIGEST SIZE FILE
 *   CHUNK_SIZE`
 *
 * @module
 */

import { defaultSettings } from "../src/config/defaults.ts";
import {
  createRegistryClient,
  fetchBlob,
  MEDIA_TYPE_LAYER_TAR,
  pushBlob,
  splitRegistrySetting,
} from "../src/oci/mod.ts";

/** Time and memory of one transfer (bytes, ms). */
export interface TransferMemory {
  /** `pull` or `push`. */
  mode: "pull" | "push";
  /** `chunk_size` used (push only; 0 = one streamed PUT). */
  chunkSize: number;
  /** Blob size. */
  bytes: number;
  /** Wall time of the transfer. */
  ms: number;
  /** RSS before the transfer (runtime and modules). */
  baselineRss: number;
  /** Highest RSS sampled during the transfer. */
  peakRssSampled: number;
  /** `VmHWM` at the end: the peak RSS over the child's whole life. */
  vmHwm: number;
}

/** What the child transfers. */
export interface TransferTask {
  /** `pull` or `push`. */
  mode: "pull" | "push";
  /** `http://host:port`. */
  registryUrl: string;
  /** Repository to pull from or push to. */
  repository: string;
  /** Blob digest. */
  digest: string;
  /** Blob size. */
  size: number;
  /** File holding the blob (push). */
  file?: string;
  /** `chunk_size` (push). */
  chunkSize?: number;
}

/**
 * Runs one transfer while sampling RSS.
 *
 * @param task What to transfer.
 * @returns Time and memory figures.
 */
export async function measureTransfer(task: TransferTask): Promise<TransferMemory> {
  const chunkSize = task.chunkSize ?? 0;
  using client = createRegistryClient({
    ...defaultSettings("/nonexistent").oci,
    registry: task.registryUrl,
    chunk_size: chunkSize,
  });
  const location = {
    registry: splitRegistrySetting(task.registryUrl).host,
    repository: task.repository,
  };
  const baselineRss = Deno.memoryUsage().rss;
  let peakRssSampled = baselineRss;
  const timer = setInterval(() => {
    peakRssSampled = Math.max(peakRssSampled, Deno.memoryUsage().rss);
  }, 5);
  const start = performance.now();
  try {
    if (task.mode === "pull") {
      const sink = await Deno.open("/dev/null", { write: true });
      const blob = await fetchBlob(client, location, { digest: task.digest, size: task.size });
      await blob.pipeTo(sink.writable);
    } else {
      const file = task.file;
      if (file === undefined) throw new Error("push needs a file");
      const result = await pushBlob(client, location, {
        digest: task.digest,
        size: task.size,
        mediaType: MEDIA_TYPE_LAYER_TAR,
        open: async () => (await Deno.open(file)).readable,
      });
      if (result.outcome !== "uploaded") throw new Error(`push was ${result.outcome}`);
    }
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - start;
  peakRssSampled = Math.max(peakRssSampled, Deno.memoryUsage().rss);
  const status = await Deno.readTextFile("/proc/self/status");
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  return {
    mode: task.mode,
    chunkSize,
    bytes: task.size,
    ms,
    baselineRss,
    peakRssSampled,
    vmHwm: hwm === undefined ? Number.NaN : Number(hwm) * 1024,
  };
}

if (import.meta.main) {
  const [mode, registryUrl, repository, digest, size, file, chunkSize] = Deno.args;
  if (
    (mode !== "pull" && mode !== "push") || registryUrl === undefined ||
    repository === undefined || digest === undefined || size === undefined
  ) {
    throw new Error("usage: _bench_oci_child.ts pull|push URL REPOSITORY DIGEST SIZE [FILE CHUNK]");
  }
  const task: TransferTask = { mode, registryUrl, repository, digest, size: Number(size) };
  if (file !== undefined) task.file = file;
  if (chunkSize !== undefined) task.chunkSize = Number(chunkSize);
  console.log(JSON.stringify(await measureTransfer(task)));
}
