/**
 * The per-variant part of a test registry's set-up (private to the harness): files, config
 * sections and helper servers for `basic`, `token` and `tls`.
 *
 * @module
 */

import { ProvisioningError } from "../../src/errors.ts";
import { createSigningFiles, createTlsFiles } from "./_certs.ts";
import { startTokenServer } from "./_token_server.ts";

/** The user the `basic` and `token` variants accept unless told otherwise. */
export const DEFAULT_USERNAME = "alice";

/** That user's default password. */
export const DEFAULT_PASSWORD = "s3cret";

/** The `basic` variant's realm, as sent in `WWW-Authenticate: Basic realm="…"`. */
export const BASIC_REALM = "test-realm";

/** The `token` variant's `service` (the JWT audience). */
export const TOKEN_SERVICE = "test-registry";

/** The `token` variant's `issuer`. */
export const TOKEN_ISSUER = "test-issuer";

/** What a variant adds to the registry config and to the `TestRegistry`. */
export interface VariantSetup {
  /** `http` or `https`. */
  scheme: "http" | "https";
  /** Top-level config sections to add (`auth`). */
  config: Record<string, unknown>;
  /** Keys to add under the config's `http` section (`tls`). */
  http: Record<string, unknown>;
  /** Fields for the `TestRegistry`. */
  fields: {
    username?: string;
    password?: string;
    caCertPem?: string;
    caFile?: string;
    tokenRequests?: () => number;
  };
  /** Stops helper servers; called after the registry stops. */
  cleanup(): Promise<void>;
}

/** Credentials for the `basic` and `token` variants. */
export interface VariantCredentials {
  username?: string;
  password?: string;
}

/**
 * Prepares a variant's files in `dir` and, for `token`, starts the token endpoint.
 *
 * @example
 * ```ts ignore
 * const setup = await setUpVariant("basic", dir, {});
 * ```
 *
 * @param variant The registry variant.
 * @param dir The registry's temp dir, removed by the caller.
 * @param credentials The accepted user for `basic` and `token`.
 * @returns Config additions, fields and a cleanup.
 * @throws {ProvisioningError} `INTERNAL` when htpasswd or openssl fails.
 */
export async function setUpVariant(
  variant: "plain" | "basic" | "token" | "tls",
  dir: string,
  credentials: VariantCredentials,
): Promise<VariantSetup> {
  const setup: VariantSetup = {
    scheme: "http",
    config: {},
    http: {},
    fields: {},
    cleanup: () => Promise.resolve(),
  };
  const username = credentials.username ?? DEFAULT_USERNAME;
  const password = credentials.password ?? DEFAULT_PASSWORD;
  switch (variant) {
    case "plain":
      break;
    case "basic": {
      const path = `${dir}/htpasswd`;
      await Deno.writeTextFile(path, await htpasswdLine(username, password));
      setup.config.auth = { htpasswd: { realm: BASIC_REALM, path } };
      setup.fields = { username, password };
      break;
    }
    case "token": {
      const signing = await createSigningFiles(dir);
      const server = await startTokenServer({
        username,
        password,
        service: TOKEN_SERVICE,
        issuer: TOKEN_ISSUER,
        keyPem: await Deno.readTextFile(signing.keyFile),
        certPem: await Deno.readTextFile(signing.certFile),
      });
      setup.config.auth = {
        token: {
          realm: server.realm,
          service: TOKEN_SERVICE,
          issuer: TOKEN_ISSUER,
          rootcertbundle: signing.certFile,
        },
      };
      setup.fields = { username, password, tokenRequests: server.requests };
      setup.cleanup = server.close;
      break;
    }
    case "tls": {
      const tls = await createTlsFiles(dir);
      setup.scheme = "https";
      setup.http.tls = { certificate: tls.certFile, key: tls.keyFile };
      setup.fields = { caFile: tls.caFile, caCertPem: await Deno.readTextFile(tls.caFile) };
      break;
    }
  }
  return setup;
}

/** A bcrypt htpasswd line (distribution accepts only bcrypt), made by `htpasswd -Bbn`. */
async function htpasswdLine(username: string, password: string): Promise<string> {
  const out = await new Deno.Command("htpasswd", {
    args: ["-Bbn", username, password],
    stdin: "null",
  }).output();
  if (!out.success) {
    throw new ProvisioningError("INTERNAL", `Cannot create an htpasswd entry for "${username}"`, {
      hint: "Install apache2-utils (htpasswd)",
      cause: new Error(new TextDecoder().decode(out.stderr)),
    });
  }
  return new TextDecoder().decode(out.stdout).trim() + "\n";
}
