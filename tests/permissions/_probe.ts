/**
 * Test helper run as a subprocess: performs a list of operations and prints, as one JSON
 * line, what Deno let through and what it refused. Two launches:
 *
 * - `deno run <scoped flags> _probe.ts inline OPS` — the operations run in this thread,
 *   limited by the flags (the `deno run` / task / bundle way);
 * - `deno run -A --unstable-worker-options _probe.ts worker SET OPS` — this module starts
 *   itself again as a scoped worker through `runScoped` (the compiled-binary / broad-launch
 *   way), and the operations run there.
 *
 * @module
 */

import { saveOciToCache } from "../../src/cache/save.ts";
import { dropUnplannedNetwork } from "../../src/permissions/ensure_permissions.ts";
import { isScopedWorker, runScoped, serveScopedWorker } from "../../src/permissions/mod.ts";
import type { PermissionSet } from "../../src/permissions/mod.ts";

/** One operation. */
export type ProbeOp =
  | { op: "write"; path: string }
  | { op: "read"; path: string }
  | { op: "connect"; port: number }
  | { op: "fetch"; url: string }
  | { op: "env"; name: string }
  | { op: "run"; command: string }
  | { op: "symlink"; target: string; path: string }
  | { op: "cacheSave"; root: string; tar: string }
  /** What an `--offline` command does once planned: its set reaches no host. */
  | { op: "offline" };

/** What happened: `ok` (with a value) or the error's class name and message. */
export type ProbeResult = { ok: true; value?: string } | {
  ok: false;
  error: string;
  message: string;
};

async function perform(op: ProbeOp): Promise<ProbeResult> {
  try {
    switch (op.op) {
      case "write":
        await Deno.writeTextFile(op.path, "written by the probe\n");
        return { ok: true };
      case "read":
        return { ok: true, value: await Deno.readTextFile(op.path) };
      case "connect": {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: op.port });
        conn.close();
        return { ok: true };
      }
      case "fetch": {
        const response = await fetch(op.url);
        return { ok: true, value: await response.text() };
      }
      case "env":
        return { ok: true, value: String(Deno.env.get(op.name)) };
      case "run": {
        const output = await new Deno.Command(op.command, { args: ["--version"] }).output();
        return { ok: true, value: String(output.code) };
      }
      case "offline":
        await dropUnplannedNetwork({
          read: [],
          write: [],
          net: [],
          env: [],
          run: [],
          ignoreEnv: true,
        });
        return { ok: true };
      case "symlink":
        await Deno.symlink(op.target, op.path);
        return { ok: true };
      case "cacheSave": {
        const bytes = await Deno.readFile(op.tar);
        const { createHash } = await import("node:crypto");
        const digest = "sha256:" + createHash("sha256").update(bytes).digest("hex");
        const entry = await saveOciToCache(op.root, {
          type: "provider",
          name: "probe",
          version: "1.0.0",
        }, {
          layer: {
            digest,
            size: bytes.length,
            open: () => Promise.resolve(new Blob([bytes]).stream()),
          },
          registry: "127.0.0.1:1",
        });
        return { ok: true, value: entry.path };
      }
    }
  } catch (error) {
    const err = error as Error;
    let cause: unknown = err;
    // Report the innermost Deno error (the cache wraps some in ProvisioningError).
    while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
    const inner = cause as Error;
    return { ok: false, error: inner.name, message: `${err.message} | ${inner.message}` };
  }
}

async function performAll(ops: ProbeOp[]): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const op of ops) results.push(await perform(op));
  return results;
}

if (isScopedWorker()) {
  serveScopedWorker(async ([ops]) => {
    const results = await performAll(JSON.parse(ops!) as ProbeOp[]);
    await Deno.stdout.write(new TextEncoder().encode(JSON.stringify(results) + "\n"));
    return 0;
  });
} else if (import.meta.main) {
  const [mode, ...rest] = Deno.args;
  if (mode === "worker") {
    const set = JSON.parse(rest[0]!) as PermissionSet;
    const outcome = await runScoped(set, import.meta.url, [rest[1]!]);
    Deno.exit(outcome.kind === "done" ? outcome.code : 1);
  }
  const results = await performAll(JSON.parse(rest[0]!) as ProbeOp[]);
  console.log(JSON.stringify(results));
}
