/**
 * Least privilege: one permission plan computed from the configuration and the command
 * line, the `deno run` flags that grant it, and a launcher that runs a command in a Worker
 * holding only that set, so Deno itself refuses anything outside it.
 *
 * - {@linkcode planPermissions} (`plan.ts`, the whole plan in one file): configuration +
 *   what the command line names → {@linkcode PermissionSet}.
 * - {@linkcode ensurePermissions}: a command checks it holds its plan before it starts; in the
 *   worker, a command that needs more asks the launcher to run it again with the union.
 * - {@linkcode permissionFlags}: the set as `--allow-*` flags (with `--no-prompt` and
 *   `--ignore-env`).
 * - {@linkcode runScoped} / {@linkcode isScopedWorker} / {@linkcode serveScopedWorker}: the
 *   Worker launch; {@linkcode launchLeastPrivilege} picks it when the launch is broad;
 *   {@linkcode BROAD_LAUNCH_FLAGS} are the flags of such a launch (`deno task ext`, the
 *   compiled binary).
 * - {@linkcode permissionRefusal}: Deno's `NotCapable` as one clear error.
 *
 * @example
 * ```ts
 * import { permissionFlags, planPermissions } from "./mod.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const flags = permissionFlags(await planPermissions(config, { home, cwd: home }));
 * assert.ok(flags.includes(`--allow-write=${home}/.provisioning`));
 * assert.ok(flags.includes("--allow-net=localhost:5000"));
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./union_permissions.ts";
export * from "./plan.ts";
export * from "./ensure_permissions.ts";
export * from "./remembered_realms.ts";
export * from "./net_host.ts";
export * from "./bundled_examples_dir.ts";
export * from "./permission_flags.ts";
export * from "./token_realm_hosts.ts";
export * from "./worker_permissions.ts";
export * from "./is_broad_launch.ts";
export * from "./run_scoped.ts";
export * from "./launch_least_privilege.ts";
export * from "./launch_flags.ts";
export * from "./permission_refusal.ts";
