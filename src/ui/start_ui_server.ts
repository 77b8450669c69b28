/**
 * The marketplace web server of `ext ui`: `Deno.serve` on 127.0.0.1, pages rendered on the
 * server from the library (discovery, search ranking, info, cache), one POST action
 * (`/pull`, through the loader's pull path) guarded by the run's token.
 *
 * Routes: `GET /` catalogue · `GET /search` cards and count as JSON (search as you type) ·
 * `GET /ext/SOURCE/TYPE/NAME[?version=V]` extension page · `GET /cache` cache page ·
 * `POST /pull` pull one version into the cache · `GET /assets/ui.css`, `/assets/ui.js`.
 *
 * @module
 */

import type { DiscoverAllOptions } from "../discovery/discover_all.ts";
import { EXTENSION_TYPES, type ExtensionType } from "../manifest/types.ts";
import { getCacheStats, listCached } from "../cache/list.ts";
import { catalogueSnapshot } from "./_catalogue_snapshot.ts";
import { listenOnLoopback } from "./_listen_on_loopback.ts";
import { pullAction } from "./_pull_action.ts";
import { errorPage, respond, statusOf } from "./_respond.ts";
import { CLIENT_SCRIPT } from "./assets/client_script.ts";
import { STYLESHEET } from "./assets/stylesheet.ts";
import { extensionDetails } from "./extension_details.ts";
import { filterCatalogue, readCatalogueQuery } from "./filter_catalogue.ts";
import { cachePage } from "./pages/cache_page.ts";
import { cataloguePage, resultParts } from "./pages/catalogue_page.ts";
import { extensionPage } from "./pages/extension_page.ts";
import { renderMarkdown } from "./render_markdown.ts";
import { isLocalRequest, newToken } from "./security.ts";
import type { SignatureBadges, SignatureLookup } from "./types.ts";
import type { WorkspaceLockReader } from "./workspace_lock.ts";

/** The only address the server listens on. */
export const UI_HOSTNAME = "127.0.0.1";

/** Options of {@linkcode startUiServer}. */
export interface UiServerOptions {
  /** Discovery options of the run: configuration, home, source, warnings. */
  discovery: DiscoverAllOptions;
  /** Port on 127.0.0.1; 0 (default) lets the system choose. */
  port?: number;
  /** The run's token (default: a fresh random one). */
  token?: string;
  /** The signature seam (default: no badges). */
  signatures?: SignatureLookup;
  /** Reads the workspace's lock, shown on extension pages (default: none). */
  workspaceLock?: WorkspaceLockReader;
  /** Receives one line per failed request (logged to stderr by `ext ui`). */
  onError?: (message: string) => void;
  /** Aborting it stops the server. */
  signal?: AbortSignal;
}

/** A running server. */
export interface UiServer {
  /** `http://127.0.0.1:PORT/`. */
  url: string;
  port: number;
  /** The token POSTs must carry. */
  token: string;
  /** Stops accepting requests and waits for those in flight. */
  shutdown(): Promise<void>;
  /** Settles when the server has stopped. */
  finished: Promise<void>;
}

/**
 * Starts the marketplace server on 127.0.0.1.
 *
 * @example
 * ```ts
 * import { startUiServer } from "./start_ui_server.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const server = await startUiServer({ discovery: { config, home, source: "examples" } });
 * const page = await (await fetch(server.url)).text();
 * assert.match(page, /kubernetes/);
 * const refused = await fetch(new URL("/pull", server.url), { method: "POST", body: new URLSearchParams({ name: "x" }) });
 * assert.equal(refused.status, 403);
 * await refused.body?.cancel();
 * await server.shutdown();
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param options Discovery options, port, token, signature seam.
 * @returns The running server.
 * @throws {ProvisioningError} `USAGE` when the port is taken or not allowed.
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const token = options.token ?? newToken();
  const catalogue = catalogueSnapshot(options.discovery);
  const signaturesOf = options.signatures ?? (() => Promise.resolve(new Map()));
  const onError = options.onError ?? (() => {});
  let port = 0;
  const handler = async (request: Request): Promise<Response> => {
    if (!isLocalRequest(request, port)) {
      return respond(403, "text/plain; charset=utf-8", "Forbidden: not a local request\n");
    }
    try {
      return await route(request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      onError(`${request.method} ${new URL(request.url).pathname}: ${message}`);
      const status = statusOf(error);
      return respond(status, "text/html; charset=utf-8", errorPage(status, message));
    }
  };
  const route = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname;
    if (request.method === "POST") {
      if (path !== "/pull") return respond(404, "text/plain; charset=utf-8", "Not found\n");
      const response = await pullAction(request, {
        token,
        discovery: options.discovery,
        onWarning: (message) => onError(`warning: ${message}`),
      });
      if (response.status === 303) catalogue.invalidate();
      return response;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return respond(405, "text/plain; charset=utf-8", "Method not allowed\n", {
        allow: "GET, POST",
      });
    }
    if (path === "/assets/ui.css") return respond(200, "text/css; charset=utf-8", STYLESHEET);
    if (path === "/assets/ui.js") {
      return respond(200, "text/javascript; charset=utf-8", CLIENT_SCRIPT);
    }
    if (path === "/" || path === "/search") {
      const query = readCatalogueQuery(url.searchParams);
      const result = await catalogue.get();
      const shown = filterCatalogue(result.extensions, query);
      const signatures = await signaturesOf(shown);
      if (path === "/search") {
        const parts = resultParts(shown, result.extensions.length, signatures);
        return respond(
          200,
          "application/json",
          JSON.stringify({ count: parts.count, html: parts.html.html }),
        );
      }
      return respond(
        200,
        "text/html; charset=utf-8",
        cataloguePage({
          query,
          shown,
          all: result.extensions,
          sources: result.sources,
          warnings: result.warnings,
          signatures,
        }),
      );
    }
    if (path === "/cache") {
      const root = options.discovery.config.settings.cache.dir;
      const [stats, entries] = await Promise.all([getCacheStats(root), listCached(root)]);
      return respond(200, "text/html; charset=utf-8", cachePage(stats, entries));
    }
    const ext = /^\/ext\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
    if (ext !== null) return await extensionResponse(url, ext.slice(1).map(decodeURIComponent));
    return respond(404, "text/html; charset=utf-8", errorPage(404, `No page at ${path}`));
  };
  const extensionResponse = async (url: URL, [source, type, name]: string[]) => {
    const result = await catalogue.get();
    const version = url.searchParams.get("version") ?? undefined;
    const details = await extensionDetails(options.discovery, {
      name: name!,
      type: isExtensionType(type) ? type : undefined,
      source: source as DiscoverAllOptions["source"],
      version,
    });
    const readme = details.files?.readme === undefined
      ? undefined
      : await renderMarkdown(details.files.readme);
    const { info } = details;
    const entry = result.extensions.find((e) =>
      e.name === info.name && e.type === info.type && e.source === info.source
    );
    const signatures: SignatureBadges = entry === undefined
      ? new Map()
      : await signaturesOf([{ ...entry, version: info.version }]);
    const pulled = url.searchParams.get("pulled");
    const lock = await options.workspaceLock?.().catch((error: unknown) => {
      onError(error instanceof Error ? error.message : String(error));
      return undefined;
    });
    const locked = lock?.extensions.find((e) => e.name === info.name && e.type === info.type);
    return respond(
      200,
      "text/html; charset=utf-8",
      extensionPage({
        details,
        readme,
        token,
        catalogue: result.extensions,
        notice: pulled === null ? undefined : `Pulled ${info.name} ${pulled} into the cache`,
        signed: signatures.get(`${info.source}/${info.type}/${info.name}@${info.version}`),
        locked: locked === undefined || lock === undefined
          ? undefined
          : { file: lock.file, version: locked.version, digest: locked.digest },
      }),
    );
  };
  const server = await listenOnLoopback(UI_HOSTNAME, options.port ?? 0, handler, options.signal);
  port = server.addr.port;
  return {
    url: `http://${UI_HOSTNAME}:${port}/`,
    port,
    token,
    shutdown: () => server.shutdown(),
    finished: server.finished,
  };
}

function isExtensionType(value: string | undefined): value is ExtensionType {
  return (EXTENSION_TYPES as readonly string[]).includes(value ?? "");
}
