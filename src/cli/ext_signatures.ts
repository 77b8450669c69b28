/**
 * `ext key generate`, `ext sign` and `ext verify`: the CLI face of `src/signatures`. The
 * password of a private key comes from `COSIGN_PASSWORD` (as for cosign; empty is a valid
 * password) or, on a terminal, from a hidden prompt.
 *
 * @module
 */

import { resolve } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { writeTextReplacing } from "../fs/write_replacing.ts";
import { readCosignPrivateKey } from "../signatures/cosign_private_key.ts";
import { generateKeyPair } from "../signatures/generate_key_pair.ts";
import { COSIGN_PASSWORD_ENV } from "../signatures/media_types.ts";
import { readPublicKeyFiles, signaturePolicy, trustedKeyFiles } from "../signatures/policy.ts";
import { resolveSignedArtifact } from "../signatures/resolve_signed_artifact.ts";
import { signArtifact, type SignArtifactResult } from "../signatures/sign_artifact.ts";
import type { PrivateKeyInfo } from "../signatures/types.ts";
import { verifyArtifact } from "../signatures/verify_artifact.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import { type CliContext, printable } from "./io.ts";
import { formatData, type OutputFormat } from "./output.ts";
import { promptHidden } from "./read_hidden_line.ts";

/** Options of `ext key generate`. */
export interface KeyGenerateOptions {
  /** `--output-key-prefix P`: write `P.key` and `P.pub` (default `cosign`). */
  outputKeyPrefix?: string;
  /** `--force`: replace existing files. */
  force?: boolean;
  /** `--format`. */
  format: OutputFormat;
}

/** How a password is asked for (injectable for tests). */
export interface PasswordPrompt {
  /** Whether a person can answer (stdin is a terminal). */
  interactive: boolean;
  /** Asks without echo; `null` at end of input. */
  ask(question: string): Promise<string | null>;
}

/**
 * `ext key generate`: writes `P.key` (the encrypted private key, mode 0600) and `P.pub` in
 * cosign's formats and prints their paths and the key fingerprint.
 *
 * @param ctx Output and environment (`COSIGN_PASSWORD` is read through it).
 * @param options Prefix, force, format.
 * @param prompt How to ask for the password (default: the terminal).
 * @throws {ProvisioningError} `ALREADY_EXISTS` when a file exists and `--force` is not given;
 *   `USAGE` without a password source or when the two entries differ.
 */
export async function runKeyGenerate(
  ctx: CliContext,
  options: KeyGenerateOptions,
  prompt: PasswordPrompt = terminalPrompt(ctx),
): Promise<void> {
  const prefix = resolve(ctx.cwd, options.outputKeyPrefix ?? "cosign");
  const keyFile = `${prefix}.key`;
  const pubFile = `${prefix}.pub`;
  if (options.force !== true) {
    for (const file of [keyFile, pubFile]) {
      if (await exists(file)) {
        throw new ProvisioningError("ALREADY_EXISTS", `Refusing to replace "${file}"`, {
          hint: "Pass --force to replace it, or choose another --output-key-prefix",
        });
      }
    }
  }
  const password = await readPassword(ctx, prompt, true);
  const pair = await generateKeyPair(password);
  await writeTextReplacing(keyFile, pair.privateKeyPem, { mode: 0o600 });
  await writeTextReplacing(pubFile, pair.publicKeyPem, { mode: 0o644 });
  const result = { privateKey: keyFile, publicKey: pubFile, keyId: pair.keyId };
  if (options.format !== "table") return ctx.out(await formatData(result, options.format));
  ctx.out(
    `Private key written to ${printable(keyFile)}\nPublic key written to ${
      printable(pubFile)
    }\nkey fingerprint: ${pair.keyId}\n`,
  );
}

/** Options of `ext sign`. */
export interface SignCommandOptions {
  /** `--key P.key`. */
  key: string;
  /** `--version`. */
  version?: string;
  /** `-a, --annotation k=v`, repeatable. */
  annotation?: string[];
  /** `--format`. */
  format: OutputFormat;
}

/**
 * `ext sign REF --key P.key`: signs the manifest the reference names and stores the
 * signature at its `sha256-<hex>.sig` tag.
 *
 * @param ctx Output and environment.
 * @param globals `--registry`, `--namespace`.
 * @param ref The extension reference.
 * @param options Key, version, annotations, format.
 * @throws {ProvisioningError} Key, reference, registry errors.
 */
export async function runSign(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  ref: string,
  options: SignCommandOptions,
): Promise<void> {
  const annotations = parseAnnotations(options.annotation ?? []);
  const key = await readPrivateKeyFile(ctx, options.key);
  const config = await loadCliConfig(ctx, globals);
  const target = await resolveSignedArtifact(config, ref, options.version, clientOptions(ctx));
  try {
    const result = await signArtifact({
      client: target.client,
      repository: target.repository,
      digest: target.digest,
      key,
      ...(Object.keys(annotations).length === 0 ? {} : { annotations }),
    });
    await printSigned(ctx, result, options.format);
  } finally {
    target.client.close();
  }
}

/**
 * Reads a cosign private key file with the password from `COSIGN_PASSWORD` or the terminal.
 *
 * @param ctx Output and environment.
 * @param file The `.key` file (relative to the current directory).
 * @param prompt How to ask (default: the terminal).
 * @returns The key.
 * @throws {ProvisioningError} `INVALID_CONFIG` for an unreadable file; `INVALID_KEY`.
 */
export async function readPrivateKeyFile(
  ctx: CliContext,
  file: string,
  prompt: PasswordPrompt = terminalPrompt(ctx),
): Promise<PrivateKeyInfo> {
  const path = resolve(ctx.cwd, file);
  let pem: string;
  try {
    pem = await Deno.readTextFile(path);
  } catch (error) {
    throw new ProvisioningError("INVALID_KEY", `Cannot read private key "${path}"`, {
      cause: error,
      hint: "Give the .key file of `provisioning ext key generate` or `cosign generate-key-pair`",
    });
  }
  return await readCosignPrivateKey(pem, await readPassword(ctx, prompt, false), path);
}

/**
 * Prints what a signing did (table or JSON/YAML).
 *
 * @param ctx Output.
 * @param result The signing result.
 * @param format The output format.
 */
export async function printSigned(
  ctx: CliContext,
  result: SignArtifactResult,
  format: OutputFormat,
): Promise<void> {
  if (format !== "table") return ctx.out(await formatData(result, format));
  ctx.out(
    `Signed ${result.reference}\nsigner:    ${result.signer}\nsignature: ${result.signatureReference} (${result.signatures} stored)\n`,
  );
}

/** Options of `ext verify`. */
export interface VerifyCommandOptions {
  /** `--key P.pub`, repeatable; default: the keys `[[signatures.trust]]` trusts for it. */
  key?: string[];
  /** `--version`. */
  version?: string;
  /** `--format`. */
  format: OutputFormat;
}

/**
 * `ext verify REF [--key P.pub]`: verifies the manifest the reference names; exit 0 printing
 * the verified digest and the signer's fingerprint, exit 5 when unsigned, tampered or signed
 * by another key.
 *
 * @param ctx Output and environment.
 * @param globals `--registry`, `--namespace`.
 * @param ref The extension reference.
 * @param options Keys, version, format.
 * @throws {ProvisioningError} `UNSIGNED` / `SIGNATURE_INVALID` (exit 5); `INVALID_KEY`;
 *   reference and registry errors.
 */
export async function runVerify(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  ref: string,
  options: VerifyCommandOptions,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const given = (options.key ?? []).map((file) => resolve(ctx.cwd, file));
  const target = await resolveSignedArtifact(config, ref, options.version, clientOptions(ctx));
  try {
    const policy = signaturePolicy(target.config.settings);
    const location = `${target.repository.registry}/${target.repository.repository}`;
    const files = given.length > 0 ? given : trustedKeyFiles(policy, location);
    if (files.length === 0) {
      throw new ProvisioningError("USAGE", `No key to verify "${location}" with`, {
        hint: "Pass --key cosign.pub, or trust keys for it in [[signatures.trust]]",
      });
    }
    const verified = await verifyArtifact({
      client: target.client,
      repository: target.repository,
      digest: target.digest,
      keys: await readPublicKeyFiles(files),
      checkReference: policy.checkReference,
    });
    const result = { ...verified, version: target.version, verified: true };
    if (options.format !== "table") return ctx.out(await formatData(result, options.format));
    ctx.out(
      `Verified ${verified.reference} (${target.version})\nsigner: ${verified.signer}\n`,
    );
  } finally {
    target.client.close();
  }
}

/**
 * Reads `k=v` annotations.
 *
 * @example
 * ```ts
 * import { parseAnnotations } from "./ext_signatures.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseAnnotations(["team=ops", "ci=1"]), { team: "ops", ci: "1" });
 * assert.throws(() => parseAnnotations(["nope"]), { code: "USAGE" });
 * ```
 *
 * @param values The flag values.
 * @returns The annotations.
 * @throws {ProvisioningError} `USAGE` for a value without `=`.
 */
export function parseAnnotations(values: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    if (eq <= 0) {
      throw new ProvisioningError("USAGE", `Cannot use annotation "${value}": expected KEY=VALUE`);
    }
    result[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return result;
}

async function readPassword(
  ctx: CliContext,
  prompt: PasswordPrompt,
  confirm: boolean,
): Promise<string> {
  const fromEnv = ctx.getEnv(COSIGN_PASSWORD_ENV);
  if (fromEnv !== undefined) return fromEnv;
  if (!prompt.interactive) {
    throw new ProvisioningError(
      "USAGE",
      `No password for the private key: ${COSIGN_PASSWORD_ENV} is not set and stdin is not a terminal`,
      { hint: `Set ${COSIGN_PASSWORD_ENV} (it may be empty), or run on a terminal` },
    );
  }
  const first = await prompt.ask("Enter password for private key: ");
  if (first === null) throw new ProvisioningError("USAGE", "No password given");
  if (confirm) {
    const again = await prompt.ask("Enter password for private key again: ");
    if (again !== first) throw new ProvisioningError("USAGE", "The two passwords differ");
  }
  return first;
}

function terminalPrompt(ctx: CliContext): PasswordPrompt {
  return {
    interactive: Deno.stdin.isTerminal(),
    ask: (question) => promptHidden(ctx, question),
  };
}

function clientOptions(ctx: CliContext) {
  return {
    home: ctx.home,
    onNote: (line: string, level?: string) => ctx.err(`${level ?? "note"}: ${printable(line)}\n`),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
