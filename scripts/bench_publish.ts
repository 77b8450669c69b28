/**
 * Benchmark: publishing a ~100 MB extension of random (incompressible) files with
 * {@linkcode publishExtension} against curl uploading the same layer bytes to the same
 * loopback registry (`docker-registry`, started by the test harness), in one run.
 *
 * Sides, each into a fresh repository so every blob is really uploaded:
 * - `publishExtension`: validate, package (tar+gzip), check tags, push config, layer and
 *   manifest, with the default `[oci] chunk_size` (0: one streamed PUT);
 * - `packageExtension` alone: the packaging share of the above;
 * - `pushArtifact` of the package alone: the push share, in one streamed PUT (the default) and
 *   in 8 MiB PATCH chunks;
 * - `curl POST + PUT`: one monolithic upload of the published layer's bytes (POST for a
 *   session, PUT `-T file &digest=`), the floor for moving these bytes;
 * - `tar -cz + curl`: what a shell script would do end to end (reproducible GNU tar piped
 *   through gzip -6, then the same curl upload).
 *
 * One warm-up round, then `--runs` rounds in a rotating order; medians and ratios are
 * reported. Packaging against `tar -cz` alone is `scripts/bench_pack.ts`.
 *
 * Usage: `deno run -A scripts/bench_publish.ts [--size-mb 100] [--runs 3] [--json]`
 *
 * @module
 */

import { defaultSettings } from "../src/config/defaults.ts";
import { createRegistryClient, pushArtifact } from "../src/oci/mod.ts";
import { packageExtension, publishExtension } from "../src/publish/mod.ts";
import { startRegistry, type TestRegistry } from "../tests/harness/registry.ts";
import { curlUpload, flag, runOutput, timeRotating, xorshift } from "./_bench_util.ts";

/** Options of {@linkcode runBench}. */
export interface BenchOptions {
  /** Approximate extension size in MB (10^6 bytes). */
  sizeMb: number;
  /** Timed rounds (after one warm-up). */
  runs: number;
  /** Called with one line per finished step. */
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
}

/** The result of {@linkcode runBench}. */
export interface BenchResult {
  /** Bytes of file content in the extension. */
  treeBytes: number;
  /** Bytes of the compressed layer. */
  layerBytes: number;
  /** publish, package, push (one PUT), push (8 MiB chunks), curl, tar + curl. */
  sides: BenchSide[];
  /** publish median / curl median (the ratio). */
  publishVsCurl: number;
  /** push (one PUT, the default) median / curl median. */
  pushVsCurl: number;
  /** push (8 MiB chunks) median / curl median. */
  pushChunkedVsCurl: number;
  /** package median / publish median: the share of packaging in a publish. */
  packageShare: number;
  /** publish median / (tar -cz + curl) median: end to end against a shell script. */
  publishVsTarCurl: number;
}

/**
 * Starts a registry, generates the extension, times every side, cleans everything up.
 *
 * @param options Size and rounds.
 * @returns Medians and ratios.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => {});
  const work = await Deno.makeTempDir({ prefix: "bench-publish-" });
  let reg: TestRegistry | undefined;
  try {
    reg = await startRegistry();
    const registry = reg;
    const dir = `${work}/bench-ext`;
    const treeBytes = await generateTree(dir, options.sizeMb * 1e6);
    log(`generated ${(treeBytes / 1e6).toFixed(1)} MB in ${dir}`);

    // The layer bytes curl uploads: exactly what publishExtension pushes.
    const layerPath = `${work}/layer.tar.gz`;
    const pkg = await packageExtension(dir, { tmpDir: work });
    await Deno.copyFile(pkg.layer.path, layerPath);
    const layer = { digest: pkg.layer.digest, size: pkg.layer.size };

    const oci = { ...defaultSettings(work).oci, registry: registry.url };
    let repoCount = 0;
    const freshNamespace = () => `bench-${++repoCount}`;
    const publish = async (settings: typeof oci) => {
      const result = await publishExtension(dir, {
        config: { settings: { oci: settings } },
        namespace: freshNamespace(),
        tmpDir: work,
      });
      if (result.layer.outcome !== "uploaded") throw new Error(`layer was ${result.layer.outcome}`);
    };
    const push = async (settings: typeof oci) => {
      using client = createRegistryClient({ ...settings, namespace: freshNamespace() });
      const result = await pushArtifact(client, "bench-ext:1.0.0", {
        config: pkg.config,
        layers: [pkg.layer],
        manifest: pkg.manifest.bytes,
      });
      if (result.blobs[1]?.outcome !== "uploaded") throw new Error("layer was not uploaded");
    };
    const sides: [string, () => Promise<void>][] = [
      ["publishExtension", () => publish(oci)],
      ["packageExtension only", async () => {
        const packaged = await packageExtension(dir, { tmpDir: work });
        await packaged.cleanup();
      }],
      ["pushArtifact (one PUT)", () => push(oci)],
      ["pushArtifact (8 MiB chunks)", () => push({ ...oci, chunk_size: 8 * 1024 * 1024 })],
      [
        "curl POST + PUT (layer)",
        () => curlUpload(registry, `${freshNamespace()}/bench-ext`, layerPath, layer.digest),
      ],
      ["tar -cz + curl", async () => {
        const tarPath = `${work}/tar.tar.gz`;
        await runOutput("tar", [
          "--sort=name",
          "--mtime=@0",
          "--owner=0",
          "--group=0",
          "--numeric-owner",
          "-czf",
          tarPath,
          "-C",
          work,
          "bench-ext",
        ]);
        const digest = await sha256File(tarPath);
        await curlUpload(registry, `${freshNamespace()}/bench-ext`, tarPath, digest);
        await Deno.remove(tarPath);
      }],
    ];
    const timed = await timeRotating(sides, options.runs, log);
    const [published, pack, push0, push8, curl, tarCurl] = timed.map((s) => s.medianMs) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    await pkg.cleanup();
    return {
      treeBytes,
      layerBytes: layer.size,
      sides: timed,
      publishVsCurl: published / curl,
      pushVsCurl: push0 / curl,
      pushChunkedVsCurl: push8 / curl,
      packageShare: pack / published,
      publishVsTarCurl: published / tarCurl,
    };
  } finally {
    await reg?.stop();
    await Deno.remove(work, { recursive: true });
  }
}

/** Writes an extension of 1 MB random files (seeded) plus `extension.yaml`; returns bytes. */
async function generateTree(root: string, target: number): Promise<number> {
  const fileSize = 1_000_000;
  const count = Math.max(1, Math.round(target / fileSize));
  await Deno.mkdir(root, { recursive: true });
  await Deno.writeTextFile(
    `${root}/extension.yaml`,
    "extension:\n  name: bench-ext\n  version: 1.0.0\n  type: taskserv\n",
  );
  const random = xorshift(42);
  const data = new Uint8Array(fileSize);
  const view = new DataView(data.buffer);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j + 4 <= fileSize; j += 4) view.setUint32(j, random());
    const folder = `${root}/data-${String(i % 10).padStart(2, "0")}`;
    await Deno.mkdir(folder, { recursive: true });
    await Deno.writeFile(`${folder}/blob-${String(i).padStart(4, "0")}.bin`, data);
  }
  return count * fileSize;
}

/** sha256 of a file as `sha256:<hex>`, streamed. */
async function sha256File(path: string): Promise<string> {
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256");
  for await (const chunk of (await Deno.open(path)).readable) hash.update(chunk);
  return `sha256:${hash.digest("hex")}`;
}

if (import.meta.main) {
  const options: BenchOptions = {
    sizeMb: flag(Deno.args, "size-mb", 100),
    runs: flag(Deno.args, "runs", 3),
    log: (line) => console.error(line),
  };
  const result = await runBench(options);
  if (Deno.args.includes("--json")) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    const mb = result.treeBytes / 1e6;
    console.log(
      `extension: ${mb.toFixed(1)} MB of random files → layer ${
        (result.layerBytes / 1e6).toFixed(1)
      } MB; ${options.runs} runs each`,
    );
    for (const side of result.sides) {
      console.log(
        `${side.name.padEnd(32)} median ${side.medianMs.toFixed(0).padStart(6)} ms ` +
          `(${(result.layerBytes / 1e3 / side.medianMs).toFixed(0)} MB/s; runs ${
            side.runsMs.map((ms) => ms.toFixed(0)).join(", ")
          } ms)`,
      );
    }
    const ratio = (value: number) => `${value.toFixed(2)}×`;
    console.log(`ratio publishExtension / curl PUT: ${ratio(result.publishVsCurl)}`);
    console.log(
      `ratio pushArtifact / curl PUT: ${ratio(result.pushVsCurl)} (one PUT), ` +
        `${ratio(result.pushChunkedVsCurl)} (8 MiB chunks)`,
    );
    console.log(`packaging share of publishExtension: ${(result.packageShare * 100).toFixed(0)}%`);
    console.log(`ratio publishExtension / (tar -cz + curl): ${ratio(result.publishVsTarCurl)}`);
  }
}
