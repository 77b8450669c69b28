import { ProvisioningError } from "../errors.ts";

/** How deep a chain of `cause`s is searched. */
const MAX_CAUSES = 16;

/**
 * Turns Deno's refusal of an operation outside the permission set (a `Deno.errors.NotCapable`
 * thrown anywhere in a command, itself or as the `cause` of what the command threw) into one
 * clear error: `Deno refused write access to "/x": not in this command's permission set`,
 * code `UNSUPPORTED` (exit 2), with a hint naming `provisioning ext permissions`. Deno's own
 * text ("run again with the --allow-write flag") is wrong advice inside a scoped worker, and
 * a refusal is not an unexpected failure.
 *
 * Only what would otherwise be an unexpected failure is mapped: a plain error, or a
 * {@linkcode ProvisioningError} with code `INTERNAL` wrapping one (the loader wraps what it
 * did not expect). Any other `ProvisioningError` is left as it is (undefined): the library
 * already said what was refused in its own words (the OCI client's `network access is not
 * permitted`, `Cannot run "git": not permitted`). Anything without a refusal yields
 * undefined too.
 *
 * @example
 * ```ts
 * import { permissionRefusal } from "./permission_refusal.ts";
 * import { ProvisioningError } from "../errors.ts";
 * import assert from "node:assert/strict";
 *
 * const denied = new Deno.errors.NotCapable(
 *   'Requires write access to "/etc/x", run again with the --allow-write flag',
 * );
 * const wrapped = new Error("Cannot save", { cause: denied });
 * const refusal = permissionRefusal(wrapped);
 * assert.equal(refusal?.message, `Deno refused write access to "/etc/x": not in this command's permission set`);
 * assert.equal(refusal?.exitCode, 2);
 * assert.equal(permissionRefusal(new Error("other")), undefined);
 * assert.equal(permissionRefusal(new ProvisioningError("UNSUPPORTED", "Cannot connect", { cause: denied })), undefined);
 * assert.equal(permissionRefusal(new ProvisioningError("INTERNAL", "Loading failed", { cause: denied }))?.code, "UNSUPPORTED");
 * ```
 *
 * @param error Anything a command threw.
 * @returns The error to report, or undefined when Deno refused nothing.
 */
export function permissionRefusal(error: unknown): ProvisioningError | undefined {
  if (error instanceof ProvisioningError && error.code !== "INTERNAL") return undefined;
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSES && current instanceof Error; depth++) {
    if (current instanceof Deno.errors.NotCapable) {
      const match = /^Requires (\w+) access to ("[^"]*"|<[^>]*>|[^,]+)/.exec(current.message);
      const what = match === null
        ? `an operation (${current.message})`
        : `${match[1]} access to ${match[2]}`;
      return new ProvisioningError(
        "UNSUPPORTED",
        `Deno refused ${what}: not in this command's permission set`,
        {
          cause: error,
          hint: "See what the command may use: provisioning ext permissions <command>",
        },
      );
    }
    current = current.cause;
  }
  return undefined;
}
