/**
 * `ext outdated`: for every locked extension, the locked version, the newest its constraints
 * allow, and the newest overall.
 *
 * @module
 */

import type { ExtensionType } from "../manifest/types.ts";
import { resolveVersion, satisfiesConstraint } from "../versions/mod.ts";
import type { LockFile } from "./lock_file.ts";
import type { ResolveIndex } from "./resolve_dependencies.ts";

/** One row of {@linkcode outdatedExtensions}. */
export interface OutdatedRow {
  name: string;
  type: ExtensionType;
  locked: string;
  /** Newest version every constraint recorded in the lock allows. */
  wanted: string | null;
  /** Newest version available. */
  latest: string | null;
}

/**
 * Compares a lock with what the sources offer now.
 *
 * @example
 * ```ts
 * import { outdatedExtensions } from "./outdated.ts";
 * import assert from "node:assert/strict";
 *
 * const lock = { lockVersion: 1 as const, extensions: [{
 *   name: "db", type: "taskserv" as const, version: "2.1.0", source: "oci" as const,
 *   origin: null, digest: null, tree: "h1:x", signer: null, requires: [], dependencies: [],
 *   constraints: [{ spec: "~2.1.0", by: "workspace" }],
 * }] };
 * const rows = await outdatedExtensions(lock, {
 *   entry: () => Promise.resolve({ versions: ["2.1.0", "2.1.5", "3.0.0"], type: "taskserv" }),
 *   version: () => Promise.resolve({ dependencies: {} }),
 * });
 * assert.deepEqual(rows, [
 *   { name: "db", type: "taskserv", locked: "2.1.0", wanted: "2.1.5", latest: "3.0.0" },
 * ]);
 * ```
 *
 * @param lock The lock.
 * @param index Where versions come from (`loaderIndex`).
 * @returns One row per locked extension, by name.
 */
export async function outdatedExtensions(
  lock: LockFile,
  index: ResolveIndex,
): Promise<OutdatedRow[]> {
  const rows: OutdatedRow[] = [];
  for (const e of lock.extensions) {
    const { versions } = await index.entry(e.name, e.type);
    const fits = versions.filter((v) => e.constraints.every((c) => satisfiesConstraint(v, c.spec)));
    rows.push({
      name: e.name,
      type: e.type,
      locked: e.version,
      wanted: resolveVersion("latest", fits) ?? null,
      latest: resolveVersion("latest", versions) ?? null,
    });
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
