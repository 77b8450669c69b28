/**
 * The idle-timeout layer every HTTP client of the project is built on (the OCI registry
 * client, its token services and the Gitea client): one exchange may stay quiet for at most
 * `timeoutMs` at a time — while its request body is sent (the clock restarts with every
 * chunk, so a large upload is not cut off), while waiting for the response headers, and
 * between chunks of the response body. The body of the response it returns is already
 * bounded, so no caller has to guard its own reads.
 *
 * When the time runs out the layer does not rely on aborting `fetch` alone: Deno delivers
 * that abort to a response body only through the `Response` object, and a layer that keeps
 * just the body's reader lets the `Response` be garbage-collected — after which the abort
 * no longer reaches the body and a pending `read()` never settles. Whether the collector ran
 * before the timer fired depended on how much the process had allocated and on the length
 * of the timeout, so short timeouts happened to work while the default 30 s hung forever.
 * The timer therefore also cancels the body's reader, and every pending read is raced
 * against it.
 *
 * @module
 */

import { isProvisioningError, ProvisioningError } from "../errors.ts";
import type { HttpRequest, Send } from "../oci/http.ts";

/** Options of {@linkcode withIdleTimeout}. */
export interface IdleTimeoutOptions {
  /** Milliseconds an exchange may stay idle; 0 or less disables the timers (mapping stays). */
  timeoutMs: number;
  /** What the server is called in messages (`Registry`, `Gitea`). Default `Server`. */
  label?: string;
  /** The hint of a `TIMEOUT` error. */
  hint?: string;
  /**
   * Maps a failed body read that is not a timeout (a dropped connection). Default: an
   * `UNREACHABLE` error naming the host.
   */
  mapBodyError?: (error: unknown, url: URL) => ProvisioningError;
}

/**
 * Wraps a layer with idle timeouts on the request body, the response and its body. A
 * timeout rejects the request, or errors the body, with `TIMEOUT` (exit 4) in one line that
 * names the host and what stalled, e.g. `Registry "reg:5000" stopped sending the body of
 * GET /v2/ns/x/blobs/sha256:… for 30 s (2048 of 4096 bytes received)`.
 *
 * @example A body that stops mid-way errors with TIMEOUT
 * ```ts
 * import { withIdleTimeout } from "./with_idle_timeout.ts";
 * import assert from "node:assert/strict";
 *
 * const stalling = () =>
 *   Promise.resolve(new Response(new ReadableStream({
 *     start(controller) {
 *       controller.enqueue(new TextEncoder().encode("half"));
 *     },
 *   }), { headers: { "content-length": "8" } }));
 * const send = withIdleTimeout(stalling, { timeoutMs: 50, label: "Registry" });
 * const response = await send({ method: "GET", url: new URL("http://127.0.0.1:5000/v2/") });
 * await assert.rejects(response.text(), {
 *   code: "TIMEOUT",
 *   message: 'Registry "127.0.0.1:5000" stopped sending the body of GET /v2/ for 0.05 s ' +
 *     "(4 of 8 bytes received)",
 * });
 * ```
 *
 * @param inner The layer to wrap.
 * @param options Timeout, label, hint, body error mapping.
 * @returns The wrapped layer. Its responses keep status, headers and `url` of the inner
 *   response; only the body is replaced by the guarded one.
 */
export function withIdleTimeout(inner: Send, options: IdleTimeoutOptions): Send {
  const { timeoutMs } = options;
  const enabled = timeoutMs > 0;
  const label = options.label ?? "Server";
  const seconds = `${timeoutMs / 1000} s`;
  const mapBodyError = options.mapBodyError ?? defaultBodyError;
  const fail = (message: string) =>
    new ProvisioningError(
      "TIMEOUT",
      message,
      options.hint === undefined ? {} : { hint: options.hint },
    );

  return async (request: HttpRequest): Promise<Response> => {
    const controller = new AbortController();
    const signal = request.signal === undefined
      ? controller.signal
      : AbortSignal.any([request.signal, controller.signal]);
    const what = `${request.method} ${request.url.pathname}`;
    const expired = Promise.withResolvers<never>();
    expired.promise.catch(() => {});
    let timedOut: ProvisioningError | undefined;
    let onExpire = () => {};
    let describeStall = () =>
      `${label} "${request.url.host}" did not answer ${what} within ${seconds}`;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const disarm = () => clearTimeout(timer);
    const arm = () => {
      if (!enabled || timedOut !== undefined) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = fail(describeStall());
        controller.abort(timedOut);
        expired.reject(timedOut);
        onExpire();
      }, timeoutMs);
    };

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

    const pending = inner(wrapped);
    let response: Response;
    arm();
    try {
      response = enabled ? await Promise.race([pending, expired.promise]) : await pending;
    } catch (error) {
      if (timedOut !== undefined) {
        // The inner layer may still answer later: nobody will read that body.
        pending.then((late) => late.body?.cancel().catch(() => {}), () => {});
        throw timedOut;
      }
      throw error;
    } finally {
      disarm();
    }
    if (response.body === null) return response;

    const source = response.url === "" ? request.url : new URL(response.url);
    const declared = response.headers.get("content-length");
    let received = 0;
    const who = source.host === request.url.host
      ? `${label} "${source.host}"`
      : `"${source.host}" (redirected to by ${label.toLowerCase()} "${request.url.host}")`;
    describeStall = () =>
      `${who} stopped sending the body of ${what} for ${seconds} (${received}${
        declared === null ? "" : ` of ${declared}`
      } bytes received)`;
    const reader = response.body.getReader();
    // Cancelling the reader settles a pending read() even when aborting fetch no longer can.
    onExpire = () => void reader.cancel(timedOut).catch(() => {});

    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        arm();
        try {
          const next = enabled
            ? await Promise.race([reader.read(), expired.promise])
            : await reader.read();
          if (timedOut !== undefined) throw timedOut;
          if (next.done) stream.close();
          else {
            received += next.value.byteLength;
            stream.enqueue(next.value);
          }
        } catch (error) {
          if (timedOut !== undefined) stream.error(timedOut);
          else if (isProvisioningError(error) || request.signal?.aborted) stream.error(error);
          else stream.error(mapBodyError(error, source));
          reader.cancel().catch(() => {});
        } finally {
          disarm();
        }
      },
      async cancel(reason) {
        disarm();
        await reader.cancel(reason);
      },
    }, { highWaterMark: 0 });
    return replaceBody(response, body);
  };
}

/**
 * A response like `response` (status, headers, `url`) with another body.
 *
 * @example
 * ```ts
 * import { replaceBody } from "./with_idle_timeout.ts";
 * import assert from "node:assert/strict";
 *
 * const original = new Response("old", { status: 201, headers: { "x-a": "1" } });
 * const replaced = replaceBody(original, "new");
 * assert.equal(replaced.status, 201);
 * assert.equal(replaced.headers.get("x-a"), "1");
 * assert.equal(await replaced.text(), "new");
 * await original.body?.cancel();
 * ```
 *
 * @param response The response to copy.
 * @param body The new body.
 * @returns The new response.
 */
export function replaceBody(response: Response, body: BodyInit | null): Response {
  const out = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // `url` cannot be passed to the constructor; the auth layer needs to know who answered.
  if (response.url !== "") Object.defineProperty(out, "url", { value: response.url });
  return out;
}

function defaultBodyError(error: unknown, url: URL): ProvisioningError {
  return new ProvisioningError(
    "UNREACHABLE",
    `Cannot reach "${url.host}": the connection broke off while reading the response body`,
    { cause: error },
  );
}
