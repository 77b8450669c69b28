/**
 * Registry health: `GET /v2/` through the full stack, reporting reachability, the auth
 * outcome, the `Docker-Distribution-API-Version` header and latency.
 *
 * @module
 */

import { isProvisioningError } from "../errors.ts";
import type { RegistryClient } from "./client.ts";
import { discardBody } from "./http.ts";

/** How authentication against the registry went. */
export type AuthOutcome =
  /** `/v2/` answered without credentials. */
  | "anonymous"
  /** Accepted with Basic credentials. */
  | "basic"
  /** Accepted with a token from the registry's token service. */
  | "bearer"
  /** Accepted with the static token from `[oci] auth_token_path`. */
  | "token"
  /** Credentials were sent and refused (by the registry or its token service). */
  | "refused"
  /** The registry requires credentials and none are configured. */
  | "required"
  /** Not known (the registry was not reached, or it failed). */
  | "unknown";

/** The report of {@linkcode testOciConnection}. */
export interface ConnectionReport {
  /** `host[:port]`. */
  registry: string;
  /** The URL probed (`…/v2/`). */
  url: string;
  /** Whether the registry answered at all. */
  reachable: boolean;
  /** Reachable and authenticated: everything a pull needs. */
  ok: boolean;
  /** How authentication went. */
  auth: AuthOutcome;
  /** The `Docker-Distribution-API-Version` header (`registry/2.0`), if sent. */
  apiVersion: string | undefined;
  /** The final HTTP status, if any. */
  status: number | undefined;
  /** Wall time of the probe (including auth round trips), in ms. */
  latencyMs: number;
  /** Why it is not ok (code and one line, never a secret). */
  error: { code: string; message: string; hint?: string } | undefined;
}

/** Options of {@linkcode testOciConnection} and {@linkcode isOciAvailable}. */
export interface PingOptions {
  /** Registry (`host[:port]`); default `[oci] registry`. */
  registry?: string;
  /** `false` probes once, without retries (default for {@linkcode isOciAvailable}). */
  retry?: boolean;
}

/**
 * Probes a registry and reports what happened; never throws for registry or network
 * failures (they are in the report). The CLI exits 4 unless `report.ok`.
 *
 * @example
 * ```ts ignore
 * const report = await testOciConnection(client);
 * console.log(report.reachable, report.auth, report.apiVersion, report.latencyMs);
 * ```
 *
 * @param client The registry client.
 * @param options Registry and retry.
 * @returns The report.
 * @throws {ProvisioningError} `INVALID_CONFIG` (bad transport setting or CA file); failures
 *   other than network, TLS, auth and registry errors.
 */
export async function testOciConnection(
  client: RegistryClient,
  options: PingOptions = {},
): Promise<ConnectionReport> {
  const registry = options.registry ?? client.registry;
  const url = new URL("v2/", client.baseUrl(registry));
  const started = performance.now();
  const report: ConnectionReport = {
    registry,
    url: url.href,
    reachable: false,
    ok: false,
    auth: "unknown",
    apiVersion: undefined,
    status: undefined,
    latencyMs: 0,
    error: undefined,
  };
  const errorOf = (e: { code: string; message: string; hint?: string | undefined }) =>
    e.hint === undefined
      ? { code: e.code, message: e.message }
      : { code: e.code, message: e.message, hint: e.hint };
  try {
    const response = await client.send({
      method: "GET",
      url,
      ...(options.retry === false ? { retry: false } : {}),
    });
    report.latencyMs = Math.round(performance.now() - started);
    report.reachable = true;
    report.status = response.status;
    report.apiVersion = response.headers.get("docker-distribution-api-version") ?? undefined;
    const info = client.authInfo(response);
    if (response.ok) {
      await discardBody(response);
      report.ok = true;
      report.auth = info?.scheme ?? "anonymous";
    } else {
      const error = await client.fail("GET", url, response);
      report.error = errorOf(error);
      if (error.code === "AUTH_REFUSED") {
        report.auth = info?.credentialSource === undefined ? "required" : "refused";
      }
    }
  } catch (error) {
    report.latencyMs = Math.round(performance.now() - started);
    const reported = [
      "UNREACHABLE",
      "TIMEOUT",
      "AUTH_REFUSED",
      "REGISTRY_ERROR",
      "RATE_LIMITED",
      "INSECURE_TRANSPORT",
    ];
    if (!isProvisioningError(error) || !reported.includes(error.code)) throw error;
    report.error = errorOf(error);
    if (error.code === "AUTH_REFUSED") {
      // The token service answered, so the network path works; it refused the request.
      report.reachable = true;
      report.auth = /anonymous/.test(error.message) ? "required" : "refused";
    } else if (error.code === "REGISTRY_ERROR" || error.code === "RATE_LIMITED") {
      report.reachable = true;
    }
  }
  return report;
}

/**
 * Whether the registry is reachable and `/v2/` succeeds with the configured credentials.
 * One probe, no retries; never throws for network or registry failures.
 *
 * @example
 * ```ts ignore
 * if (!(await isOciAvailable(client))) console.error("registry down");
 * ```
 *
 * @param client The registry client.
 * @param options Registry (and `retry: true` to allow retries).
 * @returns True when usable.
 * @throws {ProvisioningError} Only `INVALID_CONFIG`.
 */
export async function isOciAvailable(
  client: RegistryClient,
  options: PingOptions = {},
): Promise<boolean> {
  const report = await testOciConnection(client, { retry: false, ...options });
  return report.ok;
}
