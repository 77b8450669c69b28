/**
 * Typed errors with a stable `code`, and the mapping from code to process exit code.
 *
 * Every failure the library reports is a {@linkcode ProvisioningError}. Callers match on
 * `error.code` (stable, part of the public contract), never on the message text. Only
 * `main.ts` turns an error into an exit code and calls `Deno.exit`.
 *
 * Exit codes: 0 ok · 1 unexpected · 2 bad input/usage (also a cache folder that cannot be
 * used: not the cache's own, read-only or full) · 3 not found ·
 * 4 registry/network unreachable or auth refused · 5 integrity or security check failed
 * (also a hook whose permissions were not approved) · 6 an extension's hook failed.
 *
 * @module
 */

/** Stable error codes, grouped by the exit code they map to. */
export const ERROR_EXIT_CODES = {
  // 1: unexpected
  INTERNAL: 1,
  // 2: bad input or usage
  USAGE: 2,
  INVALID_VERSION_SPEC: 2,
  INVALID_VERSION: 2,
  INVALID_MANIFEST: 2,
  INVALID_CONFIG: 2,
  INVALID_REFERENCE: 2,
  INVALID_EXTENSION: 2,
  ALREADY_EXISTS: 2,
  TYPE_MISMATCH: 2,
  UNSUPPORTED: 2,
  CACHE_ROOT_NOT_OWNED: 2,
  CACHE_READ_ONLY: 2,
  CACHE_NO_SPACE: 2,
  DEPENDENCY_CYCLE: 2,
  INVALID_KEY: 2,
  // 3: not found
  NOT_FOUND: 3,
  VERSION_NOT_FOUND: 3,
  DEPENDENCY_CONFLICT: 3,
  // 4: registry or network unreachable, auth refused
  UNREACHABLE: 4,
  TIMEOUT: 4,
  AUTH_REFUSED: 4,
  REGISTRY_ERROR: 4,
  RATE_LIMITED: 4,
  CREDENTIAL_HELPER: 4,
  // 5: integrity or security
  DIGEST_MISMATCH: 5,
  SIZE_MISMATCH: 5,
  UNSAFE_ARCHIVE: 5,
  INSECURE_TRANSPORT: 5,
  REGISTRY_BLOCKED: 5,
  INTEGRITY: 5,
  UNSIGNED: 5,
  SIGNATURE_INVALID: 5,
  UNTRUSTED_SIGNER: 5,
  HOOK_NOT_APPROVED: 5,
  HOOKS_DISABLED: 5,
  // 6: an extension's hook failed (threw, timed out, exceeded memory, returned non-JSON)
  HOOK_FAILED: 6,
} as const;

/** A stable error code; see {@linkcode ERROR_EXIT_CODES} for the exit code of each. */
export type ErrorCode = keyof typeof ERROR_EXIT_CODES;

/** Process exit codes of the CLI contract. */
export type ExitCode = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Options for {@linkcode ProvisioningError}. */
export interface ProvisioningErrorOptions {
  /** One line telling the user what to do next. */
  hint?: string;
  /** The underlying error, kept for `--debug`. */
  cause?: unknown;
  /** Further detail lines (for example every problem found in a manifest). */
  details?: readonly string[];
}

/**
 * The base error of the library: a message for humans and a stable `code` for programs.
 *
 * @example Match on the code, not the message
 * ```ts
 * import { ProvisioningError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new ProvisioningError("NOT_FOUND", 'Extension "aws" not found');
 * assert.equal(err.code, "NOT_FOUND");
 * assert.equal(err.exitCode, 3);
 * ```
 */
export class ProvisioningError extends Error {
  /** Stable, machine-readable code. */
  readonly code: ErrorCode;
  /** One line telling the user what to do next, if any. */
  readonly hint: string | undefined;
  /** Further detail lines, if any. */
  readonly details: readonly string[];

  /**
   * @param code Stable error code.
   * @param message One clear line: sentence case, no final period, values quoted.
   * @param options Hint, cause and detail lines.
   */
  constructor(code: ErrorCode, message: string, options: ProvisioningErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProvisioningError";
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }

  /** The process exit code this error maps to. */
  get exitCode(): ExitCode {
    return ERROR_EXIT_CODES[this.code];
  }
}

/**
 * Returns true when `value` is a {@linkcode ProvisioningError}, optionally with a given code.
 *
 * @example
 * ```ts
 * import { isProvisioningError, ProvisioningError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const err = new ProvisioningError("TIMEOUT", "Request timed out");
 * assert.ok(isProvisioningError(err, "TIMEOUT"));
 * assert.ok(!isProvisioningError(new Error("x")));
 * ```
 *
 * @param value Anything caught.
 * @param code When given, the error must also carry this code.
 * @returns Whether `value` is such an error.
 */
export function isProvisioningError(
  value: unknown,
  code?: ErrorCode,
): value is ProvisioningError {
  return value instanceof ProvisioningError && (code === undefined || value.code === code);
}

/**
 * The exit code for anything thrown: a {@linkcode ProvisioningError}'s own, otherwise 1.
 *
 * @example
 * ```ts
 * import { exitCodeOf, ProvisioningError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(exitCodeOf(new ProvisioningError("DIGEST_MISMATCH", "Bad digest")), 5);
 * assert.equal(exitCodeOf(new TypeError("boom")), 1);
 * ```
 *
 * @param error Anything caught.
 * @returns The exit code of the CLI contract.
 */
export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof ProvisioningError ? error.exitCode : 1;
}
