import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { CONFIG_ENV_VARS } from "../config/env_vars.ts";
import { defaultSettings } from "../config/defaults.ts";
import { loadConfig } from "../config/load_config.ts";
import type { ConfigFlags, ResolvedConfig } from "../config/types.ts";
import { registryArgument, registryBaseUrl, splitRegistrySetting } from "../oci/transport.ts";
import { examplesDirForPermissions } from "./bundled_examples_dir.ts";
import { commandNeeds, TOOL_PATH } from "./command_needs.ts";
import { cacheFolders, computePermissions } from "./compute_permissions.ts";
import { registryNetHost } from "./net_host.ts";
import { isGitReference } from "../sources/git_remotes.ts";
import { sourcesInPlay } from "./sources_in_play.ts";
import { tokenRealmHosts } from "./token_realm_hosts.ts";
import { rememberedRealmHosts } from "./remembered_realms.ts";

import { parseExtensionReference, withReferencePlace } from "../sources/extension_reference.ts";
import { registriesOfCommand } from "./registries_of_command.ts";
import type { CommandNeeds, PermissionEnv, PermissionExtras, PermissionSet } from "./types.ts";

/** The surroundings {@linkcode planPermissions} works in. */
export interface PlanEnv extends PermissionEnv {
  /** Reads one environment variable (only {@linkcode CONFIG_ENV_VARS} are asked for). */
  getEnv(name: string): string | undefined;
}

/** What a command is about to do, as {@linkcode planPermissions} needs to know it. */
export interface PlanRequest {
  /** Command words (`["ext", "load"]`). */
  command: readonly string[];
  /** Global flags that feed the configuration. */
  globals?: {
    registry?: string;
    namespace?: string;
    cacheDir?: string;
    caFile?: string;
    plainHttp?: boolean;
  };
  /** `--source` for commands that take it. */
  source?: string | undefined;
  /** The first positional argument (a directory for publish, a registry for login). */
  argument?: string | undefined;
  /** The second positional argument (`ext copy`'s destination). */
  destination?: string | undefined;
  /** `--from-oci-layout DIR`. */
  fromLayout?: string | undefined;
  /** `--offline` / `--dry-run`: the command contacts nothing, so no host is granted. */
  offline?: boolean;
  /** Needs to use instead of the command's entry in the table ({@linkcode commandNeeds}). */
  needs?: CommandNeeds;
  /** `--port` of a command that listens (`ext ui`); default 0. */
  port?: string;
  /** `--open` of a command that listens: it starts `xdg-open`. */
  open?: boolean;
  /** `--key` files (read by `ext sign`, `ext verify`, `ext publish --sign`). */
  keyFiles?: readonly string[];
  /** `--output-key-prefix` of `ext key generate` (default `cosign`). */
  outputKeyPrefix?: string | undefined;
}

/** Options of {@linkcode planPermissions}. */
export interface PlanOptions {
  /**
   * Ask the registry for its token realm (`GET /v2/`) and add the realm host it names.
   * Default true; the probe is skipped anyway for commands that do not reach the registry,
   * and an answer is remembered in the cache for a day (`remembered_realms.ts`).
   */
  probeTokenRealm?: boolean;
  /** Milliseconds the probe may take (default 3000). */
  probeTimeoutMs?: number;
}

/** The permission set of one command run, with what it was computed from. */
export interface PermissionPlan {
  /** Command words. */
  command: string[];
  /** Its needs. */
  needs: CommandNeeds;
  /** The effective configuration. */
  config: ResolvedConfig;
  /** Registries probed, and the token realm hosts each named (`host:port`). */
  tokenRealms: { registry: string; hosts: string[] }[];
  /** The set. */
  set: PermissionSet;
}

/**
 * Computes the permission set of a command about to run: loads the configuration (defaults,
 * files, the documented variables, the global flags and `--source`), looks up the command's
 * needs, turns its argument into a grant (a directory to read, a registry to reach), asks
 * each registry the command may reach for its token realm, and calls
 * {@linkcode computePermissions}. A cache root reached through a symlink is granted at its
 * real path too (the cache works below `realPath(root)`, and Deno checks paths as written).
 *
 * A token realm on another host is reached only after the registry named it in a challenge:
 * the launcher asks the registry before the command starts (one anonymous `GET /v2/`) and
 * grants the realm's `host:port`, nothing else.
 *
 * @example
 * ```ts
 * import { planPermissions } from "./plan_permissions.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const plan = await planPermissions(
 *   { command: ["ext", "cache", "list"], globals: { cacheDir: "/srv/cache" } },
 *   { home, cwd: home, execPath: "deno", getEnv: () => undefined },
 * );
 * assert.deepEqual(plan.set.write, []);
 * assert.ok(plan.set.read.includes("/srv/cache"));
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param request The command, global flags, `--source` and argument.
 * @param env Home, current directory, executable, the environment, and the examples folder
 *   (default: {@linkcode examplesDirForPermissions}, looked up only when needed).
 * @param options Whether and how long to probe for token realms.
 * @returns The plan.
 * @throws {ProvisioningError} `INVALID_CONFIG` / `USAGE` for a bad configuration or flag
 *   (the same errors the command would report).
 */
export async function planPermissions(
  request: PlanRequest,
  env: PlanEnv,
  options: PlanOptions = {},
): Promise<PermissionPlan> {
  const command = [...request.command];
  const needs = { ...(request.needs ?? commandNeeds(command)) };
  if (request.offline === true) needs.net = false;
  const vars: Record<string, string | undefined> = {};
  for (const name of CONFIG_ENV_VARS) vars[name] = env.getEnv(name);
  const flags: ConfigFlags = { ...request.globals };
  if (request.source !== undefined) flags.source = request.source;
  // A git URL as the name goes to the git source alone (as the loader does), so plan for it.
  if (
    needs.sources && (request.source === undefined || request.source === "auto") &&
    request.argument !== undefined && isGitReference(request.argument)
  ) {
    flags.source = "git";
  }
  // Help and unknown commands read no config: a broken config file must not break --help.
  const loaded: ResolvedConfig = needs.config
    ? await loadConfig({ cwd: env.cwd, home: env.home, env: vars, flags })
    : {
      settings: defaultSettings(env.home),
      origins: {},
      workspace: undefined,
      secrets: { gitea_token: undefined },
      files: [],
    };
  // A reference naming a registry (`oci://host/ns/aws`) is loaded from there alone: plan that.
  const config = needs.sources && request.argument !== undefined
    ? configForReference(loaded, request.argument)
    : loaded;
  const oci = config.settings.oci;

  const extras: { read: string[]; net: string[] } = { read: [], net: [] };
  const registries: { registry: string; url: URL; caFile?: string | undefined }[] = [];
  const argument = request.argument;
  if (needs.argument === "path" && argument !== undefined) {
    extras.read.push(resolve(env.cwd, argument));
  }
  const write: string[] = [];
  if (needs.keys === "read") {
    extras.read.push(...(request.keyFiles ?? []).map((file) => resolve(env.cwd, file)));
  }
  if (needs.keys === "write") {
    // P.key and P.pub are replaced through a temporary file in their folder.
    const prefix = resolve(env.cwd, request.outputKeyPrefix ?? "cosign");
    extras.read.push(`${prefix}.key`, `${prefix}.pub`, dirname(prefix));
    write.push(dirname(prefix));
  }
  if (needs.workspace !== undefined) {
    // The walk up from the current folder may open each extensions.toml; the one found
    // (or the workspace's) has its lock beside it, replaced through a temporary file there.
    // Loaded only here: its TOML parser is no start-up cost for other commands.
    const { findRequirementsFile, LOCK_FILE, REQUIREMENTS_FILE } = await import(
      "../workspace/find_requirements.ts"
    );
    const cwd = resolve(env.cwd);
    for (let dir = cwd;; dir = dirname(dir)) {
      extras.read.push(join(dir, REQUIREMENTS_FILE));
      if (dirname(dir) === dir) break;
    }
    // `ext add` creates the file in the workspace folder (or here) when there is none.
    const file = await findRequirementsFile(config.workspace, cwd) ??
      (needs.workspace === "write" ? join(config.workspace ?? cwd, REQUIREMENTS_FILE) : undefined);
    if (file !== undefined) {
      extras.read.push(file, join(dirname(file), LOCK_FILE));
      // Replacing the lock opens a new temporary file there, which Deno checks for reading too.
      if (needs.workspace === "write") {
        write.push(dirname(file));
        extras.read.push(dirname(file));
      }
    }
    if (needs.workspace === "write") {
      // Installing looks for the tools extensions `requires` in PATH's folders (never runs them).
      needs.env = [...(needs.env ?? []), TOOL_PATH];
      const path = env.getEnv(TOOL_PATH) ?? "";
      extras.read.push(...path.split(delimiter).filter((dir) => isAbsolute(dir)));
    }
  }
  if (needs.argument === "registry" && argument !== undefined && needs.net) {
    const registry = registryArgument(argument);
    const settings = { ...oci, registry };
    extras.net.push(registryNetHost(registry, settings));
    registries.push({ registry, url: baseUrl(registry, settings) });
  }
  if (needs.destination === true) {
    if (request.fromLayout !== undefined) extras.read.push(resolve(env.cwd, request.fromLayout));
    const dest = request.destination;
    if (dest?.startsWith("oci-layout:")) {
      const path = resolve(env.cwd, dest.slice("oci-layout:".length));
      write.push(path);
      extras.read.push(path);
    } else if (dest !== undefined && needs.net) {
      const host = (dest.startsWith("oci://") ? dest.slice(6) : dest).split("/")[0] ?? "";
      if (host !== "") {
        const settings = { ...oci, registry: host };
        extras.net.push(registryNetHost(host, settings));
        registries.push({ registry: host, url: baseUrl(host, settings) });
      }
    }
  }
  const usesRegistry = needs.registry ||
    (needs.sources && sourcesInPlay(config.settings).includes("oci"));
  // Every registry a read goes to (`[[oci.registries]]`, or `[oci] registry` alone).
  const places = registriesOfCommand(
    config,
    needs,
    needs.sources && sourcesInPlay(config.settings).includes("oci"),
  );
  if (usesRegistry && needs.net) {
    for (const place of places) {
      registries.push({
        registry: place.registry,
        url: baseUrl(place.registry, place),
        caFile: place.ca_file,
      });
    }
  }

  const run: string[] = [];
  // A Docker credential helper the configuration names for a registry in play may be run.
  if (needs.readCredentials || needs.writeCredentials) {
    const hosts = registries.map((r) => r.registry);
    if (needs.argument === "registry" && argument !== undefined) {
      hosts.push(registryArgument(argument));
    }
    hosts.push(...places.map((place) => place.registry));
    const { dockerCredentialHelper } = await import("../oci/credentials.ts");
    const dir = oci.docker_config ?? join(env.home, ".docker");
    for (const host of new Set(hosts)) {
      const program = await dockerCredentialHelper(dir, splitRegistrySetting(host).host)
        .catch(() => undefined); // the command reports a broken config itself
      if (program !== undefined) run.push(program);
    }
  }

  let tokenRealms: PermissionPlan["tokenRealms"] = [];
  if (options.probeTokenRealm !== false && registries.length > 0) {
    const probe = async (url: URL, caFile: string | undefined) =>
      await tokenRealmHosts(url, {
        caCerts: await readCaFile(caFile ?? oci.ca_file),
        ...(options.probeTimeoutMs === undefined ? {} : { timeoutMs: options.probeTimeoutMs }),
      });
    const cacheRoot = resolve(env.cwd, config.settings.cache.dir);
    tokenRealms = await Promise.all(registries.map(async ({ registry, url, caFile }) => ({
      registry,
      hosts: await rememberedRealmHosts(cacheRoot, url, () => probe(url, caFile)),
    })));
    for (const realm of tokenRealms) extras.net.push(...realm.hosts);
  }

  // The cache resolves its root with realPath once and works below the real path; Deno
  // checks paths as written, so a root reached through a link is granted at both places.
  const cacheDir = resolve(env.cwd, config.settings.cache.dir);
  const folders = cacheFolders(needs);
  const usesCache = needs.readCache || needs.writeCache || folders.length > 0;
  const realCache = usesCache ? await realPathOrUndefined(cacheDir) : undefined;
  if (realCache !== undefined && realCache !== cacheDir) {
    if (needs.readCache || needs.writeCache) extras.read.push(realCache);
    else extras.read.push(...folders.map((folder) => join(realCache, folder)));
    if (needs.writeCache) write.push(realCache);
    write.push(...folders.map((folder) => join(realCache, folder)));
  }

  if (needs.listen === true) {
    // Deno checks a listen against host:port; port 0 (the system chooses) connects nowhere.
    const port = request.port !== undefined && /^\d{1,5}$/.test(request.port)
      ? Number(request.port)
      : 0;
    extras.net.push(`127.0.0.1:${port}`);
    if (request.open === true) run.push("xdg-open");
  }
  const permissionExtras: PermissionExtras = { read: extras.read, net: extras.net, write, run };
  let permissionEnv: PermissionEnv = env;
  const readsExamples = needs.examples === true ||
    (needs.sources && sourcesInPlay(config.settings).includes("examples"));
  if (env.examplesDir === undefined && readsExamples) {
    permissionEnv = { ...env, examplesDir: examplesDirForPermissions() };
  }
  const set = computePermissions(config, needs, permissionEnv, permissionExtras);
  return { command, needs, config, tokenRealms, set };
}

function baseUrl(registry: string, settings: Parameters<typeof registryBaseUrl>[1]): URL {
  return registryBaseUrl(splitRegistrySetting(registry).host.split("/")[0]!, settings);
}

async function realPathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await Deno.realPath(path);
  } catch {
    return undefined; // not there yet: the cache creates it as a real folder
  }
}

async function readCaFile(path: string | undefined): Promise<string[]> {
  if (path === undefined || path === "") return [];
  try {
    return [await Deno.readTextFile(path)];
  } catch {
    return []; // the command reports an unreadable CA file itself
  }
}

/** The configuration as the loader will see it for this reference (unchanged when none). */
function configForReference(config: ResolvedConfig, argument: string): ResolvedConfig {
  try {
    const ref = parseExtensionReference(argument, undefined, config.settings.oci);
    if (ref.oci === undefined) return config;
    const placed = withReferencePlace(config, ref);
    const extensions = { ...placed.settings.extensions, source_type: "oci" as const };
    return { ...placed, settings: { ...placed.settings, extensions } };
  } catch {
    return config; // the command reports the malformed reference itself
  }
}
