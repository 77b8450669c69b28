/**
 * What each command's own arguments add to the permission plan (`src/permissions/plan.ts`):
 * a command declares it beside its definition with {@linkcode declareGrants}, computed from
 * the arguments the parser produced, and {@linkcode ensureCommandPermissions} (a hook that
 * runs before every action) makes sure the command holds the plan before it starts.
 *
 * @module
 */

import { delimiter, dirname, resolve } from "../fs/path.ts";
import type { ResolvedConfig } from "../config/types.ts";
import {
  checksPermissions,
  dropUnplannedNetwork,
  ensurePermissions,
  isPlanning,
} from "../permissions/ensure_permissions.ts";
import { registryNetHost } from "../permissions/net_host.ts";
import { namedRegistry, placeOfRegistry } from "../registries/registry_places.ts";
import type { CommandGrants } from "../permissions/plan.ts";
import { globalOptions } from "./commands/options.ts";
import type { CliContext } from "./io.ts";

/** What a grants declaration is given: the parsed command line and where it runs. */
export interface GrantsInput {
  /** Positional arguments, as the parser processed them. */
  args: readonly unknown[];
  /** The command's own options. */
  options: Record<string, unknown>;
  /** The effective configuration (global flags applied). */
  config: ResolvedConfig;
  /** The folder the user ran the command in (paths resolve from here). */
  cwd: string;
  /** The home folder. */
  home: string;
  /** Reads an environment variable. */
  getEnv(name: string): string | undefined;
}

/** Computes what a command's arguments add to the plan. */
export type GrantsOf = (input: GrantsInput) => CommandGrants | Promise<CommandGrants>;

/** A parsed command as the hook sees it. */
interface ParsedCommand {
  processedArgs: unknown[];
  opts(): Record<string, unknown>;
  optsWithGlobals(): Record<string, unknown>;
}

const DECLARED = new WeakMap<object, GrantsOf>();

/**
 * Declares what `command`'s arguments add to the permission plan.
 *
 * @example
 * ```ts
 * import { Command } from "./parser/command.ts";
 * import { declareGrants } from "./command_grants.ts";
 *
 * const publish = declareGrants(
 *   new Command("publish").argument("<dir>"),
 *   ({ args, cwd }) => ({ read: [`${cwd}/${args[0]}`] }),
 * );
 * ```
 *
 * @param command The command (as registered).
 * @param grantsOf Computes the grants from the parsed arguments.
 * @returns `command`, for chaining.
 */
export function declareGrants<C extends object>(command: C, grantsOf: GrantsOf): C {
  DECLARED.set(command, grantsOf);
  return command;
}

/**
 * Before an action runs: plans the set of this command line (the configuration with the
 * global flags, plus what the command declared) and makes sure the command holds it
 * (`ensurePermissions`). Does nothing where nothing is checked (a scoped launch, the
 * library), and leaves a configuration that does not load to the command to report.
 *
 * @param command The command about to run.
 * @param ctx The CLI context.
 */
export async function ensureCommandPermissions(
  command: ParsedCommand,
  ctx: CliContext,
): Promise<void> {
  if (!checksPermissions()) return;
  const grantsOf = DECLARED.get(command);
  const globals = globalOptions(command);
  // Nothing on the command line adds to the plan: the launcher planned exactly this set.
  if (!isPlanning() && grantsOf === undefined && Object.keys(globals).length === 0) return;
  // Loaded here, not up front: `--help` and scoped launches never pay for the planner.
  const [{ loadCliConfig }, { planPermissions }, { examplesDirForPermissions }] = await Promise
    .all([
      import("./config.ts"),
      import("../permissions/plan.ts"),
      import("../permissions/bundled_examples_dir.ts"),
    ]);
  let config: ResolvedConfig;
  try {
    // Shared with the action's own load, so the files are read once.
    config = await loadCliConfig(ctx, globals, {}, { share: !isPlanning() });
  } catch {
    return; // the command reports the configuration problem itself
  }
  const grants = grantsOf === undefined ? {} : await grantsOf({
    args: command.processedArgs,
    options: command.opts(),
    config,
    cwd: ctx.cwd,
    home: ctx.home,
    getEnv: ctx.getEnv,
  });
  const env = { home: ctx.home, cwd: ctx.cwd, examplesDir: examplesDirForPermissions() };
  const set = await planPermissions(config, env, grants);
  await ensurePermissions(set);
  await dropUnplannedNetwork(set);
}

/**
 * The grants of an extension reference typed as a name: the registry an `oci://` (or
 * `host/namespace/name`) reference names, `git` for a git URL.
 *
 * @example
 * ```ts
 * import { referenceGrants } from "./command_grants.ts";
 * import { defaultSettings } from "../config/defaults.ts";
 * import assert from "node:assert/strict";
 *
 * const config = { settings: defaultSettings("/h"), origins: {} };
 * assert.deepEqual(await referenceGrants("oci://ghcr.io/acme/aws:1.0.0", config), {
 *   net: ["ghcr.io:443"],
 * });
 * assert.deepEqual(await referenceGrants("aws", config), {});
 * ```
 *
 * @param name The name as typed.
 * @param config The effective configuration.
 * @returns The grants.
 */
export async function referenceGrants(
  name: unknown,
  config: Pick<ResolvedConfig, "settings" | "origins">,
): Promise<CommandGrants> {
  if (typeof name !== "string") return {};
  const { isGitReference } = await import("../sources/git_remotes.ts");
  if (isGitReference(name)) return { run: ["git"] };
  const { parseExtensionReference, withReferencePlace } = await import(
    "../sources/extension_reference.ts"
  );
  try {
    const ref = parseExtensionReference(name, undefined, config.settings.oci);
    if (ref.oci === undefined) return {};
    const { oci } = withReferencePlace(config, ref).settings;
    return { net: [registryNetHost(oci.registry, oci)] };
  } catch {
    return {}; // the command reports the malformed reference itself
  }
}

/**
 * The grants of a command that writes the workspace's `extensions.toml` or its lock: the
 * folder of the requirements file (both are replaced through a temporary file there), and,
 * with `tools`, the folders of `PATH` (to look for the tools extensions require; nothing
 * there is run).
 *
 * @param input The parsed command line.
 * @param tools Whether the command looks for required tools.
 * @returns The grants.
 */
export async function workspaceGrants(input: GrantsInput, tools: boolean): Promise<CommandGrants> {
  const { findRequirementsFile, REQUIREMENTS_FILE } = await import(
    "../workspace/find_requirements.ts"
  );
  const cwd = resolve(input.cwd);
  const file = await findRequirementsFile(input.config.workspace, cwd) ??
    resolve(input.config.workspace ?? cwd, REQUIREMENTS_FILE);
  const path = tools
    ? (input.getEnv("PATH") ?? "").split(delimiter).filter((dir) => dir !== "")
    : [];
  return { read: [dirname(file), ...path.map((dir) => resolve(dir))], write: [dirname(file)] };
}

/**
 * The grant to reach a registry named on the command line (`host[:port]`, with the port the
 * client will use); none for a malformed one, which the command reports itself.
 *
 * @example
 * ```ts
 * import { registryGrant } from "./command_grants.ts";
 * import { defaultSettings } from "../config/defaults.ts";
 * import assert from "node:assert/strict";
 *
 * const config = { settings: defaultSettings("/h") };
 * assert.deepEqual(registryGrant("oci://ghcr.io/acme", config), ["ghcr.io:443"]);
 * ```
 *
 * @param typed The registry as typed (`oci://` and a path after the host are allowed).
 * @param config The effective configuration.
 * @returns The `host:port` entries.
 */
export function registryGrant(
  typed: unknown,
  config: Pick<ResolvedConfig, "settings">,
): string[] {
  const host = typedRegistryHost(typed, config);
  try {
    return host === "" ? [] : [registryNetHost(host, { ...config.settings.oci, registry: host })];
  } catch {
    return [];
  }
}

/**
 * The token realm hosts of a registry named on the command line, once the registry itself is
 * granted: remembered ones, else asked now (`GET /v2/`) and remembered. For `ext login`,
 * which reads its password from stdin before it meets the token service: a rerun after the
 * command started would find stdin already read.
 *
 * @param typed The registry as typed.
 * @param config The effective configuration.
 * @param home The home folder (the realms are remembered in `~/.provisioning`).
 * @returns The realm hosts (none while the registry is not granted yet).
 */
export async function realmGrants(
  typed: unknown,
  config: Pick<ResolvedConfig, "settings">,
  home: string,
): Promise<string[]> {
  const [granted] = registryGrant(typed, config);
  if (granted === undefined) return [];
  if (Deno.permissions.querySync({ name: "net", host: granted }).state !== "granted") return [];
  const { realmHostsOf } = await import("../permissions/remembered_realms.ts");
  // A listed registry is asked with its own CA.
  const { oci } = placeOfRegistry(config.settings.oci, typedRegistryHost(typed, config));
  return await realmHostsOf(home, oci, { ask: true }) ?? [];
}

/** The `host[:port]` a registry word names: `oci://` and a path dropped, a listed name resolved. */
function typedRegistryHost(typed: unknown, config: Pick<ResolvedConfig, "settings">): string {
  if (typeof typed !== "string") return "";
  const word = (typed.startsWith("oci://") ? typed.slice(6) : typed).split("/")[0] ?? "";
  return namedRegistry(config.settings.oci, word).split("/")[0] ?? "";
}

/**
 * A path option or argument, resolved from the folder the command was run in.
 *
 * @example
 * ```ts
 * import { pathsOf } from "./command_grants.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(pathsOf("/w", "a", undefined, ["b"]), ["/w/a", "/w/b"]);
 * ```
 *
 * @param cwd The folder the command was run in.
 * @param values Strings, string lists or nothing.
 * @returns The absolute paths.
 */
export function pathsOf(cwd: string, ...values: unknown[]): string[] {
  return values.flat().filter((value): value is string => typeof value === "string")
    .filter((value) => value !== "" && value !== "-").map((value) => resolve(cwd, value));
}
