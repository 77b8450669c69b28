/**
 * Child process for the cache's multi-process tests: saves one archive file into a cache
 * through a deliberately slow blob source, then prints the entry as JSON.
 *
 * Usage: `deno run -A save_child.ts '<json options>'` with
 * `{ root, archive, key, digest?, chunkSize, delayMs, force, opensLog, pauseAt? }`.
 * Every `open()` of the blob source appends a line to `opensLog`.
 *
 * With `pauseAt`, the child stops at that point of the save and waits to be killed, after
 * printing one line `paused <point> files=<n>` (`n`: files unpacked in `tmp/` so far):
 * `{ bytes: N }` once the blob source has handed out at least N bytes (and the extraction
 * has caught up with them), `{ step: "extracted" | "validated" | "recorded" | "indexed" |
 * "committed" }` at that step of the save (`SaveOptions.onStep`).
 *
 * @module
 */

import { join } from "node:path";
import { saveOciToCache } from "../../src/cache/mod.ts";
import type { CacheKey, SaveStep } from "../../src/cache/mod.ts";

interface ChildOptions {
  root: string;
  archive: string;
  key: CacheKey;
  digest: string;
  size: number;
  chunkSize: number;
  delayMs: number;
  force: boolean;
  opensLog: string;
  pauseAt?: { bytes: number } | { step: SaveStep };
}

async function main(options: ChildOptions): Promise<void> {
  const pauseAt = options.pauseAt;
  const layer = {
    digest: options.digest,
    size: options.size,
    async open(): Promise<ReadableStream<Uint8Array>> {
      await Deno.writeTextFile(options.opensLog, `${Deno.pid}\n`, { append: true });
      const file = await Deno.open(options.archive);
      const buffer = new Uint8Array(options.chunkSize);
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (pauseAt !== undefined && "bytes" in pauseAt && sent >= pauseAt.bytes) {
            await pause(`bytes=${sent}`, options.root);
          }
          await new Promise((resolve) => setTimeout(resolve, options.delayMs));
          const n = await file.read(buffer);
          if (n === null) {
            file.close();
            controller.close();
          } else {
            sent += n;
            controller.enqueue(buffer.slice(0, n));
          }
        },
        cancel() {
          file.close();
        },
      });
    },
  };
  const entry = await saveOciToCache(options.root, options.key, {
    layer,
    registry: "127.0.0.1:5000",
    tag: options.key.version,
  }, {
    force: options.force,
    onStep: async (step) => {
      if (pauseAt !== undefined && "step" in pauseAt && pauseAt.step === step) {
        await pause(`step=${step}`, options.root);
      }
    },
  });
  console.log(JSON.stringify(entry));
}

/** Reports the point on stdout, then waits (for SIGKILL; a minute at most). */
async function pause(point: string, root: string): Promise<never> {
  // Let the extraction catch up with what was handed out: wait until the count settles.
  let files = -1;
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const now = await stagedFiles(join(root, "tmp"));
    if (now === files) break;
    files = now;
  }
  await Deno.stdout.write(new TextEncoder().encode(`paused ${point} files=${files}\n`));
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  throw new Error(`not killed at ${point}`);
}

/** Regular files below `dir` (the staging folders in `tmp/`). */
async function stagedFiles(dir: string): Promise<number> {
  let count = 0;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) count += await stagedFiles(join(dir, entry.name));
      else if (entry.isFile && !entry.name.endsWith(".blob")) count++;
    }
  } catch {
    // Renamed or removed meanwhile.
  }
  return count;
}

if (import.meta.main) await main(JSON.parse(Deno.args[0] ?? "{}"));
