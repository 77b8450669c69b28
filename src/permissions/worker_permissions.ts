import type { PermissionSet } from "./types.ts";

/**
 * Variables libraries read on their own (semver: `NODE_DEBUG`; yaml: `LOG_TOKENS`,
 * `LOG_STREAM`). A worker may read them
 * only when the launch itself may (`-A`); under the documented launch
 * (`--allow-env=… --ignore-env`) the launch may not, so they are left out and read as unset.
 */
export const LIBRARY_ENV_PROBES: readonly string[] = [
  "LOG_STREAM",
  "LOG_TOKENS",
  "NODE_DEBUG",
];

/** One grant of a set the launching process does not hold itself. */
export interface MissingGrant {
  /** The permission kind. */
  kind: "read" | "write" | "net" | "run";
  /** The path, host or program. */
  value: string;
}

/**
 * The grants of a set that the current process lacks. A worker can only narrow what its
 * parent holds; Deno refuses to create one that asks for more.
 *
 * @example
 * ```ts
 * import { missingGrants } from "./worker_permissions.ts";
 * import assert from "node:assert/strict";
 *
 * const set = { read: [], write: [], net: [], env: [], run: [], ignoreEnv: true };
 * assert.deepEqual(missingGrants(set), []);
 * ```
 *
 * @param set The set a worker would get.
 * @returns The grants the process does not hold (empty when a worker can be created).
 */
export function missingGrants(set: PermissionSet): MissingGrant[] {
  const missing: MissingGrant[] = [];
  const check = (
    kind: MissingGrant["kind"],
    value: string,
    descriptor: Deno.PermissionDescriptor,
  ) => {
    if (Deno.permissions.querySync(descriptor).state !== "granted") missing.push({ kind, value });
  };
  for (const path of set.read) check("read", path, { name: "read", path });
  for (const path of set.write) check("write", path, { name: "write", path });
  for (const host of set.net) check("net", host, { name: "net", host });
  for (const command of set.run) check("run", command, { name: "run", command });
  return missing;
}

/**
 * The part of a set the current process holds: every grant {@linkcode missingGrants} names
 * is left out. A worker can only narrow what its parent holds, so this is the most a worker
 * can get; inside it, Deno refuses the dropped grants exactly as it would refuse them to the
 * launch itself.
 *
 * @example
 * ```ts
 * import { heldGrants } from "./worker_permissions.ts";
 * import assert from "node:assert/strict";
 *
 * const set = { read: [], write: [], net: [], env: ["HOME"], run: [], ignoreEnv: true };
 * assert.deepEqual(heldGrants(set), set);
 * ```
 *
 * @param set The set a worker should get.
 * @param missing The grants the process lacks (default: {@linkcode missingGrants}).
 * @returns The set without them.
 */
export function heldGrants(
  set: PermissionSet,
  missing: readonly MissingGrant[] = missingGrants(set),
): PermissionSet {
  const lacks = (kind: MissingGrant["kind"], value: string) =>
    missing.some((grant) => grant.kind === kind && grant.value === value);
  return {
    ...set,
    read: set.read.filter((path) => !lacks("read", path)),
    write: set.write.filter((path) => !lacks("write", path)),
    net: set.net.filter((host) => !lacks("net", host)),
    run: set.run.filter((command) => !lacks("run", command)),
  };
}

/**
 * The `deno.permissions` option of a Worker that grants exactly a set: each kind as its
 * list (or `false` when empty); `sys`, `ffi` and remote `import` always `false`. Variables
 * are limited to those the process itself may read (plus {@linkcode LIBRARY_ENV_PROBES}
 * when it may read them), so a launch with `--ignore-env` passes that behaviour on.
 *
 * @example
 * ```ts
 * import { workerPermissions } from "./worker_permissions.ts";
 * import assert from "node:assert/strict";
 *
 * const options = workerPermissions(
 *   { read: ["/c"], write: ["/c"], net: [], env: ["HOME"], run: [], ignoreEnv: true },
 *   () => true,
 * );
 * assert.deepEqual(options.net, false);
 * assert.deepEqual(options.write, ["/c"]);
 * assert.deepEqual(options.env, ["HOME", "LOG_STREAM", "LOG_TOKENS", "NODE_DEBUG"]);
 * ```
 *
 * @param set The permission set.
 * @param mayReadEnv Whether the process may read a variable (default: asks Deno).
 * @returns The options object for `new Worker(…, { deno: { permissions } })`.
 */
export function workerPermissions(
  set: PermissionSet,
  mayReadEnv: (name: string) => boolean = envGranted,
): Deno.PermissionOptionsObject {
  const listOrFalse = (values: readonly string[]) => values.length === 0 ? false : [...values];
  const env = [...set.env, ...LIBRARY_ENV_PROBES.filter((name) => !set.env.includes(name))]
    .filter(mayReadEnv);
  return {
    read: listOrFalse(set.read),
    write: listOrFalse(set.write),
    net: listOrFalse(set.net),
    env: listOrFalse(env),
    run: listOrFalse(set.run),
    sys: false,
    ffi: false,
    import: false,
  };
}

function envGranted(variable: string): boolean {
  return Deno.permissions.querySync({ name: "env", variable }).state === "granted";
}
