import { dirname, join, resolve, sep } from "node:path";
import { CONFIG_ENV_VARS } from "../config/env_vars.ts";
import type { ResolvedConfig } from "../config/types.ts";
import { WORKSPACE_CONFIG_FILE } from "../config/workspace.ts";
import { credentialsFilePath } from "../oci/credentials.ts";
import { splitRegistrySetting } from "../oci/transport.ts";
import { netHostOfUrl, redirectNetHost, registryNetHost } from "./net_host.ts";
import { registriesOfCommand } from "./registries_of_command.ts";
import { sourcesInPlay } from "./sources_in_play.ts";
import type { CommandNeeds, PermissionEnv, PermissionExtras, PermissionSet } from "./types.ts";

/**
 * The folders below the cache root a command writes without writing the whole cache:
 * `tmp` (a package being built), `discovery` (listings a registry change invalidates),
 * `origins` (where blobs were seen, for cross-repository mounts).
 *
 * @example
 * ```ts
 * import { cacheFolders } from "./compute_permissions.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(cacheFolders({ writeTemp: true, writeDiscovery: true }), ["tmp", "discovery"]);
 * assert.deepEqual(cacheFolders({ writeOrigins: true }), ["origins"]);
 * ```
 *
 * @param needs The command's needs.
 * @returns The folder names.
 */
export function cacheFolders(
  needs: Pick<CommandNeeds, "writeTemp" | "writeDiscovery" | "writeOrigins">,
): string[] {
  return [
    ...(needs.writeTemp === true ? ["tmp"] : []),
    ...(needs.writeDiscovery === true ? ["discovery"] : []),
    ...(needs.writeOrigins === true ? ["origins"] : []),
  ];
}

/**
 * Variables the process reads besides {@linkcode CONFIG_ENV_VARS}: `HOME` (and `USERPROFILE`
 * on Windows) for `~/.provisioning`, `NO_COLOR` for colour, `INIT_CWD` for the folder a
 * `deno task` was run from.
 */
export const PROCESS_ENV_VARS: readonly string[] = ["HOME", "USERPROFILE", "NO_COLOR", "INIT_CWD"];

/**
 * Computes the exact Deno permission set one command needs under one configuration.
 *
 * - read: the config files looked at (the user config, and
 *   `workspace/config/local-overrides.toml` in the current directory and each parent, as
 *   the workspace search reads them), the folders of the local sources in play
 *   (`extensions.paths`, the workspace's `extensions/`, the bundled examples — also read by
 *   `ext permissions`), the OCI layouts in play, the cache root, the credential files
 *   (`oci.auth_token_path`, `~/.provisioning/credentials.json`, Docker's `config.json` in
 *   `oci.docker_config` or `~/.docker`, `oci.auth_file`), `oci.ca_file`, `oci.cert_file`,
 *   `oci.key_file`, `gitea.token_path`, and `extras.read`.
 * - write: the cache root (commands that write the cache), `<cache root>/tmp` (commands that
 *   build temporary files: publish), `extras.write`, and `~/.provisioning/` (login and logout only, which
 *   replace `credentials.json` through a temporary file beside it; read too, for the same
 *   reason).
 * - net: the registry (`oci.registry`, with the port the client will use) when the OCI
 *   source is in play or the command targets the registry, with it the hosts of
 *   `oci.redirect_hosts` (the CDN or bucket the registry redirects blob downloads to;
 *   `host` means `host:443`, see {@linkcode redirectNetHost}), the Gitea host when the Gitea
 *   source is in play (with it the hosts of `gitea.redirect_hosts`, the object storage
 *   Gitea redirects archive downloads to), and `extras.net` (a registry named as an argument, token realm hosts
 *   the registry named in its challenge). Git remotes are not listed: git runs as a
 *   subprocess, which Deno's network permission does not govern.
 * - env: {@linkcode CONFIG_ENV_VARS}, {@linkcode PROCESS_ENV_VARS} and the command's own
 *   (`needs.env`: `SOURCE_DATE_EPOCH` for publish), with `ignoreEnv`.
 * - run: `git` when the command may use the git source and the configuration puts it in
 *   play, or `extras.run` asks for it.
 *
 * Lists are sorted, de-duplicated, and paths inside another listed path are dropped. Pure:
 * nothing is read or contacted.
 *
 * @example
 * ```ts
 * import { computePermissions } from "./compute_permissions.ts";
 * import { commandNeeds } from "./command_needs.ts";
 * import { loadConfig } from "../config/load_config.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const set = computePermissions(config, commandNeeds(["ext", "load"]), {
 *   home,
 *   cwd: home,
 *   execPath: "deno",
 * });
 * assert.deepEqual(set.write, [`${home}/.provisioning/cache`]);
 * assert.deepEqual(set.net, ["localhost:5000"]);
 * assert.deepEqual(set.run, []);
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param config The effective configuration (with `--source` and global flags applied).
 * @param needs What the command does ({@linkcode commandNeeds}).
 * @param env Home, current directory and executable.
 * @param extras Grants from the command line or the registry's challenge.
 * @returns The permission set.
 * @throws {ProvisioningError} `INVALID_CONFIG` when `oci.registry` breaks the transport
 *   policy (the command itself would refuse it the same way).
 */
export function computePermissions(
  config: ResolvedConfig,
  needs: CommandNeeds,
  env: PermissionEnv,
  extras: PermissionExtras = {},
): PermissionSet {
  const { settings } = config;
  const read: string[] = [...(extras.read ?? [])];
  const write: string[] = [...(extras.write ?? [])];
  const net: string[] = [...(extras.net ?? [])];
  const run: string[] = [...(extras.run ?? [])];
  const inPlay = needs.sources ? sourcesInPlay(settings) : [];
  const home = resolve(env.home);
  const present = (path: string | undefined): path is string => path !== undefined && path !== "";

  if (needs.config) {
    for (const file of config.files) read.push(file.path);
    read.push(...workspaceCandidates(resolve(env.cwd)));
    if (config.workspace !== undefined) {
      read.push(join(config.workspace, WORKSPACE_CONFIG_FILE));
      // Named by PROVISIONING_WORKSPACE without an overrides file: the search stats the
      // directory itself and looks for a nested workspace/ inside it.
      const found = config.files.some((file) => file.kind === "workspace" && file.found);
      if (!found) read.push(config.workspace);
    }
  }

  if (inPlay.includes("local")) {
    read.push(...settings.extensions.paths);
    if (config.workspace !== undefined) read.push(join(config.workspace, "extensions"));
  }
  if ((inPlay.includes("examples") || needs.examples === true) && present(env.examplesDir)) {
    read.push(env.examplesDir);
  }
  if (inPlay.includes("oci-layout")) read.push(...settings.extensions.layout_paths);
  // The `[[signatures.trust]]` keys: the signature gate of load/pull, and `ext verify`.
  if (needs.sources || needs.keys === "read") {
    read.push(...settings.signatures.trust.flatMap((rule) => rule.keys));
  }

  const usesRegistry = needs.registry || inPlay.includes("oci");
  // Every registry a read goes to: `[[oci.registries]]` in order, or `[oci] registry` alone.
  const places = registriesOfCommand(config, needs, inPlay.includes("oci"));
  if (usesRegistry && needs.net) {
    net.push(...settings.oci.redirect_hosts.map(redirectNetHost));
    for (const oci of places) {
      net.push(registryNetHost(oci.registry, oci));
      // Mirrors of the registry (any of its namespaces) are asked first for pulls.
      const host = splitRegistrySetting(oci.registry).host.split("/")[0]!.toLowerCase();
      for (const mirror of settings.oci.mirrors) {
        if (mirror.prefix.split("/")[0] !== host) continue;
        for (const location of mirror.locations) {
          net.push(registryNetHost(location, { registry: location, insecure: oci.insecure }));
        }
      }
      for (const file of [oci.ca_file, oci.cert_file, oci.key_file]) {
        if (present(file)) read.push(file);
      }
    }
  }
  if (usesRegistry && needs.readCredentials) {
    for (const oci of places) {
      if (present(oci.auth_token_path)) read.push(oci.auth_token_path);
    }
  }
  if (needs.readCredentials || needs.writeCredentials) {
    read.push(credentialsFilePath(home));
  }
  if (needs.readCredentials || needs.writeCredentials) {
    read.push(join(settings.oci.docker_config ?? join(home, ".docker"), "config.json"));
    if (present(settings.oci.auth_file)) read.push(settings.oci.auth_file);
  }
  if (needs.argument === "registry" && needs.net) {
    for (const file of [settings.oci.ca_file, settings.oci.cert_file, settings.oci.key_file]) {
      if (present(file)) read.push(file);
    }
  }

  if (inPlay.includes("gitea")) {
    const host = giteaNetHost(settings.gitea.url);
    if (host !== undefined && needs.net) {
      net.push(host);
      net.push(...settings.gitea.redirect_hosts.map(redirectNetHost));
    }
    if (present(settings.gitea.token_path)) read.push(settings.gitea.token_path);
  }
  if (needs.git && inPlay.includes("git")) run.push("git");

  if (needs.readCache) read.push(settings.cache.dir);
  if (needs.writeCache) {
    read.push(settings.cache.dir);
    write.push(settings.cache.dir);
  }
  for (const folder of cacheFolders(needs)) {
    read.push(join(settings.cache.dir, folder));
    write.push(join(settings.cache.dir, folder));
  }
  if (needs.writeUserConfig === true) {
    const user = config.files.find((file) => file.kind === "user");
    if (user !== undefined) {
      read.push(dirname(user.path));
      write.push(dirname(user.path));
    }
  }
  if (needs.writeCredentials) {
    // credentials.json is replaced through a randomly named temporary file beside it,
    // which is written, chmod-ed (a read) and renamed: the folder itself is granted.
    read.push(join(home, ".provisioning"));
    write.push(join(home, ".provisioning"));
  }

  return {
    read: minimalPaths(read),
    write: minimalPaths(write),
    net: unique(net),
    env: unique([...CONFIG_ENV_VARS, ...PROCESS_ENV_VARS, ...(needs.env ?? [])]),
    run: unique(run),
    ignoreEnv: true,
  };
}

/** `<dir>/workspace/config/local-overrides.toml` for `cwd` and every parent. */
function workspaceCandidates(cwd: string): string[] {
  const files: string[] = [];
  let dir = cwd;
  while (true) {
    files.push(join(dir, "workspace", WORKSPACE_CONFIG_FILE));
    const parent = dirname(dir);
    if (parent === dir) return files;
    dir = parent;
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

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Normalised, sorted, de-duplicated; a path inside another listed path is dropped. */
function minimalPaths(paths: readonly string[]): string[] {
  const sorted = unique(paths.filter((path) => path !== "").map((path) => resolve(path)));
  return sorted.filter((path) =>
    !sorted.some((other) =>
      other !== path && path.startsWith(other.endsWith(sep) ? other : other + sep)
    )
  );
}
