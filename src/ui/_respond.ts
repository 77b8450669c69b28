/**
 * Responses of the marketplace server: every one with the security headers, error pages
 * with the status an error's code maps to. Private to `src/ui`.
 *
 * @module
 */

import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { html } from "./html.ts";
import { page } from "./pages/layout.ts";
import { SECURITY_HEADERS } from "./security.ts";

/** The HTTP status of an error: 404 not found, 400 bad input, 502 registry, else 500. */
export function statusOf(error: unknown): number {
  if (isProvisioningError(error, "NOT_FOUND") || isProvisioningError(error, "VERSION_NOT_FOUND")) {
    return 404;
  }
  if (error instanceof ProvisioningError) {
    return error.exitCode === 2 ? 400 : error.exitCode === 4 ? 502 : 500;
  }
  return 500;
}

/** The error page (the message escaped). */
export function errorPage(status: number, message: string): string {
  return page(
    `Error ${status}`,
    "",
    html`
      <h1>Error ${status}</h1>
      <p class="notice error" id="error">${message}</p>
      <p><a href="/">Back to the catalogue</a></p>
    `,
  );
}

/** A response with the security headers. */
export function respond(
  status: number,
  contentType: string,
  body: string,
  extra: Record<string, string> = {},
): Response {
  return new Response(body, {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": contentType, ...extra },
  });
}
