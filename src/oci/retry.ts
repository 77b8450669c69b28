/**
 * The retry layer and its policy: network errors, timeouts, 408, 429 and 5xx (except 501
 * and 505) are retried up to `retry_count` times with exponential backoff and full jitter;
 * a `Retry-After` (seconds or HTTP date) replaces the backoff. A server that asks to wait
 * longer than `maxRetryAfterMs` is not waited for: the request fails at once with one line
 * saying what it asked (`RATE_LIMITED` for 429), since a sleeping CI job helps nobody and
 * retrying early only hits the limit again. 4xx is never retried.
 *
 * @module
 */

import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { discardBody, type HttpRequest, type Send } from "./http.ts";

/** Retry policy. */
export interface RetryPolicy {
  /** Retries after the first attempt (`[oci] retry_count`). */
  retries: number;
  /** Backoff before the first retry, in ms; doubled for each further retry. */
  baseDelayMs: number;
  /** Upper bound of a computed backoff, in ms. */
  maxDelayMs: number;
  /** Longest `Retry-After` waited for, in ms; a longer one fails the request at once. */
  maxRetryAfterMs: number;
  /** Waits `ms` milliseconds (injectable so tests need no real waiting). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter in `[0, 1)`. */
  random: () => number;
  /** Current time in ms since the epoch (for `Retry-After` dates). */
  now: () => number;
  /** Receives one line when a server's `Retry-After` makes us wait a second or more. */
  onWait?: (line: string) => void;
  /** What the server is called in messages (`Gitea`). Default `Registry`. */
  label?: string;
}

/**
 * Whether a response status is worth retrying: 408, 429 and 5xx except 501 and 505.
 *
 * @example
 * ```ts
 * import { isRetryableStatus } from "./retry.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isRetryableStatus(503));
 * assert.ok(isRetryableStatus(429));
 * assert.ok(!isRetryableStatus(404));
 * assert.ok(!isRetryableStatus(501));
 * ```
 *
 * @param status HTTP status.
 * @returns True when a retry may help.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * Whether a thrown error is worth retrying: `UNREACHABLE` (network) or `TIMEOUT`.
 *
 * @example
 * ```ts
 * import { isRetryableError } from "./retry.ts";
 * import { ProvisioningError } from "../errors.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isRetryableError(new ProvisioningError("TIMEOUT", "Timed out")));
 * assert.ok(!isRetryableError(new ProvisioningError("AUTH_REFUSED", "No")));
 * ```
 *
 * @param error Anything thrown.
 * @returns True for network failures and timeouts.
 */
export function isRetryableError(error: unknown): boolean {
  if (typeof error === "object" && error !== null && NOT_RETRYABLE in error) return false;
  return isProvisioningError(error, "UNREACHABLE") || isProvisioningError(error, "TIMEOUT");
}

/**
 * Marks a network error that retrying cannot help, such as a refused first connection (nothing
 * listens there: the registry is not running, and waiting a second will not start it).
 */
export const NOT_RETRYABLE: unique symbol = Symbol("not retryable");

/**
 * Parses a `Retry-After` header (delay seconds or an HTTP date) into milliseconds.
 *
 * @example
 * ```ts
 * import { parseRetryAfter } from "./retry.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseRetryAfter("2", 0), 2000);
 * assert.equal(parseRetryAfter("Thu, 01 Jan 1970 00:00:05 GMT", 1000), 4000);
 * assert.equal(parseRetryAfter("soon", 0), undefined);
 * ```
 *
 * @param value The header value.
 * @param now Current time in ms since the epoch.
 * @returns Milliseconds to wait (never negative), or `undefined` when unparseable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The backoff before retry number `attempt` (0-based): full jitter over
 * `min(maxDelayMs, baseDelayMs * 2^attempt)`, never below half of it.
 *
 * @example
 * ```ts
 * import { backoffDelay } from "./retry.ts";
 * import assert from "node:assert/strict";
 *
 * const policy = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };
 * assert.ok(backoffDelay(0, policy) <= 100);
 * assert.ok(backoffDelay(10, policy) <= 1000);
 * ```
 *
 * @param attempt 0 for the first retry.
 * @param policy Base, cap and jitter source.
 * @returns Milliseconds to wait.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs" | "random">,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + (ceiling / 2) * policy.random();
}

/**
 * The delay before the next retry after a response: its `Retry-After` (capped) when present,
 * else the backoff.
 *
 * @example
 * ```ts
 * import { retryDelayFor } from "./retry.ts";
 * import assert from "node:assert/strict";
 *
 * const policy = { baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 5000, random: () => 0,
 *   now: () => 0 };
 * const res = new Response(null, { status: 429, headers: { "retry-after": "60" } });
 * assert.equal(retryDelayFor(res, 0, policy), 5000);
 * ```
 *
 * @param response The retryable response, or `undefined` after a thrown error.
 * @param attempt 0 for the first retry.
 * @param policy The retry policy.
 * @returns Milliseconds to wait.
 */
export function retryDelayFor(
  response: Response | undefined,
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs" | "maxRetryAfterMs" | "random" | "now">,
): number {
  const after = response === undefined
    ? undefined
    : parseRetryAfter(response.headers.get("retry-after"), policy.now());
  if (after !== undefined) return Math.min(after, policy.maxRetryAfterMs);
  return backoffDelay(attempt, policy);
}

/**
 * Wraps a layer with retries. The last retryable response is returned as is (the caller maps
 * it to an error); the last retryable error is rethrown. A `Retry-After` longer than
 * `maxRetryAfterMs` fails at once (see {@linkcode retryAfterTooLongError}).
 *
 * @example
 * ```ts
 * import { withRetry } from "./retry.ts";
 * import assert from "node:assert/strict";
 *
 * let calls = 0;
 * const send = withRetry(() => Promise.resolve(new Response(null, {
 *   status: ++calls < 3 ? 503 : 200,
 * })), { retries: 3, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1,
 *   sleep: () => Promise.resolve(), random: Math.random, now: Date.now });
 * const res = await send({ method: "GET", url: new URL("http://127.0.0.1/v2/") });
 * assert.equal(res.status, 200);
 * assert.equal(calls, 3);
 * ```
 *
 * @param inner The layer to wrap.
 * @param policy The retry policy.
 * @returns The wrapped layer.
 * @throws {ProvisioningError} `RATE_LIMITED` / `REGISTRY_ERROR` for a `Retry-After` beyond
 *   the cap; whatever the last attempt threw.
 */
export function withRetry(inner: Send, policy: RetryPolicy): Send {
  return async (request: HttpRequest): Promise<Response> => {
    const retries = request.retry === false ? 0 : policy.retries;
    for (let attempt = 0;; attempt++) {
      let response: Response | undefined;
      try {
        response = await inner(request);
      } catch (error) {
        if (attempt >= retries || !isRetryableError(error) || request.signal?.aborted) throw error;
      }
      if (response !== undefined) {
        if (attempt >= retries || !isRetryableStatus(response.status)) return response;
        await discardBody(response);
        const asked = parseRetryAfter(response.headers.get("retry-after"), policy.now());
        if (asked !== undefined && asked > policy.maxRetryAfterMs) {
          throw retryAfterTooLongError(request, response.status, asked, policy);
        }
        if (asked !== undefined && asked >= 1000) {
          policy.onWait?.(
            `"${request.url.host}" answered HTTP ${response.status} and asked to wait ${
              seconds(asked)
            } s; waiting`,
          );
        }
      }
      await policy.sleep(retryDelayFor(response, attempt, policy), request.signal);
    }
  };
}

/**
 * The error for a server that asked (`Retry-After`) to wait longer than the policy's cap:
 * `RATE_LIMITED` for 429, `REGISTRY_ERROR` otherwise (a 503 for maintenance), exit 4 both.
 *
 * @example
 * ```ts
 * import { retryAfterTooLongError } from "./retry.ts";
 * import assert from "node:assert/strict";
 *
 * const error = retryAfterTooLongError(
 *   { method: "GET", url: new URL("https://reg.example.com/v2/ns/x/tags/list") },
 *   429,
 *   86_400_000,
 *   { maxRetryAfterMs: 60_000, now: () => Date.parse("2026-12-01T00:00:00Z") },
 * );
 * assert.equal(error.code, "RATE_LIMITED");
 * assert.equal(
 *   error.message,
 *   'Registry "reg.example.com" is rate limiting (HTTP 429 to GET /v2/ns/x/tags/list) and ' +
 *     "asked to wait 86400 s, more than the 60 s this client waits",
 * );
 * assert.equal(error.hint, "Try again after 2026-12-02T00:00:00Z");
 * ```
 *
 * @param request The request that was answered.
 * @param status The answer's status.
 * @param askedMs What `Retry-After` asked for, in ms.
 * @param policy The cap and the clock.
 * @returns The error, to throw.
 */
export function retryAfterTooLongError(
  request: Pick<HttpRequest, "method" | "url">,
  status: number,
  askedMs: number,
  policy: Pick<RetryPolicy, "maxRetryAfterMs" | "now" | "label">,
): ProvisioningError {
  const what = `HTTP ${status} to ${request.method} ${request.url.pathname}`;
  const state = status === 429 ? `is rate limiting (${what})` : `is unavailable (${what})`;
  const after = new Date(policy.now() + askedMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  return new ProvisioningError(
    status === 429 ? "RATE_LIMITED" : "REGISTRY_ERROR",
    `${policy.label ?? "Registry"} "${request.url.host}" ${state} and asked to wait ${
      seconds(askedMs)
    } s, more than ` +
      `the ${seconds(policy.maxRetryAfterMs)} s this client waits`,
    { hint: `Try again after ${after}` },
  );
}

function seconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

/**
 * A `setTimeout`-based sleep that an abort signal cuts short (with the signal's reason).
 *
 * @example
 * ```ts
 * import { abortableSleep } from "./retry.ts";
 * await abortableSleep(1);
 * ```
 *
 * @param ms Milliseconds.
 * @param signal Optional abort signal.
 * @returns Resolves after `ms`.
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
