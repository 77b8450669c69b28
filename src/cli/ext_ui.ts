/**
 * `ext ui`: serves the marketplace page on 127.0.0.1, prints its URL on stdout, and runs
 * until Ctrl-C (SIGINT) or SIGTERM, then stops accepting requests, lets those in flight
 * finish and returns (exit 0).
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { GlobalConfigOptions } from "./config.ts";
import { discoveryOptions } from "./ext_read.ts";
import { type CliContext, paint, printable } from "./io.ts";

/** Options of `ext ui`. */
export interface UiCommandOptions {
  /** `--port`, as typed. */
  port?: string;
  /** `--open`: start `xdg-open URL`. */
  open?: boolean;
}

/**
 * Reads `--port`: an integer from 0 to 65535 (0: the system chooses).
 *
 * @example
 * ```ts
 * import { parsePort } from "./ext_ui.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parsePort(undefined), 0);
 * assert.equal(parsePort("8080"), 8080);
 * assert.throws(() => parsePort("80a"), /--port/);
 * ```
 *
 * @param value The flag's value.
 * @returns The port.
 * @throws {ProvisioningError} `USAGE` for anything else.
 */
export function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new ProvisioningError("USAGE", `Invalid --port "${value}": expected 0 to 65535`);
  }
  return port;
}

/**
 * Runs the marketplace server until SIGINT or SIGTERM.
 *
 * @example
 * ```ts ignore
 * await runUi(ctx, {}, { port: "0" });
 * ```
 *
 * @param ctx Output streams and environment.
 * @param globals Global flags.
 * @param options `--port`, `--open`.
 * @throws {ProvisioningError} `USAGE` for a bad or busy port.
 */
export async function runUi(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  options: UiCommandOptions,
): Promise<void> {
  const port = parsePort(options.port);
  const { startUiServer } = await import("../ui/start_ui_server.ts");
  const discovery = await discoveryOptions(ctx, globals, {});
  const { workspaceLockReader } = await import("../ui/workspace_lock.ts");
  const server = await startUiServer({
    discovery,
    port,
    workspaceLock: workspaceLockReader(discovery.config.workspace, ctx.cwd),
    onError: (message) => ctx.err(`${paint(ctx, "yellow", "warning:")} ${printable(message)}\n`),
  });
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    ctx.err("Stopping\n");
    void server.shutdown();
  };
  for (const signal of signals) Deno.addSignalListener(signal, stop);
  try {
    ctx.out(`${server.url}\n`);
    ctx.err(`Serving the extension marketplace at ${server.url} (Ctrl-C stops)\n`);
    if (options.open) await openBrowser(ctx, server.url);
    await server.finished;
  } finally {
    for (const signal of signals) Deno.removeSignalListener(signal, stop);
  }
}

async function openBrowser(ctx: CliContext, url: string): Promise<void> {
  try {
    const child = new Deno.Command("xdg-open", {
      args: [url],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const status = await child.status;
    if (!status.success) throw new Error(`xdg-open exited with ${status.code}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.err(
      `${paint(ctx, "yellow", "warning:")} Could not open a browser (${message}); open ${url}\n`,
    );
  }
}
