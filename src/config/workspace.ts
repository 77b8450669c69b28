/**
 * Finding the workspace: the directory holding `config/local-overrides.toml`.
 *
 * @module
 */

import { dirname, join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { readOptionalText } from "./_read_optional_text.ts";
import { resolvePath } from "./_resolve_path.ts";
import { readConfigEnv } from "./env_vars.ts";

/** Path of the overrides file inside a workspace directory. */
export const WORKSPACE_CONFIG_FILE: string = join("config", "local-overrides.toml");

/** Options of {@linkcode findWorkspace}. */
export interface FindWorkspaceOptions {
  /** Absolute directory the search starts from. */
  cwd: string;
  /** Absolute home directory (for `~/` in `PROVISIONING_WORKSPACE`). */
  home: string;
  /** The environment; only `PROVISIONING_WORKSPACE` is read. */
  env: Readonly<Record<string, string | undefined>>;
}

/** A workspace found, with its overrides file (and its text when it exists). */
export interface WorkspaceLocation {
  /** The workspace directory. */
  dir: string;
  /** `<dir>/config/local-overrides.toml`. */
  configFile: string;
  /** The file's text, or undefined when it does not exist. */
  configText: string | undefined;
}

async function fromEnv(value: string, options: FindWorkspaceOptions): Promise<WorkspaceLocation> {
  const dir = resolvePath(value, options.cwd, options.home);
  const configFile = join(dir, WORKSPACE_CONFIG_FILE);
  const configText = await readOptionalText(configFile);
  if (configText !== undefined) return { dir, configFile, configText };
  const nestedDir = join(dir, "workspace");
  const nestedFile = join(nestedDir, WORKSPACE_CONFIG_FILE);
  const nestedText = await readOptionalText(nestedFile);
  if (nestedText !== undefined) {
    return { dir: nestedDir, configFile: nestedFile, configText: nestedText };
  }
  let problem = "does not exist";
  try {
    if ((await Deno.stat(dir)).isDirectory) return { dir, configFile, configText: undefined };
    problem = "is not a directory";
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  throw new ProvisioningError(
    "INVALID_CONFIG",
    `Workspace directory "${dir}" named by PROVISIONING_WORKSPACE ${problem}`,
    { hint: "Point PROVISIONING_WORKSPACE at an existing directory, or unset it" },
  );
}

/**
 * Locates the workspace and reads its overrides file in the same pass (used by
 * `loadConfig`, so each file is read once). See {@linkcode findWorkspace} for the rules.
 *
 * @example
 * ```ts
 * import { locateWorkspace } from "./workspace.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/workspace/config`, { recursive: true });
 * await Deno.writeTextFile(`${root}/workspace/config/local-overrides.toml`, "[oci]\n");
 * const found = await locateWorkspace({ cwd: root, home: root, env: {} });
 * assert.equal(found?.configText, "[oci]\n");
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param options Start directory, home and environment.
 * @returns The workspace, or undefined when there is none.
 * @throws {ProvisioningError} `INVALID_CONFIG` when `PROVISIONING_WORKSPACE` names a
 * directory that does not exist, or an overrides file exists but cannot be read.
 */
export async function locateWorkspace(
  options: FindWorkspaceOptions,
): Promise<WorkspaceLocation | undefined> {
  const named = readConfigEnv(options.env, "PROVISIONING_WORKSPACE");
  if (named !== undefined) return await fromEnv(named, options);
  let dir = options.cwd;
  while (true) {
    const workspaceDir = join(dir, "workspace");
    const configFile = join(workspaceDir, WORKSPACE_CONFIG_FILE);
    const configText = await readOptionalText(configFile);
    if (configText !== undefined) return { dir: workspaceDir, configFile, configText };
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Finds the workspace directory (the one holding `config/local-overrides.toml`).
 *
 * Rules, in order:
 * 1. `PROVISIONING_WORKSPACE` set (non-empty): it names the workspace directory; relative to
 *    `cwd`, `~/` expands to `home`. If it holds no `config/local-overrides.toml` but its
 *    `workspace/config/local-overrides.toml` exists, it named the project and the workspace is
 *    its `workspace/` subdirectory. Otherwise the named directory is the workspace (the
 *    overrides file is then optional) and it must exist. No upward search happens.
 * 2. Otherwise, for `cwd` and each parent up to the filesystem root, the first directory `D`
 *    with a file `D/workspace/config/local-overrides.toml` gives the workspace `D/workspace`.
 *    This also covers a `cwd` inside the workspace (`D/workspace/config`): the walk reaches
 *    `D`. The nearest match wins; only that one file per level is read.
 * 3. Otherwise there is no workspace.
 *
 * @example
 * ```ts
 * import { findWorkspace } from "./workspace.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/workspace/config`, { recursive: true });
 * await Deno.mkdir(`${root}/src/deep`, { recursive: true });
 * await Deno.writeTextFile(`${root}/workspace/config/local-overrides.toml`, "");
 * const found = await findWorkspace({ cwd: `${root}/src/deep`, home: root, env: {} });
 * assert.equal(found, `${root}/workspace`);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param options Start directory, home and environment.
 * @returns The workspace directory, or undefined when there is none.
 * @throws {ProvisioningError} `INVALID_CONFIG` when `PROVISIONING_WORKSPACE` names a
 * directory that does not exist.
 */
export async function findWorkspace(options: FindWorkspaceOptions): Promise<string | undefined> {
  return (await locateWorkspace(options))?.dir;
}
