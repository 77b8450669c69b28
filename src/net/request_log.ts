/**
 * The `--debug` request log: one line per HTTP exchange (method, URL without secrets,
 * status, milliseconds to the response) on stderr. It is a `fetch` layer under both HTTP
 * stacks (the registry client's base layer and the Gitea client's hop), so every request —
 * redirect hops, token requests, retries — is logged in one place and nowhere else.
 *
 * @module
 */

/** Receives one finished log line (with its newline). */
export type RequestLogSink = (line: string) => void;

let processSink: RequestLogSink | undefined;

/**
 * Turns the request log of this process on (`--debug`) or off (`undefined`).
 *
 * @example
 * ```ts
 * import { setRequestLog } from "./request_log.ts";
 * import assert from "node:assert/strict";
 *
 * const previous = setRequestLog((line) => console.error(line.trimEnd()));
 * assert.equal(setRequestLog(previous) !== undefined, true);
 * ```
 *
 * @param sink Where lines go, or `undefined` to stop logging.
 * @returns The sink that was set before (to restore it).
 */
export function setRequestLog(sink: RequestLogSink | undefined): RequestLogSink | undefined {
  const previous = processSink;
  processSink = sink;
  return previous;
}

/** Query parameters whose value is a credential (presigned URLs, tokens in links). */
const SECRET_PARAM = /token|signature|sig$|secret|password|passwd|credential|key|auth|code/i;

/**
 * A URL as it may be logged: user name and password removed, the values of query parameters
 * that carry credentials (`access_token`, `X-Amz-Signature`, `sig`…) replaced by `***`.
 *
 * @example
 * ```ts
 * import { redactUrl } from "./request_log.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   redactUrl(new URL("https://me:pw@r.example/v2/x?n=1&access_token=abc&X-Amz-Signature=f")),
 *   "https://r.example/v2/x?n=1&access_token=***&X-Amz-Signature=***",
 * );
 * ```
 *
 * @param url Any URL.
 * @returns Its loggable text.
 */
export function redactUrl(url: URL): string {
  const safe = new URL(url.href);
  safe.username = "";
  safe.password = "";
  const params = [...safe.searchParams.keys()];
  if (params.some((name) => SECRET_PARAM.test(name))) {
    const query = [...safe.searchParams.entries()].map(([name, value]) =>
      `${encodeURIComponent(name)}=${SECRET_PARAM.test(name) ? "***" : encodeURIComponent(value)}`
    ).join("&");
    safe.search = query;
  }
  return safe.href;
}

/**
 * Wraps a `fetch` so each exchange is logged while a sink is set (the one given, else the
 * process's from {@linkcode setRequestLog}); with none it only passes requests on.
 *
 * @example
 * ```ts
 * import { withRequestLog } from "./request_log.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const fetchLogged = withRequestLog(
 *   () => Promise.resolve(new Response("ok", { status: 200 })),
 *   (line) => lines.push(line),
 * );
 * await (await fetchLogged(new URL("http://127.0.0.1:5000/v2/?token=s"), { method: "HEAD" })).text();
 * assert.match(lines[0]!, /^http: HEAD http:\/\/127\.0\.0\.1:5000\/v2\/\?token=\*\*\* 200 \d+ ms\n$/);
 * ```
 *
 * @param inner The `fetch` to send with.
 * @param sink Where lines go (default: the process's sink, looked up at each request).
 * @returns A `fetch` of the same shape.
 */
export function withRequestLog(inner: typeof fetch, sink?: RequestLogSink): typeof fetch {
  return async (input, init) => {
    const log = sink ?? processSink;
    if (log === undefined) return await inner(input, init);
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    const url = redactUrl(new URL(input instanceof Request ? input.url : String(input)));
    const started = performance.now();
    const ms = () => `${Math.round(performance.now() - started)} ms`;
    try {
      const response = await inner(input, init);
      log(`http: ${method} ${url} ${response.status} ${ms()}\n`);
      return response;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      log(`http: ${method} ${url} failed (${why.split("\n")[0]}) ${ms()}\n`);
      throw error;
    }
  };
}
