/**
 * The permission plan: the whole least-privilege set of a run, computed in one place.
 *
 * Every command runs with one set, made of two parts:
 *
 * 1. **What the configuration names** — the same for every command, so the launcher can
 *    compute it before it knows the command (it never parses the command line):
 *    - read: the config files looked at, the local sources and OCI layouts, the bundled
 *      examples, the trust keys, the cache root, the config folder `~/.provisioning`
 *      (credentials, remembered token realms), Docker's `config.json` and Podman's
 *      `auth.json`, each registry's token file, CA, client certificate and key, the Gitea
 *      token file, and the `extensions.toml` / `extensions.lock` the walk up from the current
 *      folder may open;
 *    - write: the cache root and the config folder;
 *    - net: each registry (`[oci]` and `[[oci.registries]]`), its mirrors, `redirect_hosts`,
 *      the token realm hosts each registry named before (remembered in the config folder),
 *      the Gitea host and its `redirect_hosts`;
 *    - run: `git` when git remotes are configured, the Docker credential helpers Docker's
 *      config names;
 *    - env: the documented variables ({@linkcode PLAN_ENV_VARS}), every other one reads as
 *      unset.
 * 2. **What the command line names** ({@linkcode CommandGrants}) — a folder to publish, a
 *    key file, a copy destination, a registry to log in to, a port to listen on. Each
 *    command declares these beside its definition (`src/cli/commands/`), computed by the real
 *    parser from the parsed arguments.
 *
 * Deno refuses everything else. A hostile artifact or registry therefore cannot make the
 * tool write outside its cache and config folders, read secrets it was not configured with,
 * run programs other than the configured ones, or reach hosts that are not configured.
 *
 * @module
 */

import { dirname, join, resolve } from "../fs/path.ts";
import { CONFIG_ENV_VARS } from "../config/env_vars.ts";
import type { ResolvedConfig } from "../config/types.ts";
import { WORKSPACE_CONFIG_FILE } from "../config/workspace.ts";
import { namedCredentialHelpers } from "../oci/credentials.ts";
import { splitRegistrySetting } from "../oci/transport.ts";
import { configuredRegistries } from "../registries/registry_places.ts";
import { LOCK_FILE, REQUIREMENTS_FILE } from "../workspace/find_requirements.ts";
import { netHostOfUrl, redirectNetHost, registryNetHost } from "./net_host.ts";
import { readRememberedRealms } from "./remembered_realms.ts";
import type { PermissionSet } from "./types.ts";
import { minimalPaths, unique } from "./union_permissions.ts";

/**
 * Variables the tool reads besides {@linkcode CONFIG_ENV_VARS} (in the order the launch flags
 * list them): `HOME` (`USERPROFILE` on Windows), `NO_COLOR`, `INIT_CWD` (the folder a
 * `deno task` was run from), `SOURCE_DATE_EPOCH` (reproducible `ext publish`; the same name
 * as `SOURCE_DATE_EPOCH_ENV` in `src/cli/ext_publish.ts`), `PATH` (`ext install` looks for
 * the tools extensions require) and `COSIGN_PASSWORD` (a private key's password; the same
 * name as `COSIGN_PASSWORD_ENV` in `src/signatures/media_types.ts`).
 */
export const PROCESS_ENV_VARS: readonly string[] = ["HOME", "USERPROFILE", "NO_COLOR", "INIT_CWD"];

/** The variables particular commands read (see {@linkcode PROCESS_ENV_VARS}). */
export const COMMAND_ENV_VARS: readonly string[] = ["SOURCE_DATE_EPOCH", "PATH", "COSIGN_PASSWORD"];

/** Every variable a plan lets the tool read; a broad launch grants exactly these. */
export const PLAN_ENV_VARS: readonly string[] = [
  ...PROCESS_ENV_VARS,
  ...CONFIG_ENV_VARS,
  ...COMMAND_ENV_VARS,
];

/** The folder of the tool's own files below the home folder (credentials, realms, config). */
export const CONFIG_FOLDER = ".provisioning";

/** The surroundings a plan is computed for. Passed in; nothing global is read. */
export interface PlanEnv {
  /** Absolute home folder. */
  home: string;
  /** Absolute current folder (where the workspace search starts). */
  cwd: string;
  /** The bundled examples folder the local source falls back to, if there is one. */
  examplesDir?: string | undefined;
}

/**
 * What a command line names beyond the configuration: absolute paths to read or write,
 * `host[:port]` entries to reach (a bare host allows any port), programs to run, variables
 * to read. Declared by each command from its parsed arguments.
 */
export interface CommandGrants {
  /** Paths read (a folder to publish, a `--key` file). */
  read?: readonly string[];
  /** Paths written (a copy's layout folder, a key pair's folder, the lock's folder). */
  write?: readonly string[];
  /** Hosts reached (a registry to log in to, a copy's destination, `127.0.0.1:PORT`). */
  net?: readonly string[];
  /** Programs run (`xdg-open`, `git` for a `git+https://` reference). */
  run?: readonly string[];
  /** Variables read (those an approved hook declares). */
  env?: readonly string[];
  /** The command uses no network (`--offline`): the set reaches no host at all. */
  offline?: boolean;
}

/**
 * Computes the permission set of a run: what `config` names, plus `grants`.
 *
 * Reads three small files (Docker's `config.json` for credential helpers, the remembered
 * token realms, the real path of the cache root); contacts nothing.
 *
 * @example
 * ```ts
 * import { planPermissions } from "./plan.ts";
 * import { loadConfig } from "../config/load_config.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const set = await planPermissions(config, { home, cwd: home }, { read: ["/srv/pkg"] });
 * assert.deepEqual(set.write, [`${home}/.provisioning`]);
 * assert.deepEqual(set.net, ["localhost:5000"]);
 * assert.ok(set.read.includes("/srv/pkg"));
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param config The effective configuration (files, variables and global flags applied).
 * @param env Home, current folder and the bundled examples folder.
 * @param grants What the command line names.
 * @returns The set: sorted lists, no duplicates, no path inside another listed path.
 */
export async function planPermissions(
  config: ResolvedConfig,
  env: PlanEnv,
  grants: CommandGrants = {},
): Promise<PermissionSet> {
  const { settings } = config;
  const { oci, gitea } = settings;
  const home = resolve(env.home);
  const configFolder = join(home, CONFIG_FOLDER);
  const cache = resolve(env.cwd, settings.cache.dir);
  // What is written is read too (a file replaced through a temporary one is chmod-ed, a read).
  const read = [configFolder, cache, ...(grants.read ?? []), ...(grants.write ?? [])];
  const write = [configFolder, cache, ...(grants.write ?? [])];
  const net = [...(grants.net ?? [])];
  const run = [...(grants.run ?? [])];
  const present = (path: string | undefined): path is string => path !== undefined && path !== "";

  // Configuration files, and what the workspace search and the lock lookup may open.
  read.push(...config.files.map((file) => file.path));
  for (let dir = resolve(env.cwd);; dir = dirname(dir)) {
    read.push(
      join(dir, "workspace", WORKSPACE_CONFIG_FILE),
      join(dir, REQUIREMENTS_FILE),
      join(dir, LOCK_FILE),
    );
    if (dirname(dir) === dir) break;
  }
  if (config.workspace !== undefined) {
    read.push(
      join(config.workspace, WORKSPACE_CONFIG_FILE),
      join(config.workspace, "extensions"),
      join(config.workspace, REQUIREMENTS_FILE),
      join(config.workspace, LOCK_FILE),
    );
    // Named by PROVISIONING_WORKSPACE without an overrides file: the search stats the
    // folder itself and looks for a nested workspace/ inside it.
    if (!config.files.some((file) => file.kind === "workspace" && file.found)) {
      read.push(config.workspace);
    }
  }

  // Sources on disk, and the keys signatures are checked against.
  read.push(...settings.extensions.paths, ...settings.extensions.layout_paths);
  if (present(env.examplesDir)) read.push(env.examplesDir);
  read.push(...settings.signatures.trust.flatMap((rule) => rule.keys));

  // Registries: each one, its mirrors, its TLS and token files, the realms it named.
  const dockerConfig = oci.docker_config ?? join(home, ".docker");
  read.push(join(dockerConfig, "config.json"));
  if (present(oci.auth_file)) read.push(oci.auth_file);
  net.push(...oci.redirect_hosts.map(redirectNetHost));
  const realms = await readRememberedRealms(home);
  for (const registry of configuredRegistries(config)) {
    net.push(registryNetHost(registry.registry, registry));
    const host = splitRegistrySetting(registry.registry).host.split("/")[0]!;
    for (const mirror of oci.mirrors) {
      if (mirror.prefix.split("/")[0] !== host.toLowerCase()) continue;
      for (const location of mirror.locations) {
        net.push(registryNetHost(location, { registry: location, insecure: registry.insecure }));
      }
    }
    for (const file of [registry.ca_file, registry.cert_file, registry.key_file]) {
      if (present(file)) read.push(file);
    }
    if (present(registry.auth_token_path)) read.push(registry.auth_token_path);
  }
  run.push(...await namedCredentialHelpers(dockerConfig).catch(() => []));
  // A token realm is granted beside the host that named it (a registry, a mirror, a redirect
  // target), never on its own.
  const reached = new Set(net);
  for (const [origin, hosts] of Object.entries(realms)) {
    if (reached.has(originNetHost(origin) ?? "")) net.push(...hosts);
  }

  // Gitea and git.
  const giteaHost = giteaNetHost(gitea.url);
  if (giteaHost !== undefined) net.push(giteaHost, ...gitea.redirect_hosts.map(redirectNetHost));
  if (present(gitea.token_path)) read.push(gitea.token_path);
  if (present(gitea.ca_file)) read.push(gitea.ca_file);
  if (settings.git.remotes.length > 0 || settings.extensions.source_type === "git") {
    run.push("git");
  }

  // The cache works below realPath(root); Deno checks paths as written, so grant both.
  const realCache = await Deno.realPath(cache).catch(() => undefined);
  if (realCache !== undefined && realCache !== cache) read.push(realCache), write.push(realCache);

  return {
    read: minimalPaths(read),
    write: minimalPaths(write),
    net: grants.offline === true ? [] : unique(net),
    env: unique([...PLAN_ENV_VARS, ...(grants.env ?? [])]),
    run: unique(run),
    ignoreEnv: true,
  };
}

function originNetHost(origin: string): string | undefined {
  try {
    return netHostOfUrl(new URL(origin));
  } catch {
    return undefined; // a hand-edited file: that entry grants nothing
  }
}

function giteaNetHost(url: string | undefined): string | undefined {
  if (url === undefined || url === "") return undefined;
  try {
    return netHostOfUrl(new URL(url.trim()));
  } catch {
    return undefined; // the Gitea source reports a bad URL itself
  }
}
