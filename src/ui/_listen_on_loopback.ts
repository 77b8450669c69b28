/**
 * `Deno.serve` on one loopback address, resolved once it listens, with the two ways that
 * fails for a user (a busy port, no permission) as one-line usage errors. Private to `src/ui`.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";

/**
 * Starts serving and waits until the socket listens.
 *
 * @param hostname The loopback address.
 * @param port The port (0: the system chooses).
 * @param handler The request handler.
 * @param signal Stops the server when aborted.
 * @returns The server.
 * @throws {ProvisioningError} `USAGE` for a port in use or a listen Deno refuses.
 */
export async function listenOnLoopback(
  hostname: string,
  port: number,
  handler: (request: Request) => Promise<Response>,
  signal: AbortSignal | undefined,
): Promise<Deno.HttpServer<Deno.NetAddr>> {
  let ready!: (value: void) => void;
  const listening = new Promise<void>((resolve) => ready = resolve);
  try {
    const server = Deno.serve({
      hostname: hostname,
      port,
      onListen: () => ready(),
      ...(signal === undefined ? {} : { signal }),
    }, handler);
    await listening;
    return server;
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new ProvisioningError("USAGE", `Port ${port} on ${hostname} is already in use`, {
        hint: "Choose another with --port, or leave it out to let the system choose",
      });
    }
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new ProvisioningError("USAGE", `Not allowed to listen on ${hostname}:${port}`, {
        hint: "Launch with the flags `provisioning ext permissions ext ui` prints",
        cause: error,
      });
    }
    throw error;
  }
}
