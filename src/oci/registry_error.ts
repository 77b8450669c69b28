/**
 * Registry errors: an HTTP failure keeps its method, URL, status and the distribution spec's
 * `{"errors":[{code,message,detail}]}` list, and maps to a stable code — `AUTH_REFUSED`
 * (401/403), `NOT_FOUND` (404), `UNSUPPORTED` (405), `DIGEST_MISMATCH` / `SIZE_MISMATCH`
 * (the registry rejected our bytes), otherwise `REGISTRY_ERROR`.
 *
 * @module
 */

import { type ErrorCode, ProvisioningError, type ProvisioningErrorOptions } from "../errors.ts";
import { type AuthInfo, authRefusedError } from "./auth.ts";
import { discardBody, readBodyLimited } from "./http.ts";
import type { RegistryErrorEntry } from "./types.ts";

/** A registry answered with an error status. */
export class RegistryResponseError extends ProvisioningError {
  /** The request method. */
  readonly method: string;
  /** The request URL. */
  readonly url: string;
  /** The HTTP status. */
  readonly status: number;
  /** The registry's error entries (may be empty). */
  readonly errors: readonly RegistryErrorEntry[];

  /**
   * Builds the error.
   *
   * @param code Stable error code.
   * @param message One line.
   * @param request Method, URL, status and the registry's error entries.
   * @param options Hint, cause, details.
   */
  constructor(
    code: ErrorCode,
    message: string,
    request: { method: string; url: string; status: number; errors: readonly RegistryErrorEntry[] },
    options: ProvisioningErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = "RegistryResponseError";
    this.method = request.method;
    this.url = request.url;
    this.status = request.status;
    this.errors = request.errors;
  }
}

/** Context that makes a registry error message specific. */
export interface ErrorContext {
  /** What was attempted (`pull "ns/aws:1.0"`), used in auth messages. */
  what?: string;
  /** The message for a 404 (`Manifest "ns/aws:1.0" not found in registry "host"`). */
  notFound?: string;
  /** How the request was authenticated. */
  auth?: AuthInfo | undefined;
}

/**
 * Parses a registry's error body (`{"errors":[…]}`); anything else gives an empty list.
 *
 * @example
 * ```ts
 * import { parseErrorBody } from "./registry_error.ts";
 * import assert from "node:assert/strict";
 *
 * const body = '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}';
 * assert.equal(parseErrorBody(body)[0]?.code, "MANIFEST_UNKNOWN");
 * assert.deepEqual(parseErrorBody("<html>"), []);
 * ```
 *
 * @param text The body text.
 * @returns The entries.
 */
export function parseErrorBody(text: string): RegistryErrorEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const list = (doc as { errors?: unknown })?.errors;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item): RegistryErrorEntry[] => {
    if (typeof item !== "object" || item === null) return [];
    const { code, message, detail } = item as Record<string, unknown>;
    const entry: RegistryErrorEntry = {
      code: typeof code === "string" ? code : "UNKNOWN",
      message: typeof message === "string" ? message : "",
    };
    if (detail !== undefined) entry.detail = detail;
    return [entry];
  });
}

/** Registry error codes that reject our bytes: our code and what did not match. */
const REJECTED_CONTENT: readonly (readonly [string, ErrorCode, string])[] = [
  ["DIGEST_INVALID", "DIGEST_MISMATCH", "digest"],
  ["SIZE_INVALID", "SIZE_MISMATCH", "size"],
];

/**
 * Turns an error response into a {@linkcode RegistryResponseError} (consuming its body).
 *
 * @example
 * ```ts
 * import { registryResponseError } from "./registry_error.ts";
 * import assert from "node:assert/strict";
 *
 * const res = new Response('{"errors":[{"code":"UNSUPPORTED","message":"nope"}]}',
 *   { status: 405 });
 * const err = await registryResponseError("DELETE", new URL("http://r:5000/v2/a/manifests/x"),
 *   res);
 * assert.equal(err.code, "UNSUPPORTED");
 * assert.equal(err.status, 405);
 * ```
 *
 * @param method Request method.
 * @param url Request URL.
 * @param response The error response.
 * @param context Message context and auth info.
 * @returns The error (to be thrown).
 */
export async function registryResponseError(
  method: string,
  url: URL,
  response: Response,
  context: ErrorContext = {},
): Promise<RegistryResponseError> {
  let errors: RegistryErrorEntry[] = [];
  if (method !== "HEAD") {
    try {
      errors = parseErrorBody(new TextDecoder().decode(await readBodyLimited(response, 65536)));
    } catch {
      // Oversized or broken body: keep the status alone.
    }
  }
  await discardBody(response);
  const status = response.status;
  const request = { method, url: url.href, status, errors };
  const details = errors.map((e) => `${e.code}: ${e.message}`);
  const summary = details.length > 0 ? `: ${details[0]}` : "";
  const codes = new Set(errors.map((e) => e.code));

  if (status === 401 || status === 403) {
    const base = authRefusedError(url.host, context.auth, status, context.what);
    return new RegistryResponseError("AUTH_REFUSED", base.message, request, {
      ...(base.hint === undefined ? {} : { hint: base.hint }),
      details,
    });
  }
  if (status === 404 && context.notFound !== undefined) {
    return new RegistryResponseError("NOT_FOUND", context.notFound, request, { details });
  }
  if (status === 405 || codes.has("UNSUPPORTED")) {
    return new RegistryResponseError(
      "UNSUPPORTED",
      `Registry "${url.host}" does not support ${method} "${url.pathname}"${summary}`,
      request,
      { details },
    );
  }
  for (const [registryCode, code, what] of REJECTED_CONTENT) {
    if (!codes.has(registryCode)) continue;
    return new RegistryResponseError(
      code,
      `Registry "${url.host}" rejected the content of ${method} "${url.pathname}": ${what} does not match`,
      request,
      { details },
    );
  }
  const code: ErrorCode = status === 404 ? "NOT_FOUND" : "REGISTRY_ERROR";
  return new RegistryResponseError(
    code,
    `Registry "${url.host}" answered HTTP ${status} to ${method} "${url.pathname}"${summary}`,
    request,
    status >= 500 || status === 429
      ? { details, hint: "The registry is failing or overloaded; try again later" }
      : { details },
  );
}
