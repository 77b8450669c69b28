/**
 * Docker credential helpers: `docker-credential-<name> get|store|erase`, the protocol Docker,
 * Podman, Helm and ORAS share (github.com/docker/docker-credential-helpers): `get` and
 * `erase` read the server address on stdin; `get` prints `{"ServerURL","Username","Secret"}`
 * (a `Username` of `<token>` makes `Secret` an identity token); `store` reads that JSON.
 * A helper that does not know the server exits non-zero saying "credentials not found".
 *
 * @module
 */

import { Secret } from "../config/secret.ts";
import { ProvisioningError } from "../errors.ts";

/** What running a helper produced. */
export interface HelperOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `docker-credential-<helper> <action>` with `input` on stdin. */
export type HelperRunner = (
  program: string,
  action: "get" | "store" | "erase",
  input: string,
) => Promise<HelperOutput>;

/** A credential a helper gave. */
export type HelperCredential =
  | { kind: "basic"; username: string; password: Secret }
  | { kind: "identity"; token: Secret };

/**
 * The program of a helper name (`pass` → `docker-credential-pass`), refusing names that
 * are not one plain word, so a config file cannot name a path to run.
 *
 * @example
 * ```ts
 * import { helperProgram } from "./credential_helper.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(helperProgram("osxkeychain"), "docker-credential-osxkeychain");
 * assert.throws(() => helperProgram("../../bin/sh"), /not a credential helper name/);
 * ```
 *
 * @param name The helper name from `credsStore` / `credHelpers`.
 * @returns The program name.
 * @throws {ProvisioningError} `INVALID_CONFIG` for a name with a path or odd characters.
 */
export function helperProgram(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new ProvisioningError(
      "INVALID_CONFIG",
      `"${name}" is not a credential helper name (one word, as in docker-credential-NAME)`,
    );
  }
  return `docker-credential-${name}`;
}

/** Runs a helper program for real: no shell, output captured, stdin written then closed. */
export const runHelperProcess: HelperRunner = async (program, action, input) => {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(program, {
      args: [action],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ProvisioningError(
        "CREDENTIAL_HELPER",
        `Credential helper "${program}" is not installed`,
        {
          cause: error,
          hint: "Install it, or remove it from credsStore/credHelpers in Docker's config.json",
        },
      );
    }
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new ProvisioningError("CREDENTIAL_HELPER", `Running "${program}" is not permitted`, {
        cause: error,
        hint:
          `Launch with --allow-run=${program}; \`provisioning ext permissions\` prints the flags`,
      });
    }
    throw error;
  }
  const writer = child.stdin.getWriter();
  const written = writer.write(new TextEncoder().encode(input)).then(() => writer.close());
  const [out, err, status] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.status,
    written.catch(() => {}), // a helper that exits without reading its stdin
  ]);
  return { code: status.code, stdout: out, stderr: err };
};

/**
 * Asks a helper for the credential of `server`.
 *
 * @example
 * ```ts
 * import { helperGet } from "./credential_helper.ts";
 * import assert from "node:assert/strict";
 *
 * const run = (_p: string, _a: string, input: string) => Promise.resolve({
 *   code: 0, stderr: "",
 *   stdout: JSON.stringify({ ServerURL: input, Username: "bob", Secret: "pat" }),
 * });
 * const cred = await helperGet("docker-credential-x", "r.example:5000", run);
 * assert.equal(cred?.kind === "basic" && cred.username, "bob");
 * ```
 *
 * @param program The helper program.
 * @param server The registry (`host[:port]`).
 * @param run How to run it.
 * @returns The credential, or undefined when the helper has none for `server`.
 * @throws {ProvisioningError} `CREDENTIAL_HELPER` (exit 4) when it fails or answers nonsense.
 */
export async function helperGet(
  program: string,
  server: string,
  run: HelperRunner = runHelperProcess,
): Promise<HelperCredential | undefined> {
  const output = await run(program, "get", server);
  if (output.code !== 0) {
    if (/credentials not found/i.test(output.stdout + output.stderr)) return undefined;
    throw helperFailed(program, "get", output);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(output.stdout);
  } catch {
    doc = undefined; // never echo what may be a secret
  }
  const record = typeof doc === "object" && doc !== null ? doc as Record<string, unknown> : {};
  const { Username: username, Secret: secret } = record;
  if (typeof username !== "string" || typeof secret !== "string" || secret === "") {
    throw new ProvisioningError(
      "CREDENTIAL_HELPER",
      `Credential helper "${program}" answered without "Username" and "Secret" for ${server}`,
    );
  }
  if (username === "<token>") return { kind: "identity", token: new Secret(secret) };
  return { kind: "basic", username, password: new Secret(secret) };
}

/**
 * Stores a credential through a helper (`ext login`).
 *
 * @param program The helper program.
 * @param server The registry.
 * @param username User name.
 * @param secret Password or token.
 * @param run How to run it.
 * @throws {ProvisioningError} `CREDENTIAL_HELPER` when it fails.
 */
export async function helperStore(
  program: string,
  server: string,
  username: string,
  secret: string,
  run: HelperRunner = runHelperProcess,
): Promise<void> {
  const input = JSON.stringify({ ServerURL: server, Username: username, Secret: secret });
  const output = await run(program, "store", input);
  if (output.code !== 0) throw helperFailed(program, "store", output);
}

/**
 * Erases a credential through a helper (`ext logout`).
 *
 * @param program The helper program.
 * @param server The registry.
 * @param run How to run it.
 * @returns Whether the helper had one.
 * @throws {ProvisioningError} `CREDENTIAL_HELPER` when it fails otherwise.
 */
export async function helperErase(
  program: string,
  server: string,
  run: HelperRunner = runHelperProcess,
): Promise<boolean> {
  const output = await run(program, "erase", server);
  if (output.code === 0) return true;
  if (/credentials not found/i.test(output.stdout + output.stderr)) return false;
  throw helperFailed(program, "erase", output);
}

function helperFailed(program: string, action: string, output: HelperOutput): ProvisioningError {
  // The first line of stderr only: helpers print their own error there, never the secret.
  const said = output.stderr.trim().split("\n")[0]?.slice(0, 200);
  return new ProvisioningError(
    "CREDENTIAL_HELPER",
    `Credential helper "${program} ${action}" failed (exit ${output.code})${
      said ? `: ${said}` : ""
    }`,
  );
}
