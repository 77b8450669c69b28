/**
 * Spawns `docker-registry serve CONFIG` and reads the port it reports (private to the harness).
 *
 * @module
 */

import { ProvisioningError } from "../../src/errors.ts";

/** The registry binary, looked up on `PATH`. */
export const REGISTRY_BINARY = "docker-registry";

/** How long the registry may take to report its port before start-up fails. */
const START_TIMEOUT_MS = 10_000;

/** How long the registry may take to exit after SIGTERM before it gets SIGKILL. */
const STOP_TIMEOUT_MS = 5_000;

const LISTENING = /listening on (127\.0\.0\.1:\d+)/;

/** A running registry process. */
export interface RegistryProcess {
  /** The registry's own PID (spawned directly, not through a shell). */
  pid: number;
  /** `127.0.0.1:PORT` as the registry reported it. */
  host: string;
  /** Everything the registry wrote to stdout and stderr so far. */
  log(): string;
  /** SIGTERM, wait (SIGKILL after 5 s), drain the output. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the registry with `configPath` and resolves once it logs `listening on 127.0.0.1:N`.
 *
 * The child's environment is cleared so stray `REGISTRY_*` variables cannot override the
 * config. Both output streams are drained for the life of the process so it never blocks.
 *
 * @example
 * ```ts ignore
 * const proc = await spawnRegistry("/tmp/x/config.json");
 * console.log(proc.host); // 127.0.0.1:40123
 * await proc.stop();
 * ```
 *
 * @param configPath A registry config file (JSON is valid YAML).
 * @returns The running process.
 * @throws {Deno.errors.NotFound} When `docker-registry` is not installed.
 * @throws {ProvisioningError} `INTERNAL` when the registry exits or stays silent for 10 s;
 *   the error's `cause` carries the registry log.
 */
export async function spawnRegistry(configPath: string): Promise<RegistryProcess> {
  const child = new Deno.Command(REGISTRY_BINARY, {
    args: ["serve", configPath],
    clearEnv: true,
    env: {},
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  let log = "";
  const listening = Promise.withResolvers<string>();
  let port: string | undefined;
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      log += text;
      // Look for the port only until it is found: the log keeps growing with every request.
      if (port !== undefined) continue;
      port = LISTENING.exec(log)?.[1];
      if (port !== undefined) listening.resolve(port);
    }
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  let statusValue: Deno.CommandStatus | undefined;
  const status = child.status.then((s) => (statusValue = s));

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (statusValue === undefined) {
        try {
          child.kill("SIGTERM");
        } catch {
          // Already exited between the check and the signal.
        }
        const timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch {
            // Exited in the meantime.
          }
        }, STOP_TIMEOUT_MS);
        await status;
        clearTimeout(timer);
      }
      await drained;
    })();
    return stopping;
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), START_TIMEOUT_MS);
  });
  const outcome = await Promise.race([listening.promise, status.then(() => "exit"), timedOut]);
  clearTimeout(timer);
  if (outcome !== "exit" && outcome !== "timeout") {
    return { pid: child.pid, host: outcome, log: () => log, stop };
  }
  await stop();
  const reason = outcome === "exit"
    ? `exited with code ${statusValue?.code} before listening`
    : `did not report its port within ${START_TIMEOUT_MS / 1000} s`;
  throw new ProvisioningError("INTERNAL", `Test registry ${reason}`, {
    hint: `Run "${REGISTRY_BINARY} serve ${configPath}" by hand to see why`,
    cause: new Error(`registry log:\n${log}`),
  });
}
