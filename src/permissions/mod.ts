/**
 * Least privilege: the exact Deno permission set each command needs under the effective
 * configuration, the `deno run` flags that grant it, and a launcher that runs a command
 * in a Worker holding only that set, so Deno itself refuses anything outside it.
 *
 * - {@linkcode COMMAND_NEEDS} / {@linkcode commandNeeds}: what each command does.
 * - {@linkcode computePermissions}: needs + configuration → {@linkcode PermissionSet}
 *   (pure); {@linkcode planPermissions} loads the configuration, turns arguments into
 *   grants and asks the registry for its token realm first.
 * - {@linkcode permissionFlags}: the set as `--allow-*` flags (with `--no-prompt` and
 *   `--ignore-env`).
 * - {@linkcode runScoped} / {@linkcode isScopedWorker} / {@linkcode serveScopedWorker}: the
 *   Worker launch, for the compiled binary and every broad launch;
 *   {@linkcode launchLeastPrivilege} picks it when the launch is broad;
 *   {@linkcode BROAD_LAUNCH_FLAGS} are the flags of such a launch (`deno task ext`, the
 *   compiled binary).
 * - {@linkcode permissionRefusal}: Deno's `NotCapable` as one clear error.
 *
 * @example
 * ```ts
 * import { commandNeeds, computePermissions, permissionFlags } from "./mod.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const set = computePermissions(config, commandNeeds(["ext", "cache", "clear"]), {
 *   home,
 *   cwd: home,
 *   execPath: "deno",
 * });
 * const flags = permissionFlags(set);
 * assert.ok(flags.includes(`--allow-write=${home}/.provisioning/cache`));
 * assert.ok(!flags.some((flag) => flag.startsWith("--allow-net")));
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./command_needs.ts";
export * from "./sources_in_play.ts";
export * from "./net_host.ts";
export * from "./bundled_examples_dir.ts";
export * from "./compute_permissions.ts";
export * from "./permission_flags.ts";
export * from "./token_realm_hosts.ts";
export * from "./scan_argv.ts";
export * from "./plan_permissions.ts";
export * from "./worker_permissions.ts";
export * from "./is_broad_launch.ts";
export * from "./run_scoped.ts";
export * from "./launch_least_privilege.ts";
export * from "./launch_flags.ts";
export * from "./permission_refusal.ts";
