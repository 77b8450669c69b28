/**
 * `POST /pull`: the marketplace's one mutating action. Only a form of the page (form
 * content type, small body) carrying the run's token is accepted (403 otherwise); the
 * version is pulled through the loader's pull path (`pullExtension`, as `ext pull`) and the
 * browser is sent back to the extension page (303). Private to `src/ui`.
 *
 * @module
 */

import type { DiscoverAllOptions } from "../discovery/discover_all.ts";
import { ProvisioningError } from "../errors.ts";
import { pullExtension } from "../loader/load.ts";
import { EXTENSION_TYPES, type ExtensionType } from "../manifest/types.ts";
import { respond } from "./_respond.ts";
import { PULLABLE_SOURCES } from "./pages/extension_page.ts";
import { extensionPath } from "./pages/layout.ts";
import { SECURITY_HEADERS, tokenMatches } from "./security.ts";

/** Largest POST body accepted. */
const MAX_BODY_BYTES = 16 * 1024;

/** What {@linkcode pullAction} needs. */
export interface PullActionOptions {
  /** The run's token. */
  token: string;
  /** Configuration and home of the run. */
  discovery: DiscoverAllOptions;
  /** Receives the loader's warnings. */
  onWarning: (message: string) => void;
}

/**
 * Handles `POST /pull`.
 *
 * @param request The request.
 * @param options Token, configuration, warnings.
 * @returns 303 to the extension page, or 403.
 * @throws {ProvisioningError} `USAGE` for missing fields; the loader's error when the pull fails.
 */
export async function pullAction(
  request: Request,
  options: PullActionOptions,
): Promise<Response> {
  const length = Number(request.headers.get("content-length") ?? "0");
  const kind = request.headers.get("content-type") ?? "";
  if (
    length > MAX_BODY_BYTES ||
    !/^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(kind)
  ) {
    await request.body?.cancel();
    return respond(403, "text/plain; charset=utf-8", "Forbidden: not a form of this page\n");
  }
  const form = await request.formData();
  const field = (key: string) => {
    const value = form.get(key);
    return typeof value === "string" ? value : "";
  };
  if (!tokenMatches(field("token"), options.token)) {
    return respond(403, "text/plain; charset=utf-8", "Forbidden: missing or wrong token\n");
  }
  const [name, type, version, source] = ["name", "type", "version", "source"].map(field);
  if (!isExtensionType(type) || !PULLABLE_SOURCES.includes(source!) || !name || !version) {
    throw new ProvisioningError("USAGE", "Pull needs a name, type, version and remote source");
  }
  const result = await pullExtension(type, name, version, {
    config: options.discovery.config,
    ...(options.discovery.home === undefined ? {} : { home: options.discovery.home }),
    sourceType: source as "oci",
    onWarning: options.onWarning,
  });
  if (!result.success) throw result.error;
  const target = `${extensionPath(source!, type, name, version)}&pulled=${
    encodeURIComponent(result.version ?? version)
  }`;
  return new Response(null, { status: 303, headers: { ...SECURITY_HEADERS, location: target } });
}

function isExtensionType(value: string | undefined): value is ExtensionType {
  return (EXTENSION_TYPES as readonly string[]).includes(value ?? "");
}
