/** Grants a hook's worker asks for, by kind. */
export interface HookWorkerGrants {
  /** Paths to read. */
  read: readonly string[];
  /** Paths to write. */
  write: readonly string[];
  /** Hosts. */
  net: readonly string[];
  /** Variables. */
  env: readonly string[];
}

/**
 * The grants the current thread holds itself, as Worker permission values (`false` for
 * none). A worker can only narrow its parent's permissions and Deno refuses to create one
 * that asks for more, so what the tool does not hold is left out, and Deno refuses it to
 * the hook like anything never declared.
 *
 * @example
 * ```ts
 * import { heldOnly } from "./held_only.ts";
 * import assert from "node:assert/strict";
 *
 * const held = heldOnly({ read: ["/"], write: [], net: [], env: [] }, () => true);
 * assert.deepEqual(held, { read: ["/"], write: false, net: false, env: false });
 * ```
 *
 * @param grants What the hook may use.
 * @param holds Whether the thread holds one grant (default: asks Deno).
 * @returns The worker's `read`, `write`, `net` and `env` permissions.
 */
export function heldOnly(
  grants: HookWorkerGrants,
  holds: (descriptor: Deno.PermissionDescriptor) => boolean = (descriptor) =>
    Deno.permissions.querySync(descriptor).state === "granted",
): {
  read: string[] | false;
  write: string[] | false;
  net: string[] | false;
  env: string[] | false;
} {
  const keep = (values: string[]) => (values.length === 0 ? false : values);
  return {
    read: keep(grants.read.filter((path) => holds({ name: "read", path }))),
    write: keep(grants.write.filter((path) => holds({ name: "write", path }))),
    net: keep(grants.net.filter((host) => holds({ name: "net", host }))),
    env: keep(grants.env.filter((variable) => holds({ name: "env", variable }))),
  };
}
