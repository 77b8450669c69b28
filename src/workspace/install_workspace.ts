/**
 * `installWorkspace`: the requirements of `extensions.toml` resolved with their dependencies,
 * every node loaded into the cache, and `extensions.lock` written. With a lock present the
 * locked versions are used and both digests checked: the content digest (a version
 * republished under the same tag is exit 5, naming both digests) and the tree hash. `locked`
 * (CI) refuses to change the lock (exit 2) instead of rewriting it.
 *
 * @module
 */

import { dirname, join } from "../fs/path.ts";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import {
  type LoaderIndex,
  loaderIndex,
  type LoaderIndexOptions,
  lockGraph,
} from "./loader_index.ts";
import { formatLock, type LockFile, lockIdentity, readLock, writeLock } from "./lock_file.ts";
import { LOCK_FILE, readRequirements } from "./requirements_file.ts";
import { isDigest } from "../oci/reference.ts";
import { checkLockedDigest } from "./locked_version.ts";
import { missingTools, requiredTools } from "./required_tools.ts";
import {
  type Requirement,
  resolveDependencies,
  type ResolvedGraph,
} from "./resolve_dependencies.ts";

/** Options of {@linkcode installWorkspace}. */
export interface InstallWorkspaceOptions extends LoaderIndexOptions {
  /** The requirements file (`findRequirementsFile`). */
  file: string;
  /** Fail (exit 2) when the lock is missing or would change, instead of writing it. */
  locked?: boolean;
  /**
   * Re-resolve these names within their constraints instead of keeping their locked
   * versions (`true`: every name) — `ext update [NAME…]`.
   */
  update?: readonly string[] | true;
  /**
   * The `PATH` to look for the tools each extension `requires`; each one missing is an
   * `onWarning`. Unset: not checked.
   */
  toolPath?: string;
  /** The requirements to install instead of the file's (`ext add` and `ext remove`). */
  requirements?: readonly Requirement[];
}

/** A version change the install made to the lock. */
export interface LockChange {
  name: string;
  /** The locked version before, or null when the name is new. */
  from: string | null;
  /** The locked version now, or null when the name left the graph. */
  to: string | null;
}

/** What {@linkcode installWorkspace} did. */
export interface InstallWorkspaceResult {
  /** The lock now in force. */
  lock: LockFile;
  /** `extensions.lock` beside the requirements file. */
  lockPath: string;
  /** Whether the lock file was written (created or changed). */
  written: boolean;
  /** Where each node was loaded (`name@version` → path). */
  paths: Record<string, string>;
  /** Versions that changed against the previous lock, by name (`redis 1.2.0 → 1.4.1`). */
  changes: LockChange[];
}

/**
 * Installs a workspace.
 *
 * @example
 * ```ts ignore
 * const { lock, written } = await installWorkspace({ config, file: "/ws/extensions.toml" });
 * ```
 *
 * @param options Configuration, loader options, the requirements file, `locked`.
 * @returns The lock, its path, whether it was written, and where every node is.
 * @throws {ProvisioningError} `DIGEST_MISMATCH` (exit 5) when a locked extension's content
 *   changed; `USAGE` (exit 2) with `locked` when the lock is missing or would change;
 *   `DEPENDENCY_CONFLICT`, `DEPENDENCY_CYCLE`, `NOT_FOUND`, load errors.
 */
export async function installWorkspace(
  options: InstallWorkspaceOptions,
): Promise<InstallWorkspaceResult> {
  const requirements = options.requirements ?? await readRequirements(options.file);
  const lockPath = join(dirname(options.file), LOCK_FILE);
  const previous = await readLock(lockPath);
  if (previous === undefined && options.locked) {
    throw new ProvisioningError("USAGE", `No ${LOCK_FILE} beside "${options.file}" (--locked)`, {
      hint: "Run `provisioning ext install` once without --locked and commit the lock",
    });
  }
  let index: LoaderIndex = loaderIndex(options);
  let graph: ResolvedGraph | undefined;
  if (previous !== undefined) {
    // The locked versions, and nothing else, for the names the lock knows.
    const update = options.update;
    const pinned = new Map(
      previous.extensions
        .filter((e) => update !== true && !(update ?? []).includes(e.name))
        .map((e) => [e.name, e]),
    );
    const base = index;
    index = {
      ...base,
      entry: async (name, type, place, digest) => {
        const locked = pinned.get(name);
        if (locked === undefined) return await base.entry(name, type, place, digest);
        return { versions: [locked.version], type: locked.type };
      },
    };
    // Every locked version is known before resolving: load them side by side first.
    const asked = new Map(requirements.map((r) => [r.name, r]));
    await base.prefetch([...pinned.values()].map((locked) => {
      const r = asked.get(locked.name);
      return {
        name: locked.name,
        type: locked.type,
        version: locked.version,
        ...(r?.place === undefined ? {} : { place: r.place }),
        ...(r !== undefined && isDigest(r.spec) ? { digest: r.spec } : {}),
      };
    }));
    try {
      graph = await resolveDependencies(requirements, index);
    } catch (error) {
      if (!isProvisioningError(error, "DEPENDENCY_CONFLICT")) throw error;
      if (options.locked) throw lockDrift(lockPath, error.message);
      options.onWarning?.(`${error.message}; resolving again within the constraints`);
      index = loaderIndex(options);
      graph = undefined;
    }
  }
  graph ??= await resolveDependencies(requirements, index);
  const delivered = await lockGraph(graph, index);
  if (previous !== undefined) checkLocked(previous, lockPath, delivered);
  const lock = keepCanonicalOrigins(previous, delivered);
  const changed = previous === undefined || formatLock(previous) !== formatLock(lock);
  if (options.locked && lockIdentity(previous!) !== lockIdentity(lock)) {
    throw lockDrift(lockPath, "what resolves now differs from it");
  }
  // Under --locked only recorded fields (a signer, required tools) may have changed: keep the file.
  if (changed && !options.locked) await writeLock(lockPath, lock);
  const paths: Record<string, string> = {};
  for (const node of graph.nodes) {
    const loaded = index.loaded(node.name, node.version)!;
    paths[`${node.name}@${node.version}`] = loaded.path!;
    if (options.toolPath === undefined) continue;
    const missing = await missingTools(requiredTools(loaded.manifest?.requires), options.toolPath);
    if (missing.length > 0) {
      options.onWarning?.(
        `${node.type} "${node.name}" ${node.version} requires ${missing.join(", ")}, ` +
          `not found on PATH`,
      );
    }
  }
  return {
    lock,
    lockPath,
    written: changed && !options.locked,
    paths,
    changes: lockChanges(previous, lock),
  };
}

/** What changed between two locks, by name. */
function lockChanges(previous: LockFile | undefined, current: LockFile): LockChange[] {
  const before = new Map((previous?.extensions ?? []).map((e) => [e.name, e.version]));
  const after = new Map(current.extensions.map((e) => [e.name, e.version]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  return names
    .map((name) => ({ name, from: before.get(name) ?? null, to: after.get(name) ?? null }))
    .filter((c) => c.from !== c.to);
}

/**
 * The same content delivered by another source (an OCI layout copied from the registry, a
 * mirror) keeps the origin the lock names: the lock records where an extension comes from,
 * not which copy served it this time.
 */
function keepCanonicalOrigins(previous: LockFile | undefined, current: LockFile): LockFile {
  if (previous === undefined) return current;
  return {
    ...current,
    extensions: current.extensions.map((now) => {
      const locked = previous.extensions.find((e) =>
        e.name === now.name && e.version === now.version && e.digest === now.digest &&
        e.tree === now.tree
      );
      return locked === undefined ? now : { ...now, source: locked.source, origin: locked.origin };
    }),
  };
}

/** The content of every extension still locked at the same version must be the locked one. */
function checkLocked(previous: LockFile, lockPath: string, current: LockFile): void {
  for (const now of current.extensions) {
    const locked = previous.extensions.find((e) =>
      e.name === now.name && e.version === now.version
    );
    if (locked === undefined) continue;
    checkLockedDigest({ locked, lockPath }, now.digest ?? undefined);
    if (locked.tree !== now.tree) {
      throw new ProvisioningError(
        "DIGEST_MISMATCH",
        `${now.type} "${now.name}" ${now.version} holds other files than the lock says: ` +
          `locked ${locked.tree}, got ${now.tree}`,
        { hint: "Its content changed; check why, then `ext update` it" },
      );
    }
  }
}

function lockDrift(lockPath: string, why: string): ProvisioningError {
  return new ProvisioningError("USAGE", `"${lockPath}" would have to change: ${why} (--locked)`, {
    hint: "Run `provisioning ext install` without --locked and commit the new lock",
  });
}
