/**
 * The timeout layer: each HTTP exchange gets `timeout` seconds to deliver its headers, and
 * its body may then stay idle (no bytes) for at most `timeout` seconds at a time. Private to
 * the OCI client.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { HttpRequest, Send } from "./http.ts";

/**
 * Wraps a layer with a per-request timeout and an idle timeout on the response body.
 *
 * @param inner The layer to wrap.
 * @param timeoutMs Milliseconds.
 * @returns The wrapped layer; a timeout rejects (or errors the body) with `TIMEOUT`.
 */
export function withTimeout(inner: Send, timeoutMs: number): Send {
  return async (request: HttpRequest): Promise<Response> => {
    const controller = new AbortController();
    const signal = request.signal === undefined
      ? controller.signal
      : AbortSignal.any([request.signal, controller.signal]);
    let timedOut = false;
    const fire = () => {
      timedOut = true;
      controller.abort();
    };
    const timeoutError = (phase: string) =>
      new ProvisioningError(
        "TIMEOUT",
        `${request.method} "${request.url.href}" timed out after ${timeoutMs / 1000} s ${phase}`,
        { hint: "Raise [oci] timeout or check the registry" },
      );

    let response: Response;
    const timer = setTimeout(fire, timeoutMs);
    try {
      response = await inner({ ...request, signal });
    } catch (error) {
      if (timedOut) throw timeoutError("waiting for the response");
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (response.body === null) return response;

    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        const idle = setTimeout(fire, timeoutMs);
        try {
          const { done, value } = await reader.read();
          if (timedOut) throw timeoutError("while reading the body");
          if (done) stream.close();
          else stream.enqueue(value);
        } catch (error) {
          reader.releaseLock();
          stream.error(timedOut ? timeoutError("while reading the body") : error);
        } finally {
          clearTimeout(idle);
        }
      },
      async cancel(reason) {
        await reader.cancel(reason);
      },
    }, { highWaterMark: 0 });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
