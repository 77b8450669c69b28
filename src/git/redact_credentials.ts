/**
 * Replaces the user-info part of every URL in `text` (`https://user:pass@host`,
 * `https://token@host`) with `***`, so credentials embedded in a remote never reach an error
 * message, a log line or the cache index.
 *
 * @example
 * ```ts
 * import { redactCredentials } from "./redact_credentials.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   redactCredentials("fatal: unable to access 'https://alice:s3cret@git.example.com/x.git/'"),
 *   "fatal: unable to access 'https://***@git.example.com/x.git/'",
 * );
 * assert.equal(redactCredentials("git://127.0.0.1/x.git"), "git://127.0.0.1/x.git");
 * ```
 *
 * @param text Any text that may contain URLs.
 * @returns The text with every URL's user-info replaced by `***`.
 */
export function redactCredentials(text: string): string {
  // Greedy up to the last `@` before the path, so a raw `@` inside a password is covered too.
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#'"]*@/gi, "$1***@");
}
