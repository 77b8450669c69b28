/**
 * The workspace's lock as the marketplace shows it: which version of an extension this
 * workspace's `extensions.lock` pins (found the way `ext install` finds it: the workspace
 * folder, else the first `extensions.toml` walking up from the current folder). Read again on
 * each page, so an `ext install` meanwhile shows at once.
 *
 * @module
 */

import { dirname, join } from "../fs/path.ts";
import { readLock } from "../workspace/lock_file.ts";
import type { LockedExtension } from "../workspace/lock_file.ts";
import { findRequirementsFile, LOCK_FILE } from "../workspace/find_requirements.ts";

/** What the lock says, and where it is. */
export interface WorkspaceLock {
  /** The lock file's path. */
  file: string;
  extensions: LockedExtension[];
}

/** Reads the workspace lock, or undefined when there is none. */
export type WorkspaceLockReader = () => Promise<WorkspaceLock | undefined>;

/**
 * A reader of the lock beside the workspace's requirements file.
 *
 * @example
 * ```ts
 * import { workspaceLockReader } from "./workspace_lock.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/extensions.toml`, "[extensions]\n");
 * await Deno.writeTextFile(`${dir}/extensions.lock`, '{"lockVersion":1,"extensions":[]}');
 * assert.deepEqual(await workspaceLockReader(undefined, dir)(),
 *   { file: `${dir}/extensions.lock`, extensions: [] });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param workspace The workspace folder (`config.workspace`), if any.
 * @param cwd The folder the command runs in.
 * @returns The reader.
 */
export function workspaceLockReader(
  workspace: string | undefined,
  cwd: string,
): WorkspaceLockReader {
  return async () => {
    const requirements = await findRequirementsFile(workspace, cwd);
    if (requirements === undefined) return undefined;
    const file = join(dirname(requirements), LOCK_FILE);
    const lock = await readLock(file);
    return lock === undefined ? undefined : { file, extensions: lock.extensions };
  };
}
