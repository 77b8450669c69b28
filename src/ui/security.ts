/**
 * The page's defences: the response headers (a Content-Security-Policy that allows only
 * this origin's stylesheet and script, no inline script, no framing), the `Host` check that
 * stops DNS rebinding (a page on another name resolving to 127.0.0.1 cannot read ours, so
 * cannot learn the token), and the per-run token every POST must carry.
 *
 * @module
 */

/** The Content-Security-Policy of every response. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers set on every response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "cache-control": "no-store",
};

/**
 * A fresh random token for one run (32 bytes, hex).
 *
 * @example
 * ```ts
 * import { newToken } from "./security.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(newToken(), /^[0-9a-f]{64}$/);
 * assert.notEqual(newToken(), newToken());
 * ```
 *
 * @returns The token.
 */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Compares a token without leaking how much of it matched through timing.
 *
 * @example
 * ```ts
 * import { tokenMatches } from "./security.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(tokenMatches("abc", "abc"), true);
 * assert.equal(tokenMatches("abd", "abc"), false);
 * assert.equal(tokenMatches(null, "abc"), false);
 * ```
 *
 * @param given The token the request carried.
 * @param expected The run's token.
 * @returns Whether they are equal.
 */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== "string" || given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}

/**
 * Whether a request's `Host` names this server on loopback (`127.0.0.1:PORT` or
 * `localhost:PORT`), and its `Origin`, when sent, is one of those too.
 *
 * @example
 * ```ts
 * import { isLocalRequest } from "./security.ts";
 * import assert from "node:assert/strict";
 *
 * const req = (headers: Record<string, string>) => new Request("http://127.0.0.1:8080/", { headers });
 * assert.equal(isLocalRequest(req({ host: "127.0.0.1:8080" }), 8080), true);
 * assert.equal(isLocalRequest(req({ host: "evil.example:8080" }), 8080), false);
 * assert.equal(isLocalRequest(req({ host: "localhost:8080", origin: "https://evil.example" }), 8080), false);
 * ```
 *
 * @param request The request.
 * @param port The port the server listens on.
 * @returns Whether to serve it.
 */
export function isLocalRequest(request: Request, port: number): boolean {
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = request.headers.get("host");
  if (host === null || !allowed.includes(host.toLowerCase())) return false;
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  return allowed.some((a) => origin.toLowerCase() === `http://${a}`);
}
