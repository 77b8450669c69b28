/**
 * Turning a thrown error into one clear line on stderr and an exit code.
 *
 * @module
 */

import { type ExitCode, exitCodeOf, ProvisioningError } from "../errors.ts";
import { permissionRefusal } from "../permissions/permission_refusal.ts";
import { type CliIo, paint, printable, StdoutClosed } from "./io.ts";

/**
 * Prints `error: <message>` (plus detail lines and a hint) and returns the exit code.
 * Stack traces only with `debug`. Deno's refusal of an operation outside the command's
 * permission set (`NotCapable`, anywhere in the cause chain) is reported as
 * `Deno refused … access to "…": not in this command's permission set` (exit 2), not as an
 * unexpected failure.
 *
 * @example
 * ```ts
 * import { reportError } from "./report_error.ts";
 * import { ProvisioningError } from "../errors.ts";
 * import assert from "node:assert/strict";
 *
 * let text = "";
 * const io = { out: () => {}, err: (t: string) => text += t, stderrIsTerminal: false, color: false };
 * const code = reportError(new ProvisioningError("NOT_FOUND", 'Extension "x" not found'), io, false);
 * assert.equal(code, 3);
 * assert.equal(text, 'error: Extension "x" not found\n');
 * ```
 *
 * @param thrown Anything thrown by a command.
 * @param io Where to write.
 * @param debug Whether to print the stack and causes.
 * @returns The exit code of the CLI contract.
 */
export function reportError(thrown: unknown, io: CliIo, debug: boolean): ExitCode {
  if (thrown instanceof StdoutClosed) return 0; // the reader has what it wanted
  const error = permissionRefusal(thrown) ?? thrown;
  const label = paint(io, "red", "error:");
  if (error instanceof ProvisioningError) {
    // Messages quote registries, archives and manifests: print them escaped.
    io.err(`${label} ${printable(error.message)}\n`);
    // A one-problem error is its problem: the detail line would repeat the message.
    for (const line of error.details) {
      if (line !== error.message) io.err(`  ${printable(line)}\n`);
    }
    if (error.hint !== undefined) io.err(`${paint(io, "dim", "hint:")} ${printable(error.hint)}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`${label} Unexpected failure: ${printable(message)}\n`);
    if (!debug) io.err(`${paint(io, "dim", "hint:")} Run again with --debug for details\n`);
  }
  if (debug && error instanceof Error) {
    io.err(`${error.stack ?? ""}\n`);
    let cause = error.cause;
    while (cause !== undefined) {
      io.err(`caused by: ${cause instanceof Error ? cause.stack : String(cause)}\n`);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return exitCodeOf(error);
}
