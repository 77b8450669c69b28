/**
 * Transport policy: which scheme a registry is spoken to with. Plain HTTP is used only for a
 * loopback registry (`localhost`, `127.0.0.0/8`, `::1`) or when `[oci] insecure = true`;
 * everything else is HTTPS. The default registry is spoken to over HTTPS even on loopback
 * when `[oci] ca_file` is set (a CA only makes sense for TLS) or when the registry value
 * is written with `https://` (library callers; the config file takes `host[:port]` only).
 * The client never falls back from HTTPS to HTTP.
 *
 * Refusals and their codes:
 * - `http://` written for a non-loopback registry without `insecure`: a configuration
 *   mistake, `INVALID_CONFIG` (exit 2), raised before anything is sent.
 * - a server steering us to plain HTTP (a redirect from HTTPS, a token realm on a remote
 *   `http://` host) or a TLS certificate that does not verify: a failed security check,
 *   `INSECURE_TRANSPORT` (exit 5).
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { isLoopbackHostname } from "../net/is_loopback_hostname.ts";

/** A `[oci] registry` value split into an optional scheme and `host[:port]`. */
export interface RegistrySetting {
  /** The scheme written in the setting, if any. */
  scheme: "http" | "https" | undefined;
  /** `host[:port]`, lower case, no trailing slash. */
  host: string;
}

/**
 * Splits a registry setting (`host:port`, `https://host`, `http://127.0.0.1:5000/`) into
 * scheme and host.
 *
 * @example
 * ```ts
 * import { splitRegistrySetting } from "./transport.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(splitRegistrySetting("https://Reg.Example.com/"), {
 *   scheme: "https",
 *   host: "reg.example.com",
 * });
 * assert.deepEqual(splitRegistrySetting("localhost:5000"), {
 *   scheme: undefined,
 *   host: "localhost:5000",
 * });
 * assert.equal(splitRegistrySetting("oci://ghcr.io").host, "ghcr.io");
 * ```
 *
 * @param value The setting as written.
 * @returns Scheme (if written) and host.
 */
export function splitRegistrySetting(value: string): RegistrySetting {
  // `oci://host` (Helm's and ORAS's spelling) names the host and leaves the scheme open.
  const trimmed = value.trim().replace(/^oci:\/\//i, "");
  const match = /^(https?):\/\/(.*)$/i.exec(trimmed);
  const scheme = match ? (match[1]!.toLowerCase() as "http" | "https") : undefined;
  const host = (match ? match[2]! : trimmed).replace(/\/+$/, "").toLowerCase();
  return { scheme, host };
}

/**
 * The registry a command's REGISTRY argument names: `oci://host/anything` is `host`
 * (credentials and reachability belong to a registry, not a repository); other spellings
 * (`host:port`, `https://host`) are kept as written.
 *
 * @example
 * ```ts
 * import { registryArgument } from "./transport.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(registryArgument("oci://ghcr.io/acme/exts"), "ghcr.io");
 * assert.equal(registryArgument("https://reg.example.com"), "https://reg.example.com");
 * ```
 *
 * @param typed The registry as typed.
 * @returns The registry setting to use.
 */
export function registryArgument(typed: string): string {
  const match = /^oci:\/\/([^/]+)/i.exec(typed.trim());
  return match === null ? typed : match[1]!;
}

/**
 * Whether a host (with or without port) is a loopback address: `localhost`,
 * `127.0.0.0/8` or `::1`.
 *
 * @example
 * ```ts
 * import { isLoopbackHost } from "./transport.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isLoopbackHost("127.0.0.1:5000"));
 * assert.ok(isLoopbackHost("[::1]:5000"));
 * assert.ok(isLoopbackHost("localhost"));
 * assert.ok(!isLoopbackHost("registry.example.com"));
 * assert.ok(!isLoopbackHost("127.0.0.1.example.com"));
 * ```
 *
 * @param host `host[:port]` or a bracketed IPv6 literal.
 * @returns True for loopback hosts.
 */
export function isLoopbackHost(host: string): boolean {
  return isLoopbackHostname(hostnameOf(host));
}

/** The settings the transport policy depends on. */
export interface TransportSettings {
  /** `[oci] registry` (may carry a scheme). */
  registry: string;
  /** `[oci] insecure`. */
  insecure: boolean;
  /** `[oci] ca_file`: when set, the default registry is spoken to over HTTPS. */
  ca_file?: string | undefined;
}

/**
 * The base URL (`scheme://host/`) to reach a registry with, applying the transport policy.
 *
 * @example
 * ```ts
 * import { registryBaseUrl } from "./transport.ts";
 * import assert from "node:assert/strict";
 *
 * const settings = { registry: "localhost:5000", insecure: false };
 * assert.equal(registryBaseUrl("127.0.0.1:5000", settings).href, "http://127.0.0.1:5000/");
 * assert.equal(registryBaseUrl("ghcr.io", settings).href, "https://ghcr.io/");
 * ```
 *
 * @param registry `host[:port]` of the registry to reach.
 * @param settings `[oci] registry` and `insecure`.
 * @returns The base URL.
 * @throws {ProvisioningError} `INVALID_CONFIG` when `[oci] registry` asks for `http://` on a
 *   non-loopback host without `insecure = true`.
 */
export function registryBaseUrl(registry: string, settings: TransportSettings): URL {
  const configured = splitRegistrySetting(settings.registry);
  const host = registry.toLowerCase();
  if (host.includes("@") || configured.host.includes("@")) {
    throw new ProvisioningError(
      "INVALID_CONFIG",
      "Registry addresses must not contain credentials (user:password@)",
      { hint: "Remove them and use provisioning ext login or [oci] auth_token_path" },
    );
  }
  let scheme: "http" | "https";
  if (configured.host === host && configured.scheme !== undefined) {
    scheme = configured.scheme;
    if (scheme === "http" && !settings.insecure && !isLoopbackHost(host)) {
      throw new ProvisioningError(
        "INVALID_CONFIG",
        `Refusing plain HTTP to registry "${host}": only loopback registries may use http://`,
        { hint: "Use https:// or set [oci] insecure = true if this registry really has no TLS" },
      );
    }
  } else if (
    configured.host === host && settings.ca_file !== undefined && settings.ca_file !== ""
  ) {
    scheme = "https";
  } else {
    scheme = isLoopbackHost(host) || settings.insecure ? "http" : "https";
  }
  return new URL(`${scheme}://${host}/`);
}

/**
 * Checks a URL the registry sent us to (a token realm or a redirect) against the policy:
 * plain HTTP only to loopback hosts or with `insecure`, and never a step down from HTTPS.
 *
 * @example
 * ```ts
 * import { checkUrlTransport } from "./transport.ts";
 * import assert from "node:assert/strict";
 *
 * checkUrlTransport(new URL("http://127.0.0.1:9/token"), false);
 * assert.throws(
 *   () => checkUrlTransport(new URL("http://auth.example.com/token"), false),
 *   { code: "INSECURE_TRANSPORT" },
 * );
 * ```
 *
 * @param url The URL about to be contacted.
 * @param insecure `[oci] insecure`.
 * @param from The URL that pointed here (a redirect's origin), if any.
 * @throws {ProvisioningError} `INSECURE_TRANSPORT` (exit 5) when the URL breaks the policy.
 */
export function checkUrlTransport(url: URL, insecure: boolean, from?: URL): void {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ProvisioningError(
      "INSECURE_TRANSPORT",
      `Refusing to contact "${url.origin}": only http and https are supported`,
    );
  }
  if (url.protocol === "https:") return;
  if (from?.protocol === "https:") {
    throw new ProvisioningError(
      "INSECURE_TRANSPORT",
      `Refusing redirect from HTTPS "${from.host}" to plain HTTP "${url.host}"`,
    );
  }
  if (!insecure && !isLoopbackHost(url.host)) {
    throw new ProvisioningError(
      "INSECURE_TRANSPORT",
      `Refusing plain HTTP to "${url.host}": only loopback hosts may use http://`,
      { hint: "Set [oci] insecure = true if this host really has no TLS" },
    );
  }
}

/**
 * Whether a URL the registry redirected us to is on a host `[oci] redirect_hosts` names:
 * `host` means port 443, `host:port` that port (as the least-privilege launch grants them).
 * Only such a host may run an anonymous token flow for a redirected download; the registry's
 * own credentials never go to any other host.
 *
 * @example
 * ```ts
 * import { isAllowedRedirectHost } from "./transport.ts";
 * import assert from "node:assert/strict";
 *
 * const hosts = ["pkg-containers.githubusercontent.com", "127.0.0.1:9000"];
 * assert.ok(isAllowedRedirectHost(new URL("https://pkg-containers.githubusercontent.com/x"), hosts));
 * assert.ok(isAllowedRedirectHost(new URL("http://127.0.0.1:9000/x"), hosts));
 * assert.ok(!isAllowedRedirectHost(new URL("https://pkg-containers.githubusercontent.com:8443/x"), hosts));
 * assert.ok(!isAllowedRedirectHost(new URL("https://evil.example.com/x"), hosts));
 * ```
 *
 * @param url The redirect target.
 * @param hosts `[oci] redirect_hosts` entries (`host` or `host:port`).
 * @returns True when an entry names the URL's host and port.
 */
export function isAllowedRedirectHost(url: URL, hosts: readonly string[]): boolean {
  const port = url.port !== "" ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  return hosts.some((entry) => {
    const match = /^(.*?)(?::(\d{1,5}))?$/.exec(entry.trim());
    const name = URL.parse(`https://${match?.[1] ?? ""}/`)?.hostname;
    const entryPort = match?.[2] === undefined ? 443 : Number(match[2]);
    return name !== undefined && name === url.hostname && entryPort === port;
  });
}

function hostnameOf(host: string): string {
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end === -1 ? host : host.slice(1, end);
  }
  const colons = host.split(":").length - 1;
  if (colons === 1) return host.slice(0, host.indexOf(":"));
  return host; // bare name, or a bare IPv6 literal
}
