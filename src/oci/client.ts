/**
 * The registry client: settings, credentials, the token cache and the layered HTTP stack
 * (retry → auth → timeout → fetch), shared by every operation of this module.
 *
 * @module
 */

import type { OciSettings } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { withIdleTimeout } from "../net/with_idle_timeout.ts";
import { type AuthInfo, type AuthLayer, createAuthLayer } from "./auth.ts";
import { withRequestLog } from "../net/request_log.ts";
import { createBaseSend, networkError } from "./_base_send.ts";
import { type CredentialStore, defaultCredentialStore, type NoteSink } from "./credentials.ts";
import type { FetchLike, HttpRequest, Send } from "./http.ts";
import { parseReference } from "./reference.ts";
import {
  type ErrorContext,
  type RegistryResponseError,
  registryResponseError,
} from "./registry_error.ts";
import { abortableSleep, type RetryPolicy, withRetry } from "./retry.ts";
import { TokenCache } from "./token_cache.ts";
import { registryBaseUrl, splitRegistrySetting } from "./transport.ts";
import type { Reference, RepositoryLocation } from "./types.ts";
import { USER_AGENT } from "../version.ts";
import { withMirrors } from "./mirrors.ts";
import { readPem } from "../net/read_pem.ts";

/** The `[oci]` settings the client uses. */
export type RegistryClientSettings =
  & Pick<
    OciSettings,
    | "registry"
    | "namespace"
    | "auth_token_path"
    | "insecure"
    | "timeout"
    | "retry_count"
    | "ca_file"
    | "chunk_size"
  >
  & Partial<
    Pick<
      OciSettings,
      | "repositories"
      | "concurrency"
      | "redirect_hosts"
      | "cert_file"
      | "key_file"
      | "docker_config"
      | "auth_file"
      | "mirrors"
    >
  >;

/** Options of {@linkcode createRegistryClient}. */
export interface RegistryClientOptions {
  /** Credential store; default: token file, `~/.provisioning/credentials.json`, Docker's. */
  credentials?: CredentialStore;
  /** The `fetch` to build on (tests wrap it to count or alter requests). */
  fetch?: FetchLike;
  /** Home directory for the default credential store (nothing is read without it). */
  home?: string;
  /** Extra CA certificates (PEM), in addition to `[oci] ca_file`. */
  caCerts?: readonly string[];
  /** Retry timing overrides (tests use tiny delays or a recording `sleep`). */
  retry?: Partial<Omit<RetryPolicy, "retries">>;
  /** Clock in ms since the epoch (token expiry, `Retry-After` dates). */
  now?: () => number;
  /** Receives one-line notes (ignored credential helpers, loose file modes, waits asked for). */
  onNote?: NoteSink;
  /** `User-Agent` header (default {@linkcode USER_AGENT}, `provisioning-ext/<version>`). */
  userAgent?: string;
}

/**
 * Default retry timing: 200 ms doubling to 5 s; a `Retry-After` is waited for up to 60 s (or
 * `[oci] timeout` when that is longer) — a longer one fails the request at once.
 */
export const DEFAULT_RETRY_TIMING = {
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 60_000,
} as const;

/**
 * The retry policy of every HTTP client of the project (the registry's and Gitea's):
 * `retry_count` retries, {@linkcode DEFAULT_RETRY_TIMING}, and a `Retry-After` waited for up
 * to 60 s or `timeout` when that is longer.
 *
 * @example
 * ```ts
 * import { defaultRetryPolicy } from "./client.ts";
 * import assert from "node:assert/strict";
 *
 * const policy = defaultRetryPolicy({ retry_count: 2, timeout: 90 });
 * assert.equal(policy.retries, 2);
 * assert.equal(policy.maxRetryAfterMs, 90_000);
 * ```
 *
 * @param settings `[oci] retry_count` and `timeout` (seconds).
 * @param overrides Timing, clock or wait notes to use instead (tests).
 * @returns The policy.
 */
export function defaultRetryPolicy(
  settings: Pick<OciSettings, "retry_count" | "timeout">,
  overrides: Partial<Omit<RetryPolicy, "retries">> = {},
): RetryPolicy {
  return {
    retries: Math.max(0, Math.floor(settings.retry_count)),
    baseDelayMs: DEFAULT_RETRY_TIMING.baseDelayMs,
    maxDelayMs: DEFAULT_RETRY_TIMING.maxDelayMs,
    maxRetryAfterMs: Math.max(DEFAULT_RETRY_TIMING.maxRetryAfterMs, settings.timeout * 1000),
    sleep: abortableSleep,
    random: Math.random,
    now: Date.now,
    ...overrides,
  };
}

/**
 * A registry client. Create it with {@linkcode createRegistryClient}; close it when done
 * (it may hold an HTTP client with extra CA certificates) — `using` works too.
 */
export class RegistryClient {
  /** The settings it was created with. */
  readonly settings: Readonly<RegistryClientSettings>;
  /** Where credentials come from. */
  readonly credentials: CredentialStore;
  /** Bearer tokens by challenging origin, realm, service and scope. */
  readonly tokenCache: TokenCache;
  /** The retry policy (also used to retry whole blob uploads). */
  readonly retryPolicy: RetryPolicy;
  #send: Send;
  #auth: AuthLayer;
  #httpClient: Promise<Deno.HttpClient | undefined> | undefined;
  #closed = false;

  /**
   * Builds the HTTP stack; nothing is read or sent yet.
   *
   * @param settings `[oci]` settings.
   * @param options Credentials, fetch, home, timing.
   */
  constructor(settings: RegistryClientSettings, options: RegistryClientOptions = {}) {
    this.settings = settings;
    this.credentials = options.credentials ??
      defaultCredentialStore(settings, {
        home: options.home,
        onNote: options.onNote,
        dockerConfigDir: settings.docker_config,
        podmanAuthFile: settings.auth_file,
      });
    const now = options.now ?? Date.now;
    this.tokenCache = new TokenCache(now);
    this.retryPolicy = defaultRetryPolicy(settings, {
      now,
      ...(options.onNote === undefined ? {} : { onWait: options.onNote }),
      ...options.retry,
    });
    const caCerts = options.caCerts ?? [];
    const needsClient = present(settings.ca_file) || present(settings.cert_file) ||
      present(settings.key_file) || caCerts.length > 0;
    const base = createBaseSend({
      fetch: withRequestLog(options.fetch ?? fetch), // `--debug`: one line per exchange
      insecure: settings.insecure,
      userAgent: options.userAgent ?? USER_AGENT,
      ...(needsClient
        ? { httpClient: () => this.#httpClient ??= this.#createHttpClient(caCerts) }
        : {}),
    });
    const timeout = {
      timeoutMs: settings.timeout * 1000,
      hint: "Raise [oci] timeout or check the registry",
      mapBodyError: networkError,
    };
    const timed = withIdleTimeout(base, { ...timeout, label: "Registry" });
    this.#auth = createAuthLayer(timed, {
      credentials: this.credentials,
      tokenCache: this.tokenCache,
      tokenSend: withRetry(
        withIdleTimeout(base, { ...timeout, label: "Token service" }),
        this.retryPolicy,
      ),
      insecure: settings.insecure,
      redirectHosts: settings.redirect_hosts ?? [],
    });
    const mirrors = settings.mirrors ?? [];
    const authed = mirrors.length === 0 ? this.#auth.send : withMirrors(this.#auth.send, mirrors, {
      insecure: settings.insecure,
      ...(options.onNote === undefined ? {} : { onNote: options.onNote }),
    });
    this.#send = withRetry(authed, this.retryPolicy);
  }

  /**
   * Sends a request through the whole stack.
   *
   * @param request The request.
   * @returns The response (error statuses included; see {@linkcode RegistryClient.fail}).
   * @throws {ProvisioningError} `UNREACHABLE`, `TIMEOUT`, `INSECURE_TRANSPORT`, `AUTH_REFUSED`
   *   (token service), `INVALID_CONFIG` (CA file).
   */
  send(request: HttpRequest): Promise<Response> {
    if (this.#closed) {
      return Promise.reject(new ProvisioningError("INTERNAL", "Registry client is closed"));
    }
    return this.#send(request);
  }

  /**
   * How a response from {@linkcode RegistryClient.send} was authenticated.
   *
   * @param response The response.
   * @returns The auth info, if known.
   */
  authInfo(response: Response): AuthInfo | undefined {
    return this.#auth.describe(response);
  }

  /**
   * The error for an unexpected response (its body is consumed).
   *
   * @param method Request method.
   * @param url Request URL.
   * @param response The response.
   * @param context Message context.
   * @returns The error, to throw.
   */
  fail(
    method: string,
    url: URL,
    response: Response,
    context: Omit<ErrorContext, "auth"> = {},
  ): Promise<RegistryResponseError> {
    return registryResponseError(method, url, response, {
      ...context,
      auth: this.#auth.describe(response),
    });
  }

  /**
   * Parses a reference with this client's default registry and namespace (a parsed reference
   * is returned as is).
   *
   * @param ref The reference.
   * @returns The parsed reference.
   * @throws {ProvisioningError} `INVALID_REFERENCE`.
   */
  reference(ref: string | Reference): Reference {
    return typeof ref === "string" ? parseReference(ref, this.settings) : ref;
  }

  /** The default registry's `host[:port]` (`[oci] registry` without a scheme). */
  get registry(): string {
    return splitRegistrySetting(this.settings.registry).host;
  }

  /**
   * The base URL of a registry under the transport policy.
   *
   * @param registry `host[:port]`.
   * @returns `scheme://host/`.
   * @throws {ProvisioningError} `INVALID_CONFIG` for plain HTTP to a non-loopback host.
   */
  baseUrl(registry: string): URL {
    return registryBaseUrl(registry, this.settings);
  }

  /**
   * The URL of an API path under a repository: `/v2/<repository>/<path>`.
   *
   * @param location Registry and repository.
   * @param path `manifests/<ref>`, `blobs/<digest>`, `tags/list`, `blobs/uploads/`.
   * @returns The absolute URL.
   */
  repositoryUrl(location: RepositoryLocation, path: string): URL {
    return new URL(`v2/${location.repository}/${path}`, this.baseUrl(location.registry));
  }

  /** Closes the HTTP client holding extra CA certificates, if one was created. */
  close(): void {
    this.#closed = true;
    const pending = this.#httpClient;
    this.#httpClient = undefined;
    pending?.then((client) => client?.close(), () => {});
  }

  /** Same as {@linkcode RegistryClient.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  async #createHttpClient(extra: readonly string[]): Promise<Deno.HttpClient | undefined> {
    const caCerts = [...extra];
    const { ca_file: caFile, cert_file: certFile, key_file: keyFile } = this.settings;
    if (present(caFile)) caCerts.push(await readPem(caFile, "CA file", "[oci] ca_file"));
    if (present(certFile) !== present(keyFile)) {
      throw new ProvisioningError(
        "INVALID_CONFIG",
        `[oci] ${present(certFile) ? "cert_file" : "key_file"} is set without ${
          present(certFile) ? "key_file" : "cert_file"
        }`,
        { hint: "A client certificate (mTLS) needs both cert_file and key_file" },
      );
    }
    const clientKey = present(certFile) && present(keyFile)
      ? {
        cert: await readPem(certFile, "client certificate", "[oci] cert_file"),
        key: await readPem(keyFile, "client key", "[oci] key_file"),
      }
      : undefined;
    if (this.#closed) return undefined;
    try {
      return Deno.createHttpClient({ caCerts, ...clientKey });
    } catch (error) {
      const which = clientKey === undefined
        ? `CA certificates from "${caFile}"`
        : "the client certificate and key";
      throw new ProvisioningError("INVALID_CONFIG", `Cannot use ${which}`, {
        cause: error,
        hint: clientKey === undefined
          ? "[oci] ca_file must hold PEM certificates"
          : "[oci] cert_file and key_file must be a PEM certificate and its PEM private key",
      });
    }
  }
}

function present(path: string | undefined): path is string {
  return path !== undefined && path !== "";
}

/**
 * Creates a registry client. Nothing is read or sent until the first request.
 *
 * @example
 * ```ts
 * import { createRegistryClient } from "./client.ts";
 * import assert from "node:assert/strict";
 *
 * using client = createRegistryClient({
 *   registry: "localhost:5000", namespace: "provisioning-extensions",
 *   auth_token_path: undefined, insecure: false, timeout: 30, retry_count: 3,
 *   ca_file: undefined, chunk_size: 8 * 1024 * 1024,
 * });
 * assert.equal(client.reference("aws:1.0.0").repository, "provisioning-extensions/aws");
 * assert.equal(client.baseUrl("ghcr.io").protocol, "https:");
 * ```
 *
 * @param settings `[oci]` settings.
 * @param options Credentials, fetch, home, CA certificates, timing.
 * @returns The client.
 */
export function createRegistryClient(
  settings: RegistryClientSettings,
  options: RegistryClientOptions = {},
): RegistryClient {
  return new RegistryClient(settings, options);
}
