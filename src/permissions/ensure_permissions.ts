/**
 * Making sure a command holds the set it was planned ({@linkcode ensurePermissions}), in the
 * three places a command runs:
 *
 * - in the scoped worker of a broad launch: the launcher planned the set from the
 *   configuration alone, before the command line was parsed; when the parsed command needs
 *   more (a folder it publishes, `--cache-dir`, a registry named in a reference, a token
 *   realm met for the first time), the worker asks the launcher to run it again with the
 *   larger set, before the command has done anything;
 * - in `ext permissions`, which describes a command instead of running it: the set is
 *   handed back ({@linkcode PlannedPermissions});
 * - anywhere else (a scoped launch, the library): nothing to do — Deno enforces the flags,
 *   and a refused access is reported by the command.
 *
 * @module
 */

import type { PermissionSet } from "./types.ts";
import { missingGrants } from "./worker_permissions.ts";

/** What the scoped worker sends its launcher when the command needs a larger set. */
export interface ReplanMessage {
  /** Always `replan`. */
  kind: "replan";
  /** The set to run the command with. */
  set: PermissionSet;
  /** A token realm learned from a registry's challenge, for the launcher to remember. */
  realm?: { origin: string; hosts: string[] };
}

/** Thrown by {@linkcode ensurePermissions} in plan mode: the set the command would get. */
export class PlannedPermissions extends Error {
  /** The set. */
  readonly set: PermissionSet;
  /**
   * @param set The planned set.
   */
  constructor(set: PermissionSet) {
    super("planned");
    this.name = "PlannedPermissions";
    this.set = set;
  }
}

type Mode =
  | { kind: "process" }
  | { kind: "plan" }
  | { kind: "worker"; given: PermissionSet; ask: (message: ReplanMessage) => void };

let mode: Mode = { kind: "process" };

/**
 * Called by the scoped worker before the command runs: the set the launcher gave it, and
 * how to ask for a larger one.
 *
 * @param given The set the launcher planned.
 * @param ask Sends a {@linkcode ReplanMessage} to the launcher.
 */
export function enterScopedWorker(
  given: PermissionSet,
  ask: (message: ReplanMessage) => void,
): void {
  mode = { kind: "worker", given, ask };
}

/**
 * Runs `describe` with {@linkcode ensurePermissions} in plan mode: the first call throws
 * {@linkcode PlannedPermissions} instead of checking anything.
 *
 * @example
 * ```ts
 * import { ensurePermissions, PlannedPermissions, planningPermissions } from "./ensure_permissions.ts";
 * import assert from "node:assert/strict";
 *
 * const set = { read: ["/a"], write: [], net: [], env: [], run: [], ignoreEnv: true };
 * await planningPermissions(async () => {
 *   await assert.rejects(ensurePermissions(set), PlannedPermissions);
 * });
 * ```
 *
 * @param describe Parses a command line without running it.
 * @returns What `describe` returns.
 */
export async function planningPermissions<T>(describe: () => Promise<T>): Promise<T> {
  const previous = mode;
  mode = { kind: "plan" };
  try {
    return await describe();
  } finally {
    mode = previous;
  }
}

/**
 * Whether {@linkcode ensurePermissions} does anything here (so a caller can skip computing
 * the set where it would not).
 *
 * @example
 * ```ts
 * import { checksPermissions } from "./ensure_permissions.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(checksPermissions(), false);
 * ```
 *
 * @returns False in a scoped launch and in the library.
 */
export function checksPermissions(): boolean {
  return mode.kind !== "process";
}

/**
 * Whether {@linkcode ensurePermissions} hands the set back instead of checking it (inside
 * {@linkcode planningPermissions}).
 *
 * @example
 * ```ts
 * import { isPlanning } from "./ensure_permissions.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isPlanning(), false);
 * ```
 *
 * @returns True while a command line is being described.
 */
export function isPlanning(): boolean {
  return mode.kind === "plan";
}

/**
 * Makes sure the command holds `set` before it starts (see the module documentation). In the
 * worker, when the launcher could grant more than it did, this asks it to run the command
 * again with the union and never resolves (the launcher ends this worker).
 *
 * @example
 * ```ts
 * import { ensurePermissions } from "./ensure_permissions.ts";
 *
 * // In the library or a scoped launch there is nothing to check.
 * await ensurePermissions({ read: ["/"], write: [], net: [], env: [], run: [], ignoreEnv: true });
 * ```
 *
 * @param set The set the command needs.
 * @param realm A token realm learned from a challenge (remembered by the launcher).
 * @throws {PlannedPermissions} In plan mode.
 */
export async function ensurePermissions(
  set: PermissionSet,
  realm?: ReplanMessage["realm"],
): Promise<void> {
  if (mode.kind === "plan") throw new PlannedPermissions(set);
  if (mode.kind === "process" || !lacksAny(set)) return;
  const worker = mode;
  // Loaded only now: most runs never get here, so their worker does not evaluate it.
  const { unionPermissions } = await import("./union_permissions.ts");
  // Grants the launcher gave and Deno still refuses are ones the launch itself lacks: asking
  // again would not help, so the command runs and Deno refuses the access.
  const union = unionPermissions(worker.given, set);
  if (sameSet(union, worker.given)) return;
  worker.ask({ kind: "replan", set: union, ...(realm === undefined ? {} : { realm }) });
  await new Promise<void>(() => {});
}

/**
 * In the scoped worker, gives up the network when the command's set reaches no host
 * (`--offline`) but the worker holds some: the launcher planned from the configuration alone,
 * and Deno can drop a whole kind in place (not a path or a host under it), which is exactly
 * this case. Elsewhere does nothing: a scoped launch holds what its flags say, and the library
 * holds what its process holds.
 *
 * @example
 * ```ts
 * import { dropUnplannedNetwork } from "./ensure_permissions.ts";
 *
 * await dropUnplannedNetwork({ read: ["/c"], write: [], net: [], env: [], run: [], ignoreEnv: true });
 * ```
 *
 * @param set The command's set.
 */
export async function dropUnplannedNetwork(set: PermissionSet): Promise<void> {
  if (mode.kind !== "worker" || set.net.length > 0 || mode.given.net.length === 0) return;
  await Deno.permissions.revoke({ name: "net" });
}

/**
 * In the scoped worker, makes sure a token realm's host can be reached: a realm the
 * registry names for the first time is reported to the launcher, which remembers it and
 * runs the command again with the host granted. Elsewhere does nothing.
 *
 * @example
 * ```ts
 * import { ensureRealmHost } from "./ensure_permissions.ts";
 *
 * await ensureRealmHost("https://reg.example.com", "auth.example.com:443");
 * ```
 *
 * @param origin The registry's origin.
 * @param host The realm's `host:port`.
 */
export function ensureRealmHost(origin: string, host: string): Promise<void> {
  if (mode.kind !== "worker") return Promise.resolve();
  const set = { read: [], write: [], net: [host], env: [], run: [], ignoreEnv: true };
  return ensurePermissions(set, { origin, hosts: [host] });
}

function lacksAny(set: PermissionSet): boolean {
  return missingGrants(set).length > 0 ||
    set.env.some((variable) =>
      Deno.permissions.querySync({ name: "env", variable }).state !== "granted"
    );
}

function sameSet(a: PermissionSet, b: PermissionSet): boolean {
  const kinds = ["read", "write", "net", "env", "run"] as const;
  return kinds.every((kind) => a[kind].join("\n") === b[kind].join("\n"));
}
