/**
 * Client for Gitea and Forgejo servers, the `gitea` source's lower layer: each repository of
 * an organisation is an extension, its semver tags are the versions, and the tree at a tag is
 * the content. Only the documented REST API over `fetch` is used — no git binary — with
 * pagination, bounded concurrency, timeouts, `Authorization: token …` and HTTPS unless the
 * host is loopback.
 *
 * Archives come from `GET /repos/{owner}/{repo}/archive/{commit}.tar.gz`: tar+gzip with one
 * top-level folder (`{repo}/`, lower case, or none when the server disables
 * `PREFIX_ARCHIVE_FILES`); the extractor strips it, then applies the sub-path.
 *
 * @example
 * ```ts
 * import { createGiteaClient, giteaBaseUrl } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(giteaBaseUrl("http://localhost:3000/").href, "http://localhost:3000/");
 * const client = createGiteaClient({ url: "https://git.example.com", organization: "exts" });
 * assert.equal(client.organization, "exts");
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./gitea_base_url.ts";
export * from "./create_gitea_client.ts";
