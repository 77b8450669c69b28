/**
 * Child process for the cache's scoped-permission tests: runs cache jobs under whatever
 * permissions it was started with and prints one JSON line with a result per job.
 *
 * Usage: `deno run --allow-read --allow-write=<dir> scoped_child.ts '<json jobs>'`, each job
 * `{ op: "extract", archive, dest, limits? }` or `{ op: "save", archive, root, key }`.
 *
 * @module
 */

import { extractArchive, saveOciToCache } from "../../src/cache/mod.ts";
import type { CacheKey, ExtractLimits, ExtractStats } from "../../src/cache/mod.ts";
import { isProvisioningError } from "../../src/errors.ts";
import { createHash } from "node:crypto";

/** One job. */
export type ScopedJob =
  | { op: "extract"; archive: string; dest: string; limits?: Partial<ExtractLimits> }
  | { op: "save"; archive: string; root: string; key: CacheKey };

/** A job's outcome: the stats (extract), the entry path (save), or the error. */
export type ScopedResult =
  | { ok: true; stats?: ExtractStats; path?: string }
  | { ok: false; code: string; name: string; message: string };

async function run(job: ScopedJob): Promise<ScopedResult> {
  try {
    const bytes = await Deno.readFile(job.archive);
    if (job.op === "extract") {
      const stats = await extractArchive(new Blob([bytes]).stream(), job.dest, job.limits);
      return { ok: true, stats };
    }
    const entry = await saveOciToCache(job.root, job.key, {
      layer: {
        digest: "sha256:" + createHash("sha256").update(bytes).digest("hex"),
        size: bytes.length,
        open: () => Promise.resolve(new Blob([bytes]).stream()),
      },
    });
    return { ok: true, path: entry.path };
  } catch (error) {
    const err = error as Error;
    return {
      ok: false,
      code: isProvisioningError(error) ? error.code : "",
      name: err.name,
      message: err.message,
    };
  }
}

if (import.meta.main) {
  const jobs = JSON.parse(Deno.args[0] ?? "[]") as ScopedJob[];
  const results: ScopedResult[] = [];
  for (const job of jobs) results.push(await run(job));
  console.log(JSON.stringify(results));
}
