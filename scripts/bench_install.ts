/**
 * Benchmark of `ext install` (printed, never asserted): a workspace needing one extension
 * that depends on 49 others (50 nodes) from the real loopback registry, in the launch users
 * get (the broad launch flags of `deno task ext`, the command in a scoped worker), side by
 * side in one run:
 *
 * - `ext install` from a cold cache (no lock), against 50 sequential `ext load NAME
 *   --version 1.0.0` from a cold cache;
 * - `ext install --locked` from a cold cache with the lock (CI on a fresh machine: the locked
 *   versions are fetched side by side), against the same loads;
 * - `ext install --locked` with a warm cache and the lock, against 50 sequential warm loads;
 * - an empty `deno run` as the start-up reference.
 *
 * Usage: `deno run -A scripts/bench_install.ts [--runs 3] [--nodes 50]`
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRegistryClient, pushArtifact } from "../src/oci/mod.ts";
import { BROAD_LAUNCH_FLAGS } from "../src/permissions/launch_flags.ts";
import { packageExtension } from "../src/publish/mod.ts";
import { startRegistry } from "../tests/harness/registry.ts";
import { flag, timeRotating } from "./_bench_util.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

if (import.meta.main) {
  const runs = flag(Deno.args, "--runs", 3);
  const nodes = flag(Deno.args, "--nodes", 50);
  const reg = await startRegistry();
  const work = await Deno.makeTempDir({ prefix: "bench-install-" });
  try {
    const namespace = "bench-install";
    const client = createRegistryClient({
      registry: reg.host,
      namespace,
      auth_token_path: undefined,
      insecure: false,
      timeout: 30,
      retry_count: 2,
      ca_file: undefined,
      chunk_size: 0,
    });
    const names = Array.from({ length: nodes }, (_, i) => `node${String(i).padStart(2, "0")}`);
    for (const [i, name] of names.entries()) {
      const dir = join(work, "src", name);
      await Deno.mkdir(join(dir, "kcl"), { recursive: true });
      const deps = i === 0 ? `dependencies: [${names.slice(1).join(", ")}]\n` : "";
      await Deno.writeTextFile(
        join(dir, "extension.yaml"),
        `extension:\n  name: ${name}\n  version: "1.0.0"\n  type: taskserv\n  description: ${name}\n${deps}`,
      );
      await Deno.writeTextFile(join(dir, "kcl", "main.k"), `schema ${name}:\n  x: int = ${i}\n`);
      const pkg = await packageExtension(dir);
      try {
        await pushArtifact(client, `${name}:1.0.0`, {
          config: pkg.config,
          layers: [pkg.layer],
          manifest: pkg.manifest.bytes,
        });
      } finally {
        await pkg.cleanup();
      }
    }
    client.close();
    const home = join(work, "home");
    const ws = join(work, "ws");
    await Deno.mkdir(home);
    await Deno.mkdir(ws);
    await Deno.writeTextFile(join(ws, "extensions.toml"), `[extensions]\n${names[0]} = "^1.0.0"\n`);
    // The child keeps the npm cache and PATH (git) of this process, nothing else of it.
    const denoDir = Deno.env.get("DENO_DIR") ??
      join(Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/", ".cache"), "deno");
    const env = (cache: string) => ({
      HOME: home,
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      DENO_DIR: denoDir,
      NO_COLOR: "1",
      PROVISIONING_OCI_REGISTRY: reg.host,
      PROVISIONING_OCI_NAMESPACE: namespace,
      PROVISIONING_CACHE_DIR: cache,
      PROVISIONING_SOURCE_TYPE: "oci",
    });
    const cli = async (args: string[], cache: string) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", ...BROAD_LAUNCH_FLAGS, MAIN, ...args],
        cwd: ws,
        env: env(cache),
        clearEnv: true,
        stdout: "null",
        stderr: "piped",
      }).output();
      if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    };
    let n = 0;
    const fresh = () => join(work, `cache-${n++}`);
    const warm = join(work, "cache-warm");
    await cli(["ext", "install"], warm); // fills the warm cache and writes the lock
    const lockText = await Deno.readTextFile(join(ws, "extensions.lock"));
    const timings = await timeRotating(
      [
        ["empty deno run", async () => {
          await new Deno.Command(Deno.execPath(), { args: ["eval", ""], stdout: "null" }).output();
        }],
        [`ext install, cold cache (${nodes} nodes)`, async () => {
          await Deno.remove(join(ws, "extensions.lock")).catch(() => {});
          await cli(["ext", "install"], fresh());
        }],
        [`ext install --locked, cold cache (CI)`, async () => {
          // A fresh machine with the committed lock: every locked version fetched side by side.
          await Deno.writeTextFile(join(ws, "extensions.lock"), lockText);
          await cli(["ext", "install", "--locked"], fresh());
        }],
        [`${nodes} × ext load, cold cache`, async () => {
          const cache = fresh();
          for (const name of names) await cli(["ext", "load", name, "--version", "1.0.0"], cache);
        }],
        [`ext install --locked, warm cache`, async () => {
          await Deno.writeTextFile(join(ws, "extensions.lock"), lockText);
          await cli(["ext", "install", "--locked"], warm);
        }],
        [`${nodes} × ext load, warm cache`, async () => {
          for (const name of names) await cli(["ext", "load", name, "--version", "1.0.0"], warm);
        }],
      ],
      runs,
      (line) => console.error(line),
    );
    const base = timings[0]!.medianMs;
    console.log(`\next install vs ${nodes} sequential ext load (broad launch, medians of ${runs})`);
    for (const t of timings) {
      console.log(
        `${t.name.padEnd(40)} ${t.medianMs.toFixed(0).padStart(7)} ms  ${
          (t.medianMs / base).toFixed(1)
        }× deno`,
      );
    }
    const [, coldInstall, coldLocked, coldLoads, warmInstall, warmLoads] = timings;
    console.log(
      `cold: install / loads = ${(coldInstall!.medianMs / coldLoads!.medianMs).toFixed(2)}`,
    );
    console.log(
      `cold, locked: install --locked / loads = ${
        (coldLocked!.medianMs / coldLoads!.medianMs).toFixed(2)
      }; / install without a lock = ${(coldLocked!.medianMs / coldInstall!.medianMs).toFixed(2)}`,
    );
    console.log(
      `warm: install --locked / loads = ${
        (warmInstall!.medianMs / warmLoads!.medianMs).toFixed(2)
      }`,
    );
  } finally {
    await reg.stop();
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}
