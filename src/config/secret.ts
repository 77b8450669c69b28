/**
 * A wrapper that keeps secret values (tokens) out of every printed form.
 *
 * @module
 */

/**
 * A secret value (a token) that never prints: `JSON.stringify`, `String()` and
 * `Deno.inspect` all show `[redacted]`; only {@linkcode Secret.reveal} returns the value.
 *
 * @example
 * ```ts
 * import { Secret } from "./secret.ts";
 * import assert from "node:assert/strict";
 *
 * const token = new Secret("s3cr3t");
 * assert.equal(token.reveal(), "s3cr3t");
 * assert.equal(JSON.stringify({ token }), '{"token":"[redacted]"}');
 * assert.equal(`${token}`, "[redacted]");
 * ```
 */
export class Secret {
  #value: string;

  /**
   * Wraps a secret.
   *
   * @param value The secret itself.
   */
  constructor(value: string) {
    this.#value = value;
  }

  /**
   * The secret itself; call it only where the value is sent (an HTTP header).
   *
   * @returns The secret value.
   */
  reveal(): string {
    return this.#value;
  }

  /**
   * Keeps the secret out of `JSON.stringify`.
   *
   * @returns `[redacted]`.
   */
  toJSON(): string {
    return "[redacted]";
  }

  /**
   * Keeps the secret out of string conversion.
   *
   * @returns `[redacted]`.
   */
  toString(): string {
    return "[redacted]";
  }

  /**
   * Keeps the secret out of `console.log` and `Deno.inspect`.
   *
   * @returns `[redacted]`.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return "[redacted]";
  }
}
