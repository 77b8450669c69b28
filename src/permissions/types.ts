/**
 * Types of the permission model: what a command needs, and the Deno permission set that
 * grants exactly that for one effective configuration.
 *
 * @module
 */

/**
 * The Deno permissions one command run needs, and nothing broader. Every list is sorted
 * and free of duplicates; an empty list grants nothing of that kind.
 */
export interface PermissionSet {
  /** Absolute paths (files or directories) that may be read: `--allow-read`. */
  read: string[];
  /** Absolute paths that may be written (and created, renamed, removed): `--allow-write`. */
  write: string[];
  /** `host:port` entries that may be connected to: `--allow-net`. */
  net: string[];
  /** Environment variables that may be read: `--allow-env`. */
  env: string[];
  /** Programs that may be started: `--allow-run`. `git` for the git source, Docker credential helpers. */
  run: string[];
  /**
   * Whether variables outside {@linkcode PermissionSet.env} read as unset instead of
   * throwing (`--ignore-env`), so libraries probing `NODE_DEBUG`, `CLICOLOR_FORCE` or
   * `LOG_TOKENS` see them unset.
   */
  ignoreEnv: boolean;
  /**
   * Paths whose reads answer `NotFound` instead of being refused (`--ignore-read=…`).
   * Unused by the computed sets (a refused read stays visible); kept so a caller can hide
   * probes it knows are harmless.
   */
  ignoreRead?: string[];
}

/**
 * What a command does, independent of the configuration. {@linkcode computePermissions}
 * turns it into paths and hosts for one configuration.
 */
export interface CommandNeeds {
  /** Loads the configuration (user config, workspace overrides): reads those files. */
  config: boolean;
  /**
   * Uses the extension sources the configuration selects (local folders, OCI layouts, the
   * registry, Gitea, git remotes): reads the local ones, connects to the remote ones.
   */
  sources: boolean;
  /** Talks to the OCI registry whatever source is selected (publish, delete, test-oci). */
  registry: boolean;
  /** Connects to remote sources or the registry at all. False keeps a command offline. */
  net: boolean;
  /** Reads the cache root. */
  readCache: boolean;
  /** Writes under the cache root (pulls, discovery results, prune, clear). */
  writeCache: boolean;
  /** Reads registry credentials (token file, `credentials.json`, Docker's `config.json`). */
  readCredentials: boolean;
  /**
   * Writes temporary files (a package being built) under `<cache root>/tmp`, never in the
   * system temporary directory. The command must create them there (`tmpDir`).
   */
  writeTemp?: boolean;
  /**
   * Writes (removes) the discovery listings under `<cache root>/discovery` that a change to
   * the registry makes wrong (`ext publish`, `ext delete`).
   */
  writeDiscovery?: boolean;
  /**
   * Reads and writes `<cache root>/origins`: where blobs were seen, so `ext publish` mounts
   * a blob another repository of the registry holds instead of uploading it again.
   */
  writeOrigins?: boolean;
  /** Writes `~/.provisioning/credentials.json` (`ext login`, `ext logout`). */
  writeCredentials: boolean;
  /** May run `git` — granted only when the configuration puts the git source in play. */
  git: boolean;
  /**
   * How the first positional argument is used: `path` — a directory the command reads
   * (`ext publish DIR`); `registry` — a registry it connects to (`ext login REGISTRY`).
   */
  argument?: "path" | "registry";
  /**
   * The second positional argument is a copy destination (`ext copy REF DEST`): a layout
   * folder written (`oci-layout:PATH`) or a registry connected to; and `--from-oci-layout`
   * names a folder read.
   */
  destination?: boolean;
  /**
   * Environment variables the command reads besides the configuration's and the process's
   * ({@linkcode PermissionSet.env}): `SOURCE_DATE_EPOCH` for `ext publish`.
   */
  env?: readonly string[];
  /**
   * Uses the workspace's `extensions.toml` and `extensions.lock` (`ext install` …): `read`
   * grants the requirements files the walk up from the current directory may open and the
   * lock; `write` also the folder of the requirements file found (the lock is replaced there).
   */
  workspace?: "read" | "write";
  /**
   * Listens on loopback (`ext ui`): grants `127.0.0.1:PORT` for `--port PORT`, else
   * `127.0.0.1:0` (a port the system chooses — a grant that connects nowhere), and `run`
   * of `xdg-open` when `--open` is given.
   */
  listen?: boolean;
  /**
   * Key files named on the command line: `read` grants each `--key` file (`ext sign`,
   * `ext verify`, `ext publish --sign`); `write` grants `--output-key-prefix`'s `.key` and
   * `.pub` and their folder (`ext key generate` replaces them through a temporary file there).
   */
  keys?: "read" | "write";
  /**
   * Reads the bundled examples folder even when the local source is not in play
   * (`ext permissions`, which names it in the sets it prints).
   */
  examples?: boolean;
  /**
   * Replaces the user config file (`ext approve` records consent there): its folder is
   * granted for reading and writing (the file is replaced through a temporary file beside it).
   */
  writeUserConfig?: boolean;
  /**
   * Runs an extension's hook (`ext run`): the launcher adds the hosts and variables the
   * extension declares (`src/hooks/plan_hook_grants.ts`), so the hook's sandbox can get them.
   */
  hooks?: boolean;
}

/** The process surroundings the set is computed for. Passed in; nothing global is read. */
export interface PermissionEnv {
  /** Absolute home directory (`~/.provisioning`, `~/.docker`). */
  home: string;
  /** Absolute current directory (workspace search starts here). */
  cwd: string;
  /** The running executable (`deno`, or the compiled binary), for the printed command line. */
  execPath: string;
  /** The bundled examples folder the local source falls back to; omitted when none. */
  examplesDir?: string;
}

/** Grants that come from the command line or from the registry, not from the config. */
export interface PermissionExtras {
  /** Extra readable paths (an argument naming a directory, the cache root's real path). */
  read?: readonly string[];
  /** Extra writable paths (the cache root's real path when the configured one is a link). */
  write?: readonly string[];
  /** Extra `host:port` entries (a registry named as an argument, a token realm host). */
  net?: readonly string[];
  /** Extra programs (`git` for a `git+https://…` reference on the command line). */
  run?: readonly string[];
}
