/**
 * Benchmark: discovery of 200 repositories on a loopback `docker-registry`, and search over
 * 10,000 cached discovery entries.
 *
 * 1. Starts the harness registry and pushes 200 tiny extensions (config blob, one layer).
 * 2. Times {@linkcode discoverOciExtensions} — catalog, then per repository tags, manifest
 *    and config blob — at concurrency 1 (sequential) and 8 (the default), alternating, after
 *    one warm-up each; also 4 and 16 once each for the curve.
 * 3. Times a plain curl loop over the same endpoints (one `curl` per request, sequential,
 *    JSON picked apart with `jq`), the way a shell script would do it.
 * 3b. Records the CPU time the client process and the registry spent during one sequential
 *    and one concurrent discovery (loopback work is CPU-bound, so cores cap the speed-up),
 *    and repeats both through a proxy adding `--latency-ms` (default 5) before each request,
 *    as a registry across a network would.
 * 4. Writes a discovery cache file of 10,000 entries and times `rankExtensions` over them
 *    in-process and `searchExtensions` end to end (read + parse the cache file, mark cached
 *    versions, rank).
 *
 * Usage: `deno run --allow-all scripts/bench_discovery.ts [--repos 200] [--runs 5]
 * [--entries 10000] [--latency-ms 5] [--search-only]`
 *
 * @module
 */

import { join } from "node:path";
import process from "node:process";
import { loadConfig } from "../src/config/mod.ts";
import {
  type DiscoveredExtension,
  discoverOciExtensions,
  discoveryCachePath,
  rankExtensions,
  searchExtensions,
  writeDiscoveryCache,
} from "../src/discovery/mod.ts";
import { createRegistryClient } from "../src/oci/mod.ts";
import { type FixtureExtension, inParallel, pushExtension } from "../tests/discovery/_fixtures.ts";
import { flag, median, xorshift } from "./_bench_util.ts";

/** Options of {@linkcode runBench}. */
export interface BenchOptions {
  /** Repositories to discover. */
  repos: number;
  /** Timed runs per side. */
  runs: number;
  /** Entries in the search benchmark. */
  searchEntries: number;
  /** Latency the proxy adds before each request, in ms. */
  latencyMs: number;
}

/** The result of {@linkcode runBench}. */
export interface BenchResult {
  repos: number;
  /** Median ms of a discovery at each concurrency. */
  discoveryMs: Record<number, number>;
  /** Every timed run at concurrency 1 and 8. */
  runs: { sequential: number[]; concurrent: number[] };
  /** Median ms of the curl loop. */
  curlMs: number;
  /** CPU seconds (client process, registry process) during one discovery at 1 and 8. */
  cpu: Record<number, { wallMs: number; clientMs: number; registryMs: number }>;
  /** Through the latency proxy: added ms per request, and the discovery ms at 1 and 8. */
  latency: { addedMs: number; sequentialMs: number; concurrentMs: number };
  /** Requests one discovery sends (catalog pages + 3 per repository). */
  requests: number;
  /** Median ms of `rankExtensions` over the entries, per query. */
  rankMs: Record<string, number>;
  /** Median ms of `searchExtensions` through the discovery cache file. */
  searchMs: number;
  /** Bytes of the discovery cache file. */
  cacheFileBytes: number;
}

const QUERIES = ["kube", "kubernets", "network storage", "zzzz"];

/**
 * Starts the registry, runs every measurement and stops it again.
 *
 * @param options Repository count, runs, search entries.
 * @returns The timings.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const work = await Deno.makeTempDir({ prefix: "bench-discovery-" });
  const reg = await startQuietRegistry(work);
  try {
    const namespace = "bench";
    const settings = {
      registry: reg.host,
      namespace,
      auth_token_path: undefined,
      insecure: false,
      timeout: 30,
      retry_count: 0,
      ca_file: undefined,
      chunk_size: 8 * 1024 * 1024,
    };
    const noCredentials = { get: () => Promise.resolve(undefined) };
    using client = createRegistryClient(settings, { credentials: noCredentials });
    await inParallel(fixtures(options.repos), 16, (ext) => pushExtension(client, namespace, ext));

    let requests = 0;
    const counting = createRegistryClient(settings, {
      credentials: noCredentials,
      fetch: (input, init) => {
        requests++;
        return fetch(input, init);
      },
    });
    const discover = async (concurrency: number) => {
      const started = performance.now();
      const result = await discoverOciExtensions(counting, { concurrency });
      const ms = performance.now() - started;
      if (result.extensions.length !== options.repos) {
        throw new Error(`discovered ${result.extensions.length} of ${options.repos}`);
      }
      return ms;
    };
    await discover(1);
    await discover(8);
    requests = 0;
    await discover(8);
    const perDiscovery = requests;
    const sequential: number[] = [];
    const concurrent: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      sequential.push(await discover(1));
      concurrent.push(await discover(8));
    }
    const discoveryMs: Record<number, number> = {
      1: median(sequential),
      4: await discover(4),
      8: median(concurrent),
      16: await discover(16),
    };
    const cpu: BenchResult["cpu"] = {};
    for (const concurrency of [1, 8]) {
      const client0 = process.cpuUsage();
      const registry0 = processCpuMs(reg.pid);
      const wallMs = await discover(concurrency);
      const client1 = process.cpuUsage(client0);
      cpu[concurrency] = {
        wallMs,
        clientMs: (client1.user + client1.system) / 1000,
        registryMs: processCpuMs(reg.pid) - registry0,
      };
    }
    counting.close();

    const latency = await throughLatencyProxy(reg.host, settings, options);

    await curlLoop(reg.url, namespace);
    const curlRuns: number[] = [];
    for (let i = 0; i < Math.min(options.runs, 2); i++) {
      curlRuns.push(await curlLoop(reg.url, namespace));
    }

    const search = await benchSearch(work, options.searchEntries, options.runs);
    return {
      repos: options.repos,
      discoveryMs,
      runs: { sequential, concurrent },
      curlMs: median(curlRuns),
      cpu,
      latency,
      requests: perDiscovery,
      ...search,
    };
  } finally {
    await reg.stop();
    await Deno.remove(work, { recursive: true });
  }
}

/** A `docker-registry` of our own (see {@linkcode startQuietRegistry}). */
interface BenchRegistry {
  host: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `docker-registry` on 127.0.0.1 with the Debian package's default storage settings
 * (in-memory blob descriptor cache) and the access log off, and reads its port from the log;
 * afterwards its output is drained without being kept. (The test harness keeps the whole log and matches a
 * regular expression against it on every chunk, which costs this process milliseconds of
 * CPU per request once the log holds thousands of lines — it would skew the client side.)
 */
async function startQuietRegistry(work: string): Promise<BenchRegistry> {
  const config = {
    version: 0.1,
    log: { level: "info", accesslog: { disabled: true } },
    storage: {
      cache: { blobdescriptor: "inmemory" },
      filesystem: { rootdirectory: join(work, "data") },
      delete: { enabled: true },
    },
    http: { addr: "127.0.0.1:0", secret: crypto.randomUUID() },
  };
  const configPath = join(work, "registry.json");
  await Deno.writeTextFile(configPath, JSON.stringify(config));
  const child = new Deno.Command("docker-registry", {
    args: ["serve", configPath],
    clearEnv: true,
    env: {},
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const listening = Promise.withResolvers<string>();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    let head = "";
    let found = false;
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      if (found) continue;
      head += text;
      const match = /listening on (127\.0\.0\.1:\d+)/.exec(head);
      if (match !== null) {
        found = true;
        head = "";
        listening.resolve(match[1]!);
      }
    }
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  child.status.then(() => listening.reject(new Error("docker-registry exited")));
  const host = await listening.promise;
  return {
    host,
    url: `http://${host}`,
    pid: child.pid,
    stop: async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already gone.
      }
      await child.status;
      await drained;
    },
  };
}

/** CPU time of a process so far (utime + stime from `/proc`), in ms; 0 when unknown. */
function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]!.split(" ");
    // Fields 14 and 15 of stat (utime, stime) in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * Discovery at concurrency 1 and 8 through a proxy that waits `latencyMs` before forwarding
 * each request, like a registry one network hop away.
 */
async function throughLatencyProxy(
  upstream: string,
  settings: Parameters<typeof createRegistryClient>[0],
  options: BenchOptions,
): Promise<BenchResult["latency"]> {
  const listening = Promise.withResolvers<number>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ port }) => listening.resolve(port),
  }, async (request) => {
    await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const url = new URL(request.url);
    return await fetch(`http://${upstream}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
    });
  });
  const port = await listening.promise;
  const client = createRegistryClient({ ...settings, registry: `127.0.0.1:${port}` }, {
    credentials: { get: () => Promise.resolve(undefined) },
  });
  try {
    const time = async (concurrency: number) => {
      const started = performance.now();
      const result = await discoverOciExtensions(client, { concurrency });
      if (result.extensions.length !== options.repos) throw new Error("proxy lost repositories");
      return performance.now() - started;
    };
    await time(8);
    const sequentialMs = await time(1);
    const concurrentMs = median([await time(8), await time(8), await time(8)]);
    return { addedMs: options.latencyMs, sequentialMs, concurrentMs };
  } finally {
    client.close();
    await server.shutdown();
  }
}

/** The same endpoints as discovery, one `curl` process per request, sequential. */
async function curlLoop(url: string, namespace: string): Promise<number> {
  const script = `
set -eu
base="$1"; ns="$2"
accept='application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json'
next="/v2/_catalog?n=100"
repos=""
while [ -n "$next" ]; do
  page=$(curl -sS -D /tmp/bench-discovery-headers.$$ "$base$next")
  names=$(printf '%s' "$page" | jq -r '.repositories[]? // empty')
  [ -z "$names" ] && break
  repos="$repos $names"
  next=$(grep -i '^link:' /tmp/bench-discovery-headers.$$ | sed -E 's/.*<([^>]*)>.*/\\1/' | tr -d '\\r' || true)
done
rm -f /tmp/bench-discovery-headers.$$
count=0
for repo in $repos; do
  case "$repo" in "$ns"/*) ;; *) continue ;; esac
  tag=$(curl -sS "$base/v2/$repo/tags/list" | jq -r '.tags[]' | sort -V | tail -n 1)
  config=$(curl -sS -H "Accept: $accept" "$base/v2/$repo/manifests/$tag" | jq -r '.config.digest')
  curl -sS -o /dev/null "$base/v2/$repo/blobs/$config"
  count=$((count + 1))
done
echo "$count"
`;
  const started = performance.now();
  const output = await new Deno.Command("bash", {
    args: ["-c", script, "bench", url, namespace],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - started;
  if (!output.success) throw new Error(new TextDecoder().decode(output.stderr));
  return ms;
}

/**
 * Only the search part: ranking and cached search over `count` entries.
 *
 * @param count Entries.
 * @param runs Timed runs (at least 5).
 * @returns The timings.
 */
export async function runSearchBench(
  count: number,
  runs: number,
): Promise<Pick<BenchResult, "rankMs" | "searchMs" | "cacheFileBytes">> {
  const work = await Deno.makeTempDir({ prefix: "bench-search-" });
  try {
    return await benchSearch(work, count, runs);
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

/** Writes a 10,000-entry discovery cache and times ranking and cached search. */
async function benchSearch(
  work: string,
  count: number,
  runs: number,
): Promise<Pick<BenchResult, "rankMs" | "searchMs" | "cacheFileBytes">> {
  const entries = syntheticEntries(count);
  const rankMs: Record<string, number> = {};
  for (const query of QUERIES) {
    rankExtensions(entries, query);
    const times: number[] = [];
    for (let i = 0; i < Math.max(runs, 5); i++) {
      const started = performance.now();
      rankExtensions(entries, query);
      times.push(performance.now() - started);
    }
    rankMs[query] = median(times);
  }

  const home = join(work, "home");
  await Deno.mkdir(join(home, "exts"), { recursive: true });
  const config = await loadConfig({
    cwd: home,
    home,
    env: {
      PROVISIONING_OCI_REGISTRY: "127.0.0.1:9",
      PROVISIONING_OCI_NAMESPACE: "bench",
      PROVISIONING_CACHE_DIR: join(home, "cache"),
      PROVISIONING_EXTENSIONS_PATH: join(home, "exts"),
    },
  });
  const key = JSON.stringify(["oci", "127.0.0.1:9", "bench", []]);
  const path = discoveryCachePath(config.settings.cache.dir, "oci", key);
  await writeDiscoveryCache(path, {
    format: 1,
    source: "oci",
    label: "127.0.0.1:9/bench",
    key,
    createdAt: new Date().toISOString(),
    extensions: entries,
  });
  const search = async () => {
    const started = performance.now();
    const { hits, discovery } = await searchExtensions("kube", { config, source: "oci" });
    if (discovery.sources[0]?.status !== "cached" || hits.length === 0) {
      throw new Error("search did not come from the discovery cache");
    }
    return performance.now() - started;
  };
  await search();
  const times: number[] = [];
  for (let i = 0; i < Math.max(runs, 5); i++) times.push(await search());
  return { rankMs, searchMs: median(times), cacheFileBytes: (await Deno.stat(path)).size };
}

/** 10,000 plausible entries: word-pair names, three types, one-line descriptions. */
function syntheticEntries(count: number): DiscoveredExtension[] {
  const words = [
    "kube",
    "net",
    "store",
    "cloud",
    "mesh",
    "proxy",
    "db",
    "cache",
    "log",
    "metric",
    "trace",
    "auth",
    "dns",
    "edge",
    "queue",
    "vault",
    "build",
    "gpu",
    "backup",
    "ingress",
  ];
  const types = ["provider", "taskserv", "cluster"] as const;
  const random = xorshift(7);
  return Array.from({ length: count }, (_, i) => {
    const a = words[random() % words.length]!;
    const b = words[random() % words.length]!;
    const name = `${a}-${b}-${i}`;
    return {
      name,
      type: types[i % 3]!,
      version: `1.${i % 40}.0`,
      versions: [`1.${i % 40}.0`, "1.0.0"],
      source: "oci" as const,
      description: `The ${a} ${b} extension for network storage and ${words[i % 20]} work`,
      author: null,
      license: "Apache-2.0",
      homepage: null,
      path: null,
      reference: `127.0.0.1:9/bench/${name}:1.${i % 40}.0`,
      digest: `sha256:${i.toString(16).padStart(64, "0")}`,
      size: 1000 + i,
      metadataFrom: "manifest" as const,
      cached: [],
    };
  });
}

function fixtures(count: number): FixtureExtension[] {
  const types = ["provider", "taskserv", "cluster"] as const;
  return Array.from({ length: count }, (_, i) => ({
    name: `ext-${String(i).padStart(3, "0")}`,
    type: types[i % 3]!,
    versions: ["1.0.0", "1.1.0"],
    description: `Benchmark extension ${i}`,
  }));
}

function printSearch(
  entries: number,
  r: Pick<BenchResult, "rankMs" | "searchMs" | "cacheFileBytes">,
): void {
  console.log(`search over ${entries} entries (median):`);
  for (const [query, value] of Object.entries(r.rankMs)) {
    console.log(`  rankExtensions "${query}"  ${value.toFixed(1)} ms`);
  }
  console.log(
    `  searchExtensions "kube" via the discovery cache (${
      (r.cacheFileBytes / 1e6).toFixed(1)
    } MB file)  ${r.searchMs.toFixed(1)} ms`,
  );
}

if (import.meta.main) {
  const options = {
    repos: flag(Deno.args, "repos", 200),
    runs: flag(Deno.args, "runs", 5),
    searchEntries: flag(Deno.args, "entries", 10_000),
    latencyMs: flag(Deno.args, "latency-ms", 5),
  };
  if (Deno.args.includes("--search-only")) {
    printSearch(options.searchEntries, await runSearchBench(options.searchEntries, options.runs));
  } else {
    const r = await runBench(options);
    const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
    console.log(
      `discovery of ${r.repos} repositories (${r.requests} requests each), median of ${options.runs}:`,
    );
    for (const [concurrency, value] of Object.entries(r.discoveryMs)) {
      const ratio = r.discoveryMs[1]! / value;
      console.log(`  concurrency ${concurrency.padStart(2)}  ${ms(value)}  ${ratio.toFixed(2)}×`);
    }
    console.log(`  curl loop       ${ms(r.curlMs)}  ${(r.discoveryMs[1]! / r.curlMs).toFixed(2)}×`);
    console.log(
      `  sequential runs ${r.runs.sequential.map((v) => v.toFixed(0)).join(", ")} ms; ` +
        `concurrent runs ${r.runs.concurrent.map((v) => v.toFixed(0)).join(", ")} ms`,
    );
    console.log(
      `concurrent (8) vs sequential: ${
        (r.discoveryMs[1]! / r.discoveryMs[8]!).toFixed(2)
      }× faster; vs curl loop: ${(r.curlMs / r.discoveryMs[8]!).toFixed(2)}× faster`,
    );
    for (const [concurrency, c] of Object.entries(r.cpu)) {
      console.log(
        `  CPU at concurrency ${concurrency}: wall ${c.wallMs.toFixed(0)} ms, client ${
          c.clientMs.toFixed(0)
        } ms, registry ${c.registryMs.toFixed(0)} ms (${
          ((c.clientMs + c.registryMs) / c.wallMs).toFixed(2)
        } cores busy)`,
      );
    }
    const l = r.latency;
    console.log(
      `through a proxy adding ${l.addedMs} ms per request: sequential ${
        l.sequentialMs.toFixed(0)
      } ms, concurrency 8 ${l.concurrentMs.toFixed(0)} ms → ${
        (l.sequentialMs / l.concurrentMs).toFixed(2)
      }× faster`,
    );
    printSearch(options.searchEntries, r);
  }
}
