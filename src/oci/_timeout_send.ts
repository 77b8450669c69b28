/**
 * The timeout layer: each HTTP exchange may stay idle for at most `timeout` seconds at a
 * time — while its request body is sent (the clock restarts with every chunk, so a large
 * upload is not cut off), while waiting for the response headers, and between chunks of the
 * response body. A body read that fails for another reason (connection dropped) becomes
 * `UNREACHABLE`. Private to the OCI client.
 *
 * @module
 */

import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { networkError } from "./_base_send.ts";
import type { HttpRequest, Send } from "./http.ts";

/**
 * Wraps a layer with idle timeouts on the request body, the response and its body.
 *
 * @param inner The layer to wrap.
 * @param timeoutMs Milliseconds; 0 or less disables the timers (error mapping stays).
 * @returns The wrapped layer; a timeout rejects (or errors the body) with `TIMEOUT`.
 */
export function withTimeout(inner: Send, timeoutMs: number): Send {
  const enabled = timeoutMs > 0;
  return async (request: HttpRequest): Promise<Response> => {
    const controller = new AbortController();
    const signal = request.signal === undefined
      ? controller.signal
      : AbortSignal.any([request.signal, controller.signal]);
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const disarm = () => clearTimeout(timer);
    const arm = () => {
      if (!enabled) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
    };
    const timeoutError = (phase: string) =>
      new ProvisioningError(
        "TIMEOUT",
        `${request.method} "${request.url.href}" timed out after ${timeoutMs / 1000} s ${phase}`,
        { hint: "Raise [oci] timeout or check the registry" },
      );

    const wrapped: HttpRequest = { ...request, signal };
    const makeBody = request.body;
    if (makeBody !== undefined && enabled) {
      wrapped.body = async () => {
        const body = await makeBody();
        if (!(body instanceof ReadableStream)) return body;
        return body.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, stream) {
              arm(); // sending progresses: restart the idle clock
              stream.enqueue(chunk);
            },
          }),
        );
      };
    }

    let response: Response;
    arm();
    try {
      response = await inner(wrapped);
    } catch (error) {
      if (timedOut) throw timeoutError("waiting for the response");
      throw error;
    } finally {
      disarm();
    }
    if (response.body === null) return response;

    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        arm();
        try {
          const { done, value } = await reader.read();
          if (timedOut) throw timeoutError("while reading the body");
          if (done) stream.close();
          else stream.enqueue(value);
        } catch (error) {
          reader.releaseLock();
          if (timedOut) stream.error(timeoutError("while reading the body"));
          else if (isProvisioningError(error) || request.signal?.aborted) stream.error(error);
          else stream.error(networkError(error, request.url));
        } finally {
          disarm();
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
