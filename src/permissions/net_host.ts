/**
 * `host:port` entries for `--allow-net`, always with a port, so a grant never covers other
 * services on the same host.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { registryBaseUrl, splitRegistrySetting, type TransportSettings } from "../oci/transport.ts";

/**
 * The `--allow-net` entry of a URL: `hostname:port`, with the scheme's default port when
 * the URL has none (443 for `https`, 80 for `http`, 9418 for `git`).
 *
 * @example
 * ```ts
 * import { netHostOfUrl } from "./net_host.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(netHostOfUrl(new URL("https://Gitea.example.com/")), "gitea.example.com:443");
 * assert.equal(netHostOfUrl(new URL("http://127.0.0.1:3000/api")), "127.0.0.1:3000");
 * assert.equal(netHostOfUrl(new URL("http://[::1]/")), "[::1]:80");
 * ```
 *
 * @param url An `http`, `https` or `git` URL.
 * @returns `hostname:port`.
 * @throws {ProvisioningError} `INVALID_CONFIG` for another scheme or a URL without host.
 */
export function netHostOfUrl(url: URL): string {
  const defaults: Record<string, string> = { "https:": "443", "http:": "80", "git:": "9418" };
  const fallback = defaults[url.protocol];
  if (fallback === undefined || url.hostname === "") {
    throw new ProvisioningError(
      "INVALID_CONFIG",
      `Cannot grant network access for "${url.protocol}//${url.host}": expected an http, https or git URL`,
    );
  }
  return `${url.hostname.toLowerCase()}:${url.port === "" ? fallback : url.port}`;
}

/**
 * The `--allow-net` entry of a registry, with the scheme the OCI client will use for it
 * (plain HTTP only for loopback or `insecure`, HTTPS when `ca_file` is set for the default
 * registry) and that scheme's default port when none is written.
 *
 * @example
 * ```ts
 * import { registryNetHost } from "./net_host.ts";
 * import assert from "node:assert/strict";
 *
 * const settings = { registry: "localhost:5000", insecure: false };
 * assert.equal(registryNetHost("ghcr.io", settings), "ghcr.io:443");
 * assert.equal(registryNetHost("localhost", settings), "localhost:80");
 * assert.equal(registryNetHost("localhost:5000", settings), "localhost:5000");
 * ```
 *
 * @param registry `host[:port]`, optionally with a scheme (`https://reg.example.com`).
 * @param settings `[oci] registry`, `insecure` and `ca_file`.
 * @returns `hostname:port`.
 * @throws {ProvisioningError} `INVALID_CONFIG` when the transport policy refuses the registry.
 */
export function registryNetHost(registry: string, settings: TransportSettings): string {
  const { host } = splitRegistrySetting(registry);
  return netHostOfUrl(registryBaseUrl(host.split("/")[0]!, settings));
}

/**
 * The `--allow-net` entry of an `[oci] redirect_hosts` entry: `host:port` as written, and
 * `host:443` when no port is written. Deno's `--allow-net=host` would allow every port of
 * the host; a redirect target is reached over HTTPS (the client refuses a step down from
 * HTTPS to HTTP), so a bare host means HTTPS's port and nothing more. A target on another
 * port (or a plain HTTP one, for a loopback or `insecure` registry) is written with its port.
 *
 * @example
 * ```ts
 * import { redirectNetHost } from "./net_host.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(redirectNetHost("pkg-containers.githubusercontent.com"), "pkg-containers.githubusercontent.com:443");
 * assert.equal(redirectNetHost("CDN.example.com:8443"), "cdn.example.com:8443");
 * assert.equal(redirectNetHost("[::1]:9000"), "[::1]:9000");
 * ```
 *
 * @param host `host` or `host:port` (checked by the config schema).
 * @returns `hostname:port`.
 * @throws {ProvisioningError} `INVALID_CONFIG` when `host` is not a host name with an
 *   optional port.
 */
export function redirectNetHost(host: string): string {
  const [, name = "", port] = /^(.*?)(?::(\d{1,5}))?$/.exec(host) ?? [];
  const url = URL.parse(`https://${name}/`);
  const portNumber = port === undefined ? 443 : Number(port);
  if (
    url === null || url.hostname === "" || url.host !== name.toLowerCase() ||
    portNumber < 1 || portNumber > 65535
  ) {
    throw new ProvisioningError(
      "INVALID_CONFIG",
      `Cannot grant network access for redirect host "${host}": expected host[:port]`,
    );
  }
  return `${url.hostname}:${portNumber}`;
}
