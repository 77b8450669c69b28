/**
 * Parsing of `WWW-Authenticate` headers (RFC 7235): several challenges per header, quoted
 * values with commas and backslash escapes, case-insensitive scheme and parameter names.
 *
 * @module
 */

/** One authentication challenge. */
export interface AuthChallenge {
  /** Lower-case scheme (`basic`, `bearer`). */
  scheme: string;
  /** Parameters with lower-case names (`realm`, `service`, `scope`, `error`). */
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/**
 * Parses a `WWW-Authenticate` header value into its challenges.
 *
 * @example
 * ```ts
 * import { parseChallenges } from "./challenge.ts";
 * import assert from "node:assert/strict";
 *
 * const [bearer] = parseChallenges(
 *   'Bearer realm="https://auth.example/token",service="reg",scope="repository:a/b:pull,push"',
 * );
 * assert.equal(bearer?.scheme, "bearer");
 * assert.equal(bearer?.params.scope, "repository:a/b:pull,push");
 * ```
 *
 * @param header The header value (`null` gives no challenges).
 * @returns The challenges in order; malformed trailing input is ignored.
 */
export function parseChallenges(header: string | null): AuthChallenge[] {
  if (header === null) return [];
  const challenges: AuthChallenge[] = [];
  let pos = 0;
  const skip = (chars: RegExp) => {
    while (pos < header.length && chars.test(header[pos]!)) pos++;
  };
  const token = (): string => {
    const start = pos;
    while (pos < header.length && TOKEN_CHAR.test(header[pos]!)) pos++;
    return header.slice(start, pos);
  };
  const quoted = (): string => {
    let out = "";
    pos++; // opening quote
    while (pos < header.length && header[pos] !== '"') {
      if (header[pos] === "\\" && pos + 1 < header.length) pos++;
      out += header[pos];
      pos++;
    }
    pos++; // closing quote
    return out;
  };

  while (pos < header.length) {
    skip(/[\s,]/);
    const scheme = token();
    if (scheme === "") break;
    const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    skip(/\s/);
    while (pos < header.length) {
      const mark = pos;
      const name = token();
      skip(/\s/);
      if (name === "" || header[pos] !== "=") {
        // Not a parameter: the next challenge's scheme (token68 values are not needed).
        pos = mark;
        break;
      }
      pos++; // "="
      skip(/\s/);
      const value = header[pos] === '"' ? quoted() : token();
      challenge.params[name.toLowerCase()] = value;
      skip(/\s/);
      if (header[pos] === ",") {
        pos++;
        skip(/[\s,]/);
      } else break;
    }
  }
  return challenges;
}
