/**
 * A tiny HTTP server for fault injection: only for what a real registry will not do
 * (corrupt bytes, 503s, stalls, 429 with `Retry-After`, `Link` pagination it omits, a broken
 * token endpoint). Normal paths are tested against the real registry (`registry.ts`).
 *
 * Routes form a request→response table with state, after regclient's test servers: each
 * route lists responders and its n-th matching request gets the n-th (the last one repeats),
 * so "503, 503, then 200" is `[status(503), status(503), ok]`.
 *
 * @module
 */

/** What a responder learns about the request besides the `Request` itself. */
export interface FaultContext {
  /** 0-based count of earlier requests this route matched. */
  hit: number;
  /** The parsed request URL. */
  url: URL;
  /** The `RegExp` match of the route's path, if it is a `RegExp`. */
  match: RegExpExecArray | null;
  /** `http://127.0.0.1:PORT`, for absolute `Location` or realm URLs. */
  origin: string;
  /** Aborted when the server closes; stalls end on it. */
  signal: AbortSignal;
}

/** Builds the response to one request. */
export type FaultResponder = (
  request: Request,
  context: FaultContext,
) => Response | Promise<Response>;

/** One row of the table. */
export interface FaultRoute {
  /** Matches any method when absent. */
  method?: string;
  /** The exact path (`/v2/`) or a pattern tested against path + query. */
  path: string | RegExp;
  /** One responder, or a sequence of them by hit (the last repeats). */
  respond: FaultResponder | FaultResponder[];
}

/** A request the server received. */
export interface RecordedRequest {
  method: string;
  /** Path plus query, e.g. `/v2/ns/x/tags/list?n=10`. */
  path: string;
  headers: Headers;
}

/** A running fault server. */
export interface FaultServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** `127.0.0.1:PORT`. */
  host: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Ends pending stalls and shuts the server down; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a fault server on 127.0.0.1 port 0. Unmatched requests get 404.
 *
 * @example 503 twice, then 200
 * ```ts
 * import assert from "node:assert/strict";
 * import { startFaultServer, status } from "./fault_server.ts";
 *
 * const server = await startFaultServer([
 *   { path: "/v2/", respond: [status(503), status(503), () => new Response("ok")] },
 * ]);
 * const codes = [];
 * for (let i = 0; i < 3; i++) {
 *   const res = await fetch(`${server.url}/v2/`);
 *   await res.body?.cancel();
 *   codes.push(res.status);
 * }
 * await server.close();
 * assert.deepEqual(codes, [503, 503, 200]);
 * ```
 *
 * @param routes The table, tried in order; or one responder for every request.
 * @returns The running server; call `close()` when done.
 */
export async function startFaultServer(
  routes: FaultRoute[] | FaultResponder,
): Promise<FaultServer> {
  const table: FaultRoute[] = typeof routes === "function"
    ? [{ path: /^/, respond: routes }]
    : routes;
  const hits = new Map<FaultRoute, number>();
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  const listening = Promise.withResolvers<number>();
  let origin = "";

  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ port }) => listening.resolve(port),
    // A responder may error its body on purpose (a dropped connection); Deno's default
    // handler would print that error. The client sees the cut-off body, which is the point.
    onError: () => new Response(null, { status: 500 }),
  }, (request) => {
    const url = new URL(request.url);
    const path = url.pathname + url.search;
    requests.push({ method: request.method, path, headers: request.headers });
    for (const route of table) {
      if (route.method !== undefined && route.method !== request.method) continue;
      const match = typeof route.path === "string"
        ? null
        : (route.path.lastIndex = 0, route.path.exec(path));
      if (typeof route.path === "string" ? route.path !== url.pathname : match === null) continue;
      const hit = hits.get(route) ?? 0;
      hits.set(route, hit + 1);
      const responders = Array.isArray(route.respond) ? route.respond : [route.respond];
      const responder = responders[Math.min(hit, responders.length - 1)];
      if (responder === undefined) break;
      return responder(request, { hit, url, match, origin, signal: closing.signal });
    }
    return Response.json({ error: `fault server: no route for ${request.method} ${path}` }, {
      status: 404,
    });
  });

  const port = await listening.promise;
  origin = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url: origin,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      closed ??= (() => {
        closing.abort();
        return server.shutdown();
      })(),
  };
}

/**
 * A responder with a status, optional body and headers.
 *
 * @example 429 with Retry-After
 * ```ts
 * import assert from "node:assert/strict";
 * import { startFaultServer, status } from "./fault_server.ts";
 *
 * const server = await startFaultServer(status(429, "slow down", { "retry-after": "1" }));
 * const res = await fetch(server.url);
 * assert.equal(await res.text(), "slow down");
 * assert.equal(res.headers.get("retry-after"), "1");
 * await server.close();
 * ```
 *
 * @param code The HTTP status.
 * @param body The body (default empty).
 * @param headers Extra headers.
 * @returns The responder.
 */
export function status(
  code: number,
  body: BodyInit = "",
  headers: HeadersInit = {},
): FaultResponder {
  return () => new Response(code === 204 || code === 304 ? null : body, { status: code, headers });
}

/**
 * A responder that never answers: the request hangs until the server closes (then it
 * answers 503, which a client that gave up never reads).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stall, startFaultServer } from "./fault_server.ts";
 *
 * const server = await startFaultServer(stall());
 * await assert.rejects(fetch(server.url, { signal: AbortSignal.timeout(50) }));
 * await server.close();
 * ```
 *
 * @returns The responder.
 */
export function stall(): FaultResponder {
  return (_request, { signal }) =>
    new Promise((resolve) => {
      const answer = () => resolve(new Response(null, { status: 503 }));
      if (signal.aborted) answer();
      else signal.addEventListener("abort", answer, { once: true });
    });
}

/**
 * A responder that sends headers and the first bytes of a body, then stalls mid-body until
 * the client gives up or the server closes (then the body ends short).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stallBody, startFaultServer } from "./fault_server.ts";
 *
 * const server = await startFaultServer(stallBody("partial"));
 * const res = await fetch(server.url, { signal: AbortSignal.timeout(100) });
 * assert.equal(res.status, 200);
 * await assert.rejects(res.text());
 * await server.close();
 * ```
 *
 * @param head The bytes sent before the stall.
 * @param headers Response headers (e.g. a `content-length` larger than `head`).
 * @returns The responder.
 */
export function stallBody(head: string | Uint8Array, headers: HeadersInit = {}): FaultResponder {
  const bytes = typeof head === "string" ? new TextEncoder().encode(head) : head;
  return (_request, { signal }) => {
    let end = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        end = () => {
          try {
            controller.close();
          } catch {
            // Already cancelled by the client.
          }
        };
        if (signal.aborted) end();
        else signal.addEventListener("abort", end, { once: true });
      },
      cancel() {
        signal.removeEventListener("abort", end);
      },
    });
    return new Response(body, { status: 200, headers });
  };
}
