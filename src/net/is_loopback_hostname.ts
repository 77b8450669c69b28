/**
 * Whether a URL hostname is a loopback address: `localhost`, `127.0.0.0/8` or `::1`
 * (bracketed or not). Plain `http://` and `git://` traffic is accepted without question only
 * to these hosts.
 *
 * @example
 * ```ts
 * import { isLoopbackHostname } from "./is_loopback_hostname.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isLoopbackHostname(new URL("http://127.0.0.9:3000").hostname));
 * assert.ok(isLoopbackHostname(new URL("http://[::1]:3000").hostname));
 * assert.ok(isLoopbackHostname("localhost"));
 * assert.ok(!isLoopbackHostname("127.0.0.1.example.com"));
 * assert.ok(!isLoopbackHostname("gitea.example.com"));
 * ```
 *
 * @param hostname A hostname as `URL.hostname` gives it (no port).
 * @returns True for loopback hosts.
 */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (name === "localhost" || name === "::1" || name === "0:0:0:0:0:0:0:1") return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  return v4 !== null && v4.slice(1).every((part) => Number(part) <= 255);
}
