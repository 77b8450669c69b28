/**
 * Which command needs what: the one table the permission set of every command comes from.
 *
 * @module
 */

import type { CommandNeeds } from "./types.ts";

/** A command that needs nothing but its own output (help, unknown commands). */
export const NO_NEEDS: Readonly<CommandNeeds> = Object.freeze({
  config: false,
  sources: false,
  registry: false,
  net: false,
  readCache: false,
  writeCache: false,
  readCredentials: false,
  writeCredentials: false,
  git: false,
});

/**
 * The reproducible-build timestamp `ext publish` reads (tar mtimes and
 * `org.opencontainers.image.created`); the same name as `SOURCE_DATE_EPOCH_ENV` in
 * `src/cli/ext_publish.ts`, which a test keeps in step.
 */
export const SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";

/** Where `ext install` and `ext update` look for the tools extensions `requires`. */
export const TOOL_PATH = "PATH";
/**
 * The password of a cosign private key (`ext key generate`, `ext sign`, `ext publish --sign`);
 * the same name as `COSIGN_PASSWORD_ENV` in `src/signatures/media_types.ts`.
 */
export const COSIGN_PASSWORD = "COSIGN_PASSWORD";

const CONFIG_ONLY: CommandNeeds = { ...NO_NEEDS, config: true };

/** Commands that resolve extensions through the configured sources and keep what they fetch. */
const FROM_SOURCES: CommandNeeds = {
  ...CONFIG_ONLY,
  sources: true,
  net: true,
  readCache: true,
  writeCache: true,
  readCredentials: true,
  git: true,
};

/** Commands that talk to the OCI registry whatever source the configuration selects. */
const TO_REGISTRY: CommandNeeds = {
  ...CONFIG_ONLY,
  registry: true,
  net: true,
  readCredentials: true,
};

/**
 * Needs per command, keyed by the command path as typed (`ext load`, `ext cache clear`).
 *
 * | Command                                                 | Reads                                  | Writes                         | Net                          | git |
 * | ------------------------------------------------------- | -------------------------------------- | ------------------------------ | ---------------------------- | --- |
 * | `env`                                                   | config files                           | –                              | –                            | –   |
 * | `ext list`, `info`, `versions`, `search`, `discover`    | config, local sources, cache, creds    | cache (discovery results)      | registry, Gitea (in play)    | if the git source is in play |
 * | `ext load`, `ext pull`                                  | config, local sources, cache, creds, `extensions.toml`/lock | cache                          | registry, Gitea (in play)    | if the git source is in play |
 * | `ext publish DIR`                                       | config, DIR, creds, `<cache>/origins`  | `<cache>/tmp` (the package), `<cache>/origins` | registry     | –   |
 * | `ext copy REF DEST`                                     | config, creds, `--from-oci-layout` DIR | DEST when a layout             | registry, DEST's registry    | –   |
 * | `ext delete`, `ext test-oci`                            | config, creds                          | –                              | registry                     | –   |
 * | `ext login REGISTRY`                                    | config, `credentials.json`             | `~/.provisioning/`             | REGISTRY                     | –   |
 * | `ext logout REGISTRY`                                   | `credentials.json`, Docker's config    | `~/.provisioning/`             | –                            | –   |
 * | `ext cache list`, `ext cache stats`                     | config, cache                          | –                              | –                            | –   |
 * | `ext cache clear`, `ext cache prune`                    | config, cache                          | cache                          | –                            | –   |
 * | `ext permissions`                                       | config, bundled examples, creds        | –                              | registry (token realm probe) | –   |
 * | `__complete-names` (the completion scripts' helper)     | config, cache                          | –                              | –                            | –   |
 * | `ext add`, `ext remove`, `ext install`, `ext update`     | as `ext load`, `extensions.toml`/lock   | as `ext load`, the lock's folder | as `ext load`              | as `ext load` |
 * | `ext outdated`                                          | as `ext list`, `extensions.toml`/lock   | as `ext list`                  | as `ext list`                | as `ext list` |
 * | `ext tree`                                              | config, `extensions.lock`              | –                              | –                            | –   |
 * | `ext ui`                                                | as `ext outdated`                      | as `ext load` (Pull)           | as `ext load`; listens on `127.0.0.1:PORT` (`:0` by default) | as `ext load`; `xdg-open` with `--open` |
 * | `ext key generate`                                      | `P.key`, `P.pub`                        | the folder of `P` (`--output-key-prefix`) | –                 | –   |
 * | `ext sign REF --key K`, `ext verify REF --key K`        | config, creds, `K`, trusted keys        | –                              | registry                     | –   |
 * | `ext run NAME HOOK`                                     | as `ext load`                          | as `ext load` (the hook's scratch in `<cache>/tmp`) | as `ext load`, the hosts NAME declares | as `ext load` |
 * | `ext approve NAME`                                      | as `ext load`, the user config's folder | as `ext load`, the user config's folder | as `ext load`     | as `ext load` |
 *
 * `ext publish` also reads `SOURCE_DATE_EPOCH` (`env`); `ext install` and `ext update` read
 * `PATH` and the folders it names (to warn about missing tools, never to run them);
 * `ext key generate`, `ext sign` and `ext publish --sign` read `COSIGN_PASSWORD`; `ext run`
 * the variables NAME declares. Commands that use the sources also read the
 * `[[signatures.trust]]` key files.
 *
 * "In play" means selected by `extensions.source_type` (or listed in `auto_order` for
 * `auto`, with a Gitea URL / git remotes configured). A command missing from this table
 * gets {@linkcode NO_NEEDS}, so Deno refuses whatever it tries: add it here first.
 */
export const COMMAND_NEEDS: Readonly<Record<string, Readonly<CommandNeeds>>> = {
  "env": CONFIG_ONLY,
  "ext list": FROM_SOURCES,
  "ext info": FROM_SOURCES,
  "ext versions": FROM_SOURCES,
  "ext search": FROM_SOURCES,
  "ext discover": FROM_SOURCES,
  "ext load": { ...FROM_SOURCES, workspace: "read" },
  "ext pull": { ...FROM_SOURCES, workspace: "read" },
  "ext publish": {
    ...TO_REGISTRY,
    argument: "path",
    writeTemp: true,
    writeDiscovery: true,
    writeOrigins: true,
    keys: "read",
    env: [SOURCE_DATE_EPOCH, COSIGN_PASSWORD],
  },
  "ext delete": { ...TO_REGISTRY, writeDiscovery: true },
  "ext copy": { ...TO_REGISTRY, destination: true },
  "ext test-oci": TO_REGISTRY,
  "ext login": {
    ...CONFIG_ONLY,
    net: true,
    writeCredentials: true,
    argument: "registry",
  },
  "ext logout": {
    ...CONFIG_ONLY,
    readCredentials: true,
    writeCredentials: true,
    argument: "registry",
  },
  "ext cache list": { ...CONFIG_ONLY, readCache: true },
  "ext cache stats": { ...CONFIG_ONLY, readCache: true },
  "ext cache clear": { ...CONFIG_ONLY, readCache: true, writeCache: true },
  "ext cache prune": { ...CONFIG_ONLY, readCache: true, writeCache: true },
  // Reads Docker's config too, to name the credential helper a planned command may run.
  "ext permissions": {
    ...CONFIG_ONLY,
    registry: true,
    net: true,
    examples: true,
    readCredentials: true,
  },
  "__complete-names": { ...CONFIG_ONLY, readCache: true },
  "ext add": { ...FROM_SOURCES, workspace: "write" },
  "ext remove": { ...FROM_SOURCES, workspace: "write" },
  "ext install": { ...FROM_SOURCES, workspace: "write" },
  "ext update": { ...FROM_SOURCES, workspace: "write" },
  "ext outdated": { ...FROM_SOURCES, workspace: "read" },
  "ext tree": { ...CONFIG_ONLY, workspace: "read" },
  "ext ui": { ...FROM_SOURCES, listen: true, workspace: "read" },
  "ext key generate": { ...NO_NEEDS, keys: "write", env: [COSIGN_PASSWORD] },
  "ext sign": { ...TO_REGISTRY, keys: "read", env: [COSIGN_PASSWORD] },
  "ext verify": { ...TO_REGISTRY, keys: "read" },
  "ext run": { ...FROM_SOURCES, hooks: true },
  "ext approve": { ...FROM_SOURCES, writeUserConfig: true },
};

/**
 * The needs of a command path; unknown commands (and help) need nothing.
 *
 * @example
 * ```ts
 * import { commandNeeds } from "./command_needs.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(commandNeeds(["ext", "load"]).writeCache, true);
 * assert.equal(commandNeeds(["ext", "cache", "list"]).writeCache, false);
 * assert.equal(commandNeeds(["ext", "nope"]).net, false);
 * ```
 *
 * @param path Command words, for example `["ext", "cache", "clear"]`.
 * @returns The needs (a copy).
 */
export function commandNeeds(path: readonly string[]): CommandNeeds {
  return { ...(COMMAND_NEEDS[path.join(" ")] ?? NO_NEEDS) };
}

/**
 * The needs of several commands together: each need held by any of them, every variable any
 * of them reads (the positional argument is dropped, since no single argument applies to all).
 *
 * @example
 * ```ts
 * import { commandNeeds, unionNeeds } from "./command_needs.ts";
 * import assert from "node:assert/strict";
 *
 * const both = unionNeeds([commandNeeds(["env"]), commandNeeds(["ext", "cache", "clear"])]);
 * assert.equal(both.config && both.writeCache, true);
 * assert.equal(both.net, false);
 * ```
 *
 * @param list The needs to combine.
 * @returns Their union.
 */
export function unionNeeds(list: readonly CommandNeeds[]): CommandNeeds {
  const union: CommandNeeds = { ...NO_NEEDS };
  for (const needs of list) {
    for (const key of Object.keys(NO_NEEDS) as (keyof typeof NO_NEEDS)[]) {
      if (needs[key] === true) (union as unknown as Record<string, boolean>)[key] = true;
    }
    if (needs.examples === true) union.examples = true;
    if (needs.writeTemp === true) union.writeTemp = true;
    if (needs.writeDiscovery === true) union.writeDiscovery = true;
    if (needs.writeOrigins === true) union.writeOrigins = true;
    if (needs.listen === true) union.listen = true;
    if (needs.keys === "write" || (needs.keys === "read" && !union.keys)) union.keys = needs.keys;
    if (needs.writeUserConfig === true) union.writeUserConfig = true;
    if (needs.hooks === true) union.hooks = true;
    if (needs.workspace === "write" || (needs.workspace === "read" && !union.workspace)) {
      union.workspace = needs.workspace;
    }
    if (needs.env !== undefined) union.env = [...new Set([...(union.env ?? []), ...needs.env])];
  }
  return union;
}
