/**
 * The lock file (`extensions.lock`): what a workspace resolved, so every machine loads the
 * same bytes. JSON with a format version, extensions sorted by name and every object's keys
 * in a fixed order, two-space indented, one trailing newline: stable and diff-friendly.
 * Each entry names the canonical origin (registry/repository or remote — never a mirror),
 * the content digest and the tree hash (`h1:`, the same whichever source delivered it).
 *
 * @module
 */

import type { ConcreteSourceType } from "../config/types.ts";
import { writeTextReplacing } from "../fs/write_replacing.ts";
import { ProvisioningError } from "../errors.ts";
import { EXTENSION_TYPES, type ExtensionType } from "../manifest/types.ts";
import { isSemver } from "../versions/is_semver.ts";
import type { Constraint } from "./resolve_dependencies.ts";

/** The lock file's format version. */
export const LOCK_VERSION = 1;

/** One locked extension. */
export interface LockedExtension {
  name: string;
  type: ExtensionType;
  version: string;
  /** The source it was delivered from when locked. */
  source: ConcreteSourceType;
  /** `registry/repository`, the layout folder or the remote; null for a local folder. */
  origin: string | null;
  /** Manifest digest (OCI), archive digest (git, Gitea); null for a local folder. */
  digest: string | null;
  /** {@linkcode treeHash} of the unpacked extension. */
  tree: string;
  /**
   * Fingerprint of the key whose signature was verified when it was loaded
   * (`[signatures] require`), else null.
   */
  signer: string | null;
  /** The tools its manifest `requires` (what `ext tree` shows and `ext install` looks for). */
  requires: string[];
  /** The constraints that chose the version, and who imposed each. */
  constraints: Constraint[];
  /** Names it depends on. */
  dependencies: string[];
}

/** The whole lock file. */
export interface LockFile {
  lockVersion: typeof LOCK_VERSION;
  extensions: LockedExtension[];
}

/**
 * The lock file's text: sorted, fixed key order, trailing newline.
 *
 * @example
 * ```ts
 * import { formatLock } from "./lock_file.ts";
 * import assert from "node:assert/strict";
 *
 * const text = formatLock({ lockVersion: 1, extensions: [] });
 * assert.equal(text, '{\n  "lockVersion": 1,\n  "extensions": []\n}\n');
 * ```
 *
 * @param lock The lock.
 * @returns Its text.
 */
export function formatLock(lock: LockFile): string {
  const extensions = [...lock.extensions]
    .sort((a, b) => compare(a.name, b.name) || compare(a.type, b.type))
    .map((e) => ({
      name: e.name,
      type: e.type,
      version: e.version,
      source: e.source,
      origin: e.origin,
      digest: e.digest,
      tree: e.tree,
      signer: e.signer,
      requires: [...e.requires].sort(),
      constraints: [...e.constraints].sort((a, b) => compare(a.by, b.by) || compare(a.spec, b.spec))
        .map((c) => ({ spec: c.spec, by: c.by })),
      dependencies: [...e.dependencies].sort(),
    }));
  return JSON.stringify({ lockVersion: LOCK_VERSION, extensions }, null, 2) + "\n";
}

/**
 * Reads a lock file; undefined when there is none.
 *
 * @example
 * ```ts
 * import { readLock, writeLock } from "./lock_file.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * assert.equal(await readLock(`${dir}/extensions.lock`), undefined);
 * await writeLock(`${dir}/extensions.lock`, { lockVersion: 1, extensions: [] });
 * assert.deepEqual(await readLock(`${dir}/extensions.lock`), { lockVersion: 1, extensions: [] });
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param path The lock file.
 * @returns The lock, or undefined when the file does not exist.
 * @throws {ProvisioningError} `INVALID_CONFIG` naming the file and the first problem.
 */
export async function readLock(path: string): Promise<LockFile | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new ProvisioningError("INVALID_CONFIG", `Cannot read lock file "${path}"`, {
      cause: error,
    });
  }
  const fail = (why: string): never => {
    throw new ProvisioningError("INVALID_CONFIG", `Lock file "${path}" ${why}`, {
      hint: "Restore it from version control, or delete it and install again",
    });
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    fail("is not valid JSON");
  }
  const lock = doc as { lockVersion?: unknown; extensions?: unknown };
  if (lock?.lockVersion !== LOCK_VERSION) {
    fail(`has lockVersion ${String(lock?.lockVersion)}, not ${LOCK_VERSION}`);
  }
  if (!Array.isArray(lock.extensions)) fail('has no "extensions" array');
  const extensions = (lock.extensions as unknown[]).map((item, i) => {
    const e = item as Partial<LockedExtension> | null;
    const at = `entry ${i + 1}`;
    if (typeof e?.name !== "string" || e.name === "") fail(`${at} has no name`);
    if (!(EXTENSION_TYPES as readonly unknown[]).includes(e!.type)) fail(`${at} has no valid type`);
    if (typeof e!.version !== "string" || !isSemver(e!.version)) fail(`${at} has no valid version`);
    if (typeof e!.tree !== "string" || !e!.tree.startsWith("h1:")) fail(`${at} has no tree hash`);
    return {
      name: e!.name!,
      type: e!.type!,
      version: e!.version!,
      source: e!.source ?? "local",
      origin: typeof e!.origin === "string" ? e!.origin : null,
      digest: typeof e!.digest === "string" ? e!.digest : null,
      tree: e!.tree!,
      // Locks written before these fields existed read as unsigned, with no tools required.
      signer: typeof e!.signer === "string" ? e!.signer : null,
      requires: Array.isArray(e!.requires)
        ? e!.requires.filter((t): t is string => typeof t === "string")
        : [],
      constraints: Array.isArray(e!.constraints) ? e!.constraints : [],
      dependencies: Array.isArray(e!.dependencies) ? e!.dependencies : [],
    } as LockedExtension;
  });
  return { lockVersion: LOCK_VERSION, extensions };
}

/**
 * Writes a lock file whole or not at all.
 *
 * @param path The lock file.
 * @param lock The lock.
 */
export async function writeLock(path: string, lock: LockFile): Promise<void> {
  await writeTextReplacing(path, formatLock(lock));
}

/**
 * What `--locked` holds still: the text of the lock without what is recorded about an
 * extension rather than chosen (`signer`, `requires`), so a lock written by an earlier version
 * of the tool, or a new signature on the same bytes, is not drift.
 *
 * @example
 * ```ts
 * import { lockIdentity } from "./lock_file.ts";
 * import assert from "node:assert/strict";
 *
 * const e = { name: "db", type: "taskserv" as const, version: "1.0.0", source: "oci" as const,
 *   origin: "r/ns/db", digest: "sha256:aa", tree: "h1:x", signer: null, requires: [],
 *   constraints: [], dependencies: [] };
 * const signed = { ...e, signer: "sha256:key", requires: ["kubectl"] };
 * assert.equal(lockIdentity({ lockVersion: 1, extensions: [e] }),
 *   lockIdentity({ lockVersion: 1, extensions: [signed] }));
 * ```
 *
 * @param lock The lock.
 * @returns Its identity text.
 */
export function lockIdentity(lock: LockFile): string {
  return formatLock({
    ...lock,
    extensions: lock.extensions.map((e) => ({ ...e, signer: null, requires: [] })),
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
