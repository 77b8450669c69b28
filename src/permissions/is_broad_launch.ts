/** Permission kinds whose unscoped grant makes a launch broad. */
const KINDS = ["read", "write", "net", "env", "run", "ffi", "sys"] as const;

/**
 * Whether the process holds any permission without a scope (`-A`, `--allow-read`,
 * `--allow-net`, … with no list, as the compiled binary and the `deno task` launch do).
 * Such a launch must run its command in a scoped worker ({@linkcode runScoped}); a launch
 * with only scoped flags (those {@linkcode permissionFlags} prints) is already limited by
 * Deno and runs the command in place.
 *
 * @example
 * ```ts
 * import { isBroadLaunch } from "./is_broad_launch.ts";
 * import assert from "node:assert/strict";
 *
 * const query = (name: string) => name === "read" ? "granted" : "prompt";
 * assert.equal(isBroadLaunch(query), true);
 * assert.equal(isBroadLaunch(() => "prompt"), false);
 * ```
 *
 * @param query The state of an unscoped permission (default: asks Deno).
 * @returns True when any kind is granted without a scope.
 */
export function isBroadLaunch(
  query: (name: (typeof KINDS)[number]) => Deno.PermissionState = (name) =>
    Deno.permissions.querySync({ name }).state,
): boolean {
  return KINDS.some((name) => query(name) === "granted");
}
