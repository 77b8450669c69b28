/**
 * `ext test-oci`, `ext login` and `ext logout`: registry health and stored credentials.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import type { OciSettings, ResolvedConfig } from "../config/types.ts";
import { ERROR_EXIT_CODES, type ErrorCode, ProvisioningError } from "../errors.ts";
import { type ConnectionReport, testOciConnection } from "../oci/ping.ts";
import { createRegistryClient, type RegistryClientOptions } from "../oci/client.ts";
import { helperErase, helperStore } from "../oci/credential_helper.ts";
import { registryArgument, splitRegistrySetting } from "../oci/transport.ts";
import { namedRegistry, placeOfRegistry } from "../registries/registry_places.ts";
import {
  type CredentialStore,
  dockerConfigCredentials,
  dockerCredentialHelper,
  memoryCredentials,
  normalizeRegistryKey,
  removeCredentials,
  saveCredentials,
} from "../oci/credentials.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import { type CliContext, paint, printable } from "./io.ts";
import { formatData, type OutputFormat } from "./output.ts";

/** The JSON/YAML shape of `ext test-oci`: the report with `null` for unknown values. */
export interface TestOciResult {
  /** `host[:port]` probed. */
  registry: string;
  /** The URL probed (`…/v2/`). */
  url: string;
  /** Reachable and authenticated. */
  ok: boolean;
  /** Whether the registry answered at all. */
  reachable: boolean;
  /** `anonymous`, `basic`, `bearer`, `token`, `refused`, `required` or `unknown`. */
  auth: ConnectionReport["auth"];
  /** The `Docker-Distribution-API-Version` header. */
  apiVersion: string | null;
  /** The final HTTP status. */
  status: number | null;
  /** Wall time of the probe in ms (auth round trips included). */
  latencyMs: number;
  /** Why it is not ok: code, one line and a hint (never a secret). */
  error: { code: string; message: string; hint: string | null } | null;
}

/**
 * Converts a {@linkcode ConnectionReport} into the stable CLI shape (every key present).
 *
 * @example
 * ```ts
 * import { testOciResult } from "./ext_oci.ts";
 * import assert from "node:assert/strict";
 *
 * const result = testOciResult({
 *   registry: "127.0.0.1:5000", url: "http://127.0.0.1:5000/v2/", reachable: true, ok: true,
 *   auth: "anonymous", apiVersion: undefined, status: 200, latencyMs: 3, error: undefined,
 * });
 * assert.equal(result.apiVersion, null);
 * assert.equal(result.error, null);
 * ```
 *
 * @param report The report of {@linkcode testOciConnection}.
 * @returns The same facts with `null` for unknown values.
 */
export function testOciResult(report: ConnectionReport): TestOciResult {
  return {
    registry: report.registry,
    url: report.url,
    ok: report.ok,
    reachable: report.reachable,
    auth: report.auth,
    apiVersion: report.apiVersion ?? null,
    status: report.status ?? null,
    latencyMs: report.latencyMs,
    error: report.error === undefined ? null : {
      code: report.error.code,
      message: report.error.message,
      hint: report.error.hint ?? null,
    },
  };
}

/** Options of `ext test-oci`. */
export interface TestOciOptions {
  format: OutputFormat;
}

/**
 * `ext test-oci`: probes `/v2/` of the configured registry (`--registry` overrides it) with
 * the configured credentials and prints the report. When the registry is unreachable or
 * refuses us, the report is still printed, then the failure is thrown (exit 4; exit 5 when
 * TLS verification or the transport policy failed).
 */
export async function runTestOci(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  options: TestOciOptions,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  using client = createRegistryClient(config.settings.oci, clientOptions(ctx));
  const result = testOciResult(await testOciConnection(client));
  if (options.format === "table") ctx.out(reportTable(ctx, result));
  else ctx.out(await formatData(result, options.format));
  if (!result.ok) throw reportFailure(result);
}

/** Options of `ext login`. */
export interface LoginOptions {
  username: string;
  passwordStdin?: boolean;
  /** `--password` / `-p` (warned about: other processes can see it). */
  password?: string;
}

/** Where `ext login` gets the password from (injectable for tests). */
export interface PasswordInput {
  /** Whether stdin is a terminal (then the password can be asked for). */
  stdinIsTerminal: boolean;
  /** All of stdin (`--password-stdin`). */
  readStdin(ctx: CliContext): Promise<string>;
  /** Asks on the terminal without echo; `null` when nothing is typed. */
  promptHidden(ctx: CliContext, question: string): Promise<string | null>;
}

/**
 * `ext login REGISTRY -u USER [--password-stdin | -p PASSWORD]`: takes the password from stdin,
 * from `--password` (with a warning), or — on a terminal with neither — from a prompt that
 * does not echo; checks it against the registry (`GET /v2/` with exactly these credentials)
 * and only then stores it in `~/.provisioning/credentials.json` (0600). Refused or
 * unreachable: nothing is saved and the error is thrown (exit 4).
 *
 * @param ctx Output and environment.
 * @param globals Global flags.
 * @param registry The registry (`host[:port]`, a scheme is allowed).
 * @param options User name, `--password-stdin`, `--password`.
 * @param input Where the password comes from (default: the process's stdin and terminal).
 * @throws {ProvisioningError} `USAGE` with both password flags, with neither and no terminal,
 *   or with an empty password; `AUTH_REFUSED`, `UNREACHABLE`, `TIMEOUT` (exit 4) when the
 *   registry refuses or is down.
 */
export async function runLogin(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  typed: string,
  options: LoginOptions,
  input: PasswordInput = processPasswordInput(),
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const registry = registryArgument(namedRegistry(config.settings.oci, typed));
  if (options.username === "" || options.username.includes(":")) {
    throw new ProvisioningError(
      "USAGE",
      `Invalid user name "${options.username}": empty or contains ":"`,
    );
  }
  const password = await loginPassword(ctx, registry, options, input);
  if (password === "") {
    throw new ProvisioningError("USAGE", "No password given", {
      hint: "Pipe the password or token into the command with --password-stdin",
    });
  }
  const target = splitRegistrySetting(registry);
  // A scheme written in REGISTRY wins; otherwise the registry gets the usual transport policy
  // (with `[oci] ca_file` making the configured registry HTTPS even on loopback), and a listed
  // registry its own CA, client certificate and `insecure`.
  const settings: OciSettings = target.scheme === undefined
    ? placeOfRegistry(config.settings.oci, registry, config.origins).oci
    : { ...config.settings.oci, registry };
  const credentials = memoryCredentials({
    [normalizeRegistryKey(registry)]: { username: options.username, password },
  });
  let report: ConnectionReport;
  {
    using client = createRegistryClient(settings, clientOptions(ctx, credentials));
    report = await testOciConnection(client, { registry: target.host });
  }
  if (report.auth === "refused") {
    throw new ProvisioningError(
      "AUTH_REFUSED",
      `Registry "${report.registry}" refused user "${options.username}"; nothing was saved`,
      { hint: "Check the user name and password (or access token) and try again" },
    );
  }
  if (!report.ok) {
    const failure = reportFailure(testOciResult(report));
    throw new ProvisioningError(
      failure.code,
      `Cannot log in to "${report.registry}": ${lowerFirst(failure.message)}; nothing was saved`,
      failure.hint === undefined ? {} : { hint: failure.hint },
    );
  }
  // Docker's config naming a credential helper for the registry: store through it, as
  // `docker login` does; otherwise in our own credentials file.
  const helper = await dockerCredentialHelper(dockerConfigDir(ctx, config), target.host);
  let savedTo: string;
  if (helper !== undefined) {
    await helperStore(helper, normalizeRegistryKey(registry), options.username, password);
    savedTo = `stored by ${helper}`;
  } else {
    savedTo = `saved to ${await saveCredentials(ctx.home, registry, options.username, password)}`;
  }
  if (report.auth === "anonymous") {
    ctx.err(
      `note: Registry "${report.registry}" allows anonymous access, so the credentials were not checked\n`,
    );
  }
  ctx.out(`Login succeeded for "${report.registry}" as "${options.username}" (${savedTo})\n`);
}

/**
 * `ext logout REGISTRY`: removes the stored credential of a registry from
 * `~/.provisioning/credentials.json`, and erases it from the credential helper Docker's
 * config names for the registry, if any. Docker's `config.json` itself is never changed; a
 * note says when it still holds credentials for the registry.
 *
 * @param ctx Output and environment.
 * @param globals Global flags.
 * @param typed The registry (`host[:port]`).
 */
export async function runLogout(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  typed: string,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const registry = registryArgument(namedRegistry(config.settings.oci, typed));
  const host = normalizeRegistryKey(registry);
  const dir = dockerConfigDir(ctx, config);
  const helper = await dockerCredentialHelper(dir, host);
  const erased = helper !== undefined && await helperErase(helper, host);
  const removed = await removeCredentials(ctx.home, registry);
  ctx.out(
    erased
      ? `Removed the credentials for "${host}" from ${helper}\n`
      : removed
      ? `Removed the stored credentials for "${host}"\n`
      : `No stored credentials for "${host}"\n`,
  );
  if (helper === undefined && await dockerConfigCredentials(dir).get(host) !== undefined) {
    ctx.err(
      `note: ${
        join(dir, "config.json")
      } still has credentials for "${host}" (it is only read, never changed)\n`,
    );
  }
}

/** Docker's config folder: `[oci] docker_config` (`DOCKER_CONFIG`), else `~/.docker`. */
function dockerConfigDir(ctx: CliContext, config: ResolvedConfig): string {
  return config.settings.oci.docker_config ?? join(ctx.home, ".docker");
}

function clientOptions(ctx: CliContext, credentials?: CredentialStore): RegistryClientOptions {
  const options: RegistryClientOptions = {
    home: ctx.home,
    onNote: (line, level) => ctx.err(`${level ?? "note"}: ${printable(line)}\n`),
  };
  if (credentials !== undefined) options.credentials = credentials;
  return options;
}

function reportTable(ctx: CliContext, result: TestOciResult): string {
  const lines: [string, string][] = [
    ["Registry", result.registry],
    ["URL", result.url],
    ["Reachable", result.reachable ? "yes" : "no"],
    ["Auth", result.auth],
    ["API version", result.apiVersion ?? "-"],
    ["Status", result.status === null ? "-" : String(result.status)],
    ["Latency", `${result.latencyMs} ms`],
    ["Result", result.ok ? "ok" : "failed"],
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${paint(ctx, "bold", k.padEnd(width))}  ${v}`).join("\n") + "\n";
}

/** The error to throw for a report that is not ok, keeping the report's code and hint. */
function reportFailure(result: TestOciResult): ProvisioningError {
  const error = result.error;
  const code: ErrorCode = error !== null && error.code in ERROR_EXIT_CODES
    ? error.code as ErrorCode
    : "REGISTRY_ERROR";
  const message = error?.message ?? `Registry "${result.registry}" is not usable`;
  return new ProvisioningError(code, message, error?.hint ? { hint: error.hint } : {});
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text)
    ? text[0]!.toLowerCase() + text.slice(1)
    : text;
}

/** The password of `ext login`, from whichever place the flags (or the terminal) name. */
async function loginPassword(
  ctx: CliContext,
  registry: string,
  options: LoginOptions,
  input: PasswordInput,
): Promise<string> {
  if (options.passwordStdin === true && options.password !== undefined) {
    throw new ProvisioningError("USAGE", "Pass either --password-stdin or --password, not both");
  }
  if (options.password !== undefined) {
    ctx.err(
      "warning: --password is visible to other processes and kept in shell history; " +
        "--password-stdin is safer\n",
    );
    return options.password;
  }
  if (options.passwordStdin === true) {
    return (await input.readStdin(ctx)).replace(/\r?\n$/, "");
  }
  if (!input.stdinIsTerminal) {
    throw new ProvisioningError(
      "USAGE",
      "No password: pass --password-stdin (or run ext login on a terminal to be asked)",
      {
        hint:
          `printf '%s' "$TOKEN" | provisioning ext login ${registry} --username USER --password-stdin`,
      },
    );
  }
  return await input.promptHidden(ctx, `Password for ${options.username}@${registry}: `) ?? "";
}

/** The process's stdin and terminal. */
function processPasswordInput(): PasswordInput {
  return {
    stdinIsTerminal: Deno.stdin.isTerminal(),
    async readStdin(ctx) {
      if (Deno.stdin.isTerminal()) {
        // Interactive use: the password is typed (echoed by the terminal) and ended with Ctrl-D.
        ctx.err("Password (end with Ctrl-D): ");
      }
      return await new Response(Deno.stdin.readable).text();
    },
    async promptHidden(ctx, question) {
      const { promptHidden } = await import("./read_hidden_line.ts");
      return await promptHidden(ctx, question);
    },
  };
}
