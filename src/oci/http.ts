/**
 * The layered HTTP stack of the OCI client (oras-go shape): a `fetch`-like base that follows
 * redirects under the transport policy and maps network failures, a per-request timeout
 * (also while the body streams), auth (Basic / Bearer challenge) and, outermost, retry.
 *
 * Every layer is a {@linkcode Send}: a function from {@linkcode HttpRequest} to `Response`.
 * A request carries a body *factory*, so a retry or an auth round trip can send the body
 * again (a consumed stream cannot be resent).
 *
 * @module
 */

/** HTTP methods the registry API uses. */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One logical request to a registry. */
export interface HttpRequest {
  /** The method. */
  method: HttpMethod;
  /** Absolute URL. */
  url: URL;
  /** Request headers (never `Authorization`: the auth layer adds it). */
  headers?: HeadersInit;
  /** Called once per attempt to produce the body, so the request can be resent. */
  body?: () => BodyInit | null | Promise<BodyInit | null>;
  /** Token scopes the request needs (`repository:ns/x:pull`), used to reuse cached tokens. */
  scopes?: readonly string[];
  /** `false` sends the request once, whatever happens (default: retry when allowed). */
  retry?: boolean;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** One layer of the stack: sends a request and resolves to the response. */
export type Send = (request: HttpRequest) => Promise<Response>;

/** The `fetch` signature the stack is built on (injectable for tests). */
export type FetchLike = typeof fetch;

/**
 * Reads a response body into memory, refusing more than `limit` bytes (checked while it
 * streams, and up front from `Content-Length`). The body is always consumed or cancelled.
 *
 * @example
 * ```ts
 * import { readBodyLimited } from "./http.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = await readBodyLimited(new Response("hello"), 10);
 * assert.equal(new TextDecoder().decode(bytes), "hello");
 * await assert.rejects(readBodyLimited(new Response("hello"), 3), RangeError);
 * ```
 *
 * @param response The response.
 * @param limit Maximum number of bytes.
 * @returns The body bytes.
 * @throws {RangeError} When the body is larger than `limit`.
 */
export async function readBodyLimited(response: Response, limit: number): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array();
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > limit) {
    await response.body.cancel();
    throw new RangeError(`Body of ${declared} bytes exceeds the limit of ${limit}`);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel();
        throw new RangeError(`Body exceeds the limit of ${limit} bytes`);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Discards a response body (sanitizer-safe): cancels it when not yet read.
 *
 * @example
 * ```ts
 * import { discardBody } from "./http.ts";
 * await discardBody(new Response("unused"));
 * ```
 *
 * @param response The response whose body is not needed.
 */
export async function discardBody(response: Response): Promise<void> {
  if (response.body !== null && !response.bodyUsed) {
    await response.body.cancel().catch(() => {});
  }
}
