/**
 * The local marketplace page of `provisioning ext ui`: a catalogue of every extension of
 * every source (search as you type with the ranking of `ext search`, filters by type,
 * source and "cached"), an extension page (sanitised README, versions with digests and
 * dates, manifest, file tree, commands to copy, "Pull"), and the cache. Served by
 * `Deno.serve` on 127.0.0.1 only; the one mutating action (`POST /pull`) carries a per-run
 * token; every response has a strict Content-Security-Policy.
 *
 * Signatures: {@linkcode SignatureLookup} is the seam where verified signatures become
 * badges; nothing is shown until one is passed.
 *
 * @example
 * ```ts
 * import { startUiServer } from "./mod.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const server = await startUiServer({ discovery: { config, home, source: "examples" } });
 * const res = await fetch(new URL("/search?q=kube", server.url));
 * assert.match((await res.json()).html, /kubernetes/);
 * await server.shutdown();
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./html.ts";
export * from "./security.ts";
export * from "./filter_catalogue.ts";
export * from "./render_markdown.ts";
export * from "./version_files.ts";
export * from "./extension_details.ts";
export * from "./workspace_lock.ts";
export * from "./start_ui_server.ts";
