/**
 * The tool's version (deno.json `"version"`, one source of truth) and the `User-Agent` every
 * HTTP request of the project carries.
 *
 * deno.json is imported as a JSON module: it is part of the module graph (bundled and
 * compiled with the code), so reading it needs no permission at run time.
 *
 * @module
 */

import denoJson from "../deno.json" with { type: "json" };

/**
 * The version of `provisioning` (deno.json `"version"`).
 *
 * @example
 * ```ts
 * import { VERSION } from "./version.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(VERSION, /^\d+\.\d+\.\d+/);
 * ```
 */
export const VERSION: string = denoJson.version;

/**
 * The `User-Agent` header of every request to registries, Gitea and token services:
 * `provisioning-ext/<VERSION>`.
 *
 * @example
 * ```ts
 * import { USER_AGENT, VERSION } from "./version.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(USER_AGENT, `provisioning-ext/${VERSION}`);
 * ```
 */
export const USER_AGENT: string = `provisioning-ext/${VERSION}`;
