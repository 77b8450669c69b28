/**
 * Starts a real `docker-registry` (CNCF distribution 2.8) for integration tests.
 *
 * Four variants: `plain` (anonymous HTTP), `basic` (htpasswd), `token` (Bearer tokens from a
 * token endpoint this harness serves and signs) and `tls` (HTTPS with a generated CA).
 * `PROVISIONING_TEST_REGISTRY=host:port` points the plain variant at another registry instead.
 *
 * @module
 */

import { ProvisioningError } from "../../src/errors.ts";
import { REGISTRY_BINARY, spawnRegistry } from "./_registry_process.ts";
import { setUpVariant, type VariantCredentials, type VariantSetup } from "./_variants.ts";

export {
  BASIC_REALM,
  DEFAULT_PASSWORD,
  DEFAULT_USERNAME,
  TOKEN_ISSUER,
  TOKEN_SERVICE,
} from "./_variants.ts";

/** Which registry set-up to start. */
export type RegistryVariant = "plain" | "basic" | "token" | "tls";

/** A running test registry. */
export interface TestRegistry {
  /** The variant that was started. */
  variant: RegistryVariant;
  /** `127.0.0.1:PORT` (or the external registry's `host:port`). */
  host: string;
  /** `http://HOST` or, for `tls`, `https://HOST`. */
  url: string;
  /** The user the `basic` and `token` variants accept. */
  username?: string;
  /** That user's password. */
  password?: string;
  /** `tls` only: the generated CA certificate, PEM. */
  caCertPem?: string;
  /** `tls` only: a file holding {@linkcode TestRegistry.caCertPem}. */
  caFile?: string;
  /** The registry's own PID (absent for an external registry). */
  pid?: number;
  /** The registry's storage root (`""` for an external registry). */
  dataDir: string;
  /** `token` only: how many requests the token endpoint has served. */
  tokenRequests?: () => number;
  /** The registry's log so far (`""` for an external registry). */
  requestLog(): string;
  /** SIGTERM the registry, wait for it, remove its temp dirs. Idempotent. */
  stop(): Promise<void>;
}

/** Options for {@linkcode startRegistry}. */
export interface StartRegistryOptions {
  /** Default `plain`. */
  variant?: RegistryVariant;
  /** Whether DELETE is allowed (default true). */
  deleteEnabled?: boolean;
  /** `basic`/`token`: the accepted user (default `alice`). */
  username?: string;
  /** `basic`/`token`: the accepted password (default `s3cret`). */
  password?: string;
  /**
   * Answer blob GET/HEAD with a 307 to this base URL plus the blob's storage path
   * (distribution's `redirect` storage middleware, as registries behind a CDN or S3 do).
   * The storage path is relative to {@linkcode TestRegistry.dataDir}.
   */
  redirectBaseUrl?: string;
  /**
   * `tls`: the server certificate and key to use instead of the variant's own (which is
   * signed by its CA, {@linkcode TestRegistry.caFile}), and `clientcas` to require client
   * certificates signed by one of them (mTLS).
   */
  tls?: { certificate?: string; key?: string; clientcas?: string[] };
  /**
   * Run as a pull-through cache of this registry URL (distribution's `proxy.remoteurl`): it
   * proxies tags and manifests, keeps what it served, and refuses pushes.
   */
  proxyRemoteUrl?: string;
}

/** Options for {@linkcode registryTest}. */
export interface RegistryTestOptions {
  /** Default `plain`. */
  variant?: RegistryVariant;
  /** Whether DELETE is allowed (default true). */
  deleteEnabled?: boolean;
  /**
   * Skip when `PROVISIONING_TEST_REGISTRY` points at another registry: the test needs the
   * harness's own registry (its PID, `dataDir`, `requestLog()` or a second instance).
   */
  localOnly?: boolean;
}

/** The environment variable that redirects the plain variant to another registry. */
export const EXTERNAL_REGISTRY_ENV = "PROVISIONING_TEST_REGISTRY";

/** The line printed (once) when the registry binary is missing. */
export const MISSING_BINARY_MESSAGE =
  `SKIP: ${REGISTRY_BINARY} not found; install it with apt-get install ${REGISTRY_BINARY}`;

/**
 * Starts a registry of the given variant on 127.0.0.1 with a fresh storage dir.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * const reg = await startRegistry();
 * try {
 *   const res = await fetch(`${reg.url}/v2/`);
 *   await res.body?.cancel();
 *   assert.equal(res.status, 200);
 * } finally {
 *   await reg.stop();
 * }
 * ```
 *
 * @param options Variant, delete policy and credentials.
 * @returns The running registry; call `stop()` when done.
 * @throws {ProvisioningError} `UNSUPPORTED` for a non-plain variant when
 *   `PROVISIONING_TEST_REGISTRY` is set; `INTERNAL` when the registry fails to start
 *   (the `cause` carries its log).
 * @throws {Deno.errors.NotFound} When `docker-registry` is not installed.
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const variant = options.variant ?? "plain";
  const external = Deno.env.get(EXTERNAL_REGISTRY_ENV);
  if (external) return externalRegistry(external, variant);

  const root = await Deno.makeTempDir({ prefix: `test-registry-${variant}-` });
  let setup: VariantSetup | undefined;
  try {
    const dataDir = `${root}/data`;
    await Deno.mkdir(dataDir);
    const credentials: VariantCredentials = {};
    if (options.username !== undefined) credentials.username = options.username;
    if (options.password !== undefined) credentials.password = options.password;
    setup = await setUpVariant(variant, root, credentials);
    const config = {
      version: 0.1,
      log: { level: "info" },
      storage: {
        filesystem: { rootdirectory: dataDir },
        delete: { enabled: options.deleteEnabled ?? true },
      },
      http: {
        addr: "127.0.0.1:0",
        secret: crypto.randomUUID(),
        ...setup.http,
        ...(options.tls === undefined || setup.http.tls === undefined
          ? {}
          : { tls: { ...setup.http.tls as object, ...options.tls } }),
      },
      ...(options.redirectBaseUrl === undefined ? {} : {
        middleware: {
          storage: [{ name: "redirect", options: { baseurl: options.redirectBaseUrl } }],
        },
      }),
      ...setup.config,
      ...(options.proxyRemoteUrl === undefined
        ? {}
        : { proxy: { remoteurl: options.proxyRemoteUrl } }),
    };
    const configPath = `${root}/config.json`;
    await Deno.writeTextFile(configPath, JSON.stringify(config, null, 2));
    const proc = await spawnRegistry(configPath);
    const cleanup = setup.cleanup;
    let stopping: Promise<void> | undefined;
    return {
      variant,
      host: proc.host,
      url: `${setup.scheme}://${proc.host}`,
      pid: proc.pid,
      dataDir,
      ...setup.fields,
      requestLog: proc.log,
      stop: () =>
        stopping ??= (async () => {
          await proc.stop();
          await cleanup();
          await Deno.remove(root, { recursive: true });
        })(),
    };
  } catch (error) {
    await setup?.cleanup();
    await Deno.remove(root, { recursive: true }).catch(() => {});
    throw error;
  }
}

/**
 * Registers a `Deno.test` that starts a registry, runs `fn` with it and always stops it.
 *
 * Without `docker-registry` the test is ignored with one loud warning line on stderr, or,
 * when `CI=true`, fails with that message. With `PROVISIONING_TEST_REGISTRY` set, non-plain
 * variants and `localOnly` tests are ignored with a line on stderr saying why.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * registryTest("the registry answers /v2/", async (_t, reg) => {
 *   const res = await fetch(`${reg.url}/v2/`);
 *   await res.body?.cancel();
 *   assert.equal(res.status, 200);
 * });
 * ```
 *
 * @param name The test name, describing the behaviour.
 * @param fn The test body, given the test context and the running registry.
 * @param options Variant, delete policy, `localOnly`.
 */
export function registryTest(
  name: string,
  fn: (t: Deno.TestContext, reg: TestRegistry) => Promise<void>,
  options: RegistryTestOptions = {},
): void {
  const variant = options.variant ?? "plain";
  const external = Deno.env.get(EXTERNAL_REGISTRY_ENV);
  if (external && (variant !== "plain" || options.localOnly)) {
    const needs = variant === "plain" ? "the harness's own registry" : `the "${variant}" variant`;
    console.error(`SKIP: "${name}" needs ${needs}; ${EXTERNAL_REGISTRY_ENV} is set`);
    Deno.test({ name, ignore: true, fn: () => {} });
    return;
  }
  if (!external && !registryBinaryFound()) {
    if (Deno.env.get("CI") === "true") {
      Deno.test(name, () => {
        throw new ProvisioningError("INTERNAL", MISSING_BINARY_MESSAGE.replace(/^SKIP: /, ""));
      });
      return;
    }
    warnMissingBinaryOnce();
    Deno.test({ name, ignore: true, fn: () => {} });
    return;
  }
  Deno.test(name, async (t) => {
    const startOptions: StartRegistryOptions = { variant };
    if (options.deleteEnabled !== undefined) startOptions.deleteEnabled = options.deleteEnabled;
    const reg = await startRegistry(startOptions);
    try {
      await fn(t, reg);
    } finally {
      await reg.stop();
    }
  });
}

/**
 * Whether `docker-registry` is an executable file on `PATH`.
 *
 * @example
 * ```ts ignore
 * if (!registryBinaryFound()) console.error("no registry");
 * ```
 *
 * @returns True when found.
 */
export function registryBinaryFound(): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir === "") continue;
    try {
      const info = Deno.statSync(`${dir}/${REGISTRY_BINARY}`);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return true;
    } catch {
      // Not in this directory.
    }
  }
  return false;
}

let warnedMissingBinary = false;

function warnMissingBinaryOnce(): void {
  if (warnedMissingBinary) return;
  warnedMissingBinary = true;
  console.error(MISSING_BINARY_MESSAGE);
}

function externalRegistry(host: string, variant: RegistryVariant): TestRegistry {
  if (variant !== "plain") {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `Registry variant "${variant}" cannot run against ${EXTERNAL_REGISTRY_ENV}="${host}"`,
      { hint: `Unset ${EXTERNAL_REGISTRY_ENV} to test the "${variant}" variant` },
    );
  }
  return {
    variant,
    host,
    url: `http://${host}`,
    dataDir: "",
    requestLog: () => "",
    stop: () => Promise.resolve(),
  };
}
