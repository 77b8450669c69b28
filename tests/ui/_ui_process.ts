/**
 * Runs the real `provisioning ext ui` (spawned as users launch it) for the browser and CLI
 * tests: waits for the URL on stdout, keeps stderr, and stops it with SIGINT as Ctrl-C does.
 *
 * @module
 */

import { type RunCliOptions, spawnCli } from "../cli/run_cli.ts";

/** A running `ext ui`. */
export interface UiProcess {
  /** The URL it printed (`http://127.0.0.1:PORT/`). */
  url: string;
  /** Sends SIGINT and waits: exit code, everything it printed. */
  stop(): Promise<{ code: number; stdout: string; stderr: string }>;
}

/**
 * Starts `ext ui ...extra` and waits (at most 60 s) for the URL line.
 *
 * @param extra Arguments after `ext ui`.
 * @param options Home, environment, launch.
 * @returns The running process.
 */
export async function startUi(
  extra: readonly string[],
  options: RunCliOptions,
): Promise<UiProcess> {
  const child = await spawnCli(["ext", "ui", ...extra], options);
  const decoder = new TextDecoder();
  let stdout = "";
  let stderr = "";
  const errDone = (async () => {
    for await (const chunk of child.stderr) stderr += decoder.decode(chunk, { stream: true });
  })();
  const reader = child.stdout.getReader();
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    while (!stdout.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      stdout += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
  }
  const url = stdout.split("\n")[0] ?? "";
  const outDone = (async () => {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      stdout += decoder.decode(value, { stream: true });
    }
  })();
  const stop = async () => {
    try {
      child.kill("SIGINT");
    } catch {
      // already gone
    }
    const kill = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const { code } = await child.status;
    clearTimeout(kill);
    await Promise.all([errDone, outDone]);
    return { code, stdout, stderr };
  };
  if (!/^http:\/\/127\.0\.0\.1:\d+\/$/.test(url)) {
    const result = await stop();
    throw new Error(`ext ui printed no URL (exit ${result.code}): ${result.stderr}`);
  }
  return { url, stop };
}
