/**
 * Child process for the cache's multi-process tests: saves one archive file into a cache
 * through a deliberately slow blob source, then prints the entry as JSON.
 *
 * Usage: `deno run -A save_child.ts '<json options>'` with
 * `{ root, archive, key, digest?, chunkSize, delayMs, force, opensLog }`.
 * Every `open()` of the blob source appends a line to `opensLog`.
 *
 * @module
 */

import { saveOciToCache } from "../../src/cache/mod.ts";
import type { CacheKey } from "../../src/cache/mod.ts";

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
}

async function main(options: ChildOptions): Promise<void> {
  const layer = {
    digest: options.digest,
    size: options.size,
    async open(): Promise<ReadableStream<Uint8Array>> {
      await Deno.writeTextFile(options.opensLog, `${Deno.pid}\n`, { append: true });
      const file = await Deno.open(options.archive);
      const buffer = new Uint8Array(options.chunkSize);
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, options.delayMs));
          const n = await file.read(buffer);
          if (n === null) {
            file.close();
            controller.close();
          } else {
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
  }, { force: options.force });
  console.log(JSON.stringify(entry));
}

if (import.meta.main) await main(JSON.parse(Deno.args[0] ?? "{}"));
