import { ProvisioningError } from "../errors.ts";

/**
 * The error of a hook that failed (exit code 6): which hook of which extension, and why,
 * in the hook's own words where it gave any, on one line (Deno's module errors carry their
 * location on a second line, coloured when Deno colours its output).
 *
 * @example
 * ```ts
 * import { hookFailed } from "./hook_failed.ts";
 * import assert from "node:assert/strict";
 *
 * const error = hookFailed({ extension: "aws", name: "render" }, "Error: boom");
 * assert.equal(error.exitCode, 6);
 * assert.equal(error.message, 'Hook "render" of "aws" failed: Error: boom');
 * assert.equal(hookFailed({ extension: "a", name: "b" }, "x\n    at y").message, 'Hook "b" of "a" failed: x at y');
 * ```
 *
 * @param hook The hook's extension and name.
 * @param reason What went wrong.
 * @returns The error (code `HOOK_FAILED`).
 */
export function hookFailed(
  hook: { extension: string; name: string },
  reason: string,
): ProvisioningError {
  return new ProvisioningError(
    "HOOK_FAILED",
    `Hook ${JSON.stringify(hook.name)} of ${JSON.stringify(hook.extension)} failed: ${
      // deno-lint-ignore no-control-regex
      reason.replace(/\x1b\[[0-9;]*m/g, "").trim().replace(/\s*\n\s*/g, " ")}`,
  );
}
