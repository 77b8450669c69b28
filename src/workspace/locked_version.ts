/**
 * `ext load` inside a workspace: the lock's version of a name, so a load gives the bytes
 * `ext install` locked, and a check that what was loaded is them.
 *
 * @module
 */

import { dirname, join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { plainVersionSpec } from "../versions/_plain_spec.ts";
import { matchesPlainSpec } from "../versions/_resolve_plain.ts";
import { isSemver } from "../versions/is_semver.ts";
import { type LockedExtension, readLock } from "./lock_file.ts";
import { findRequirementsFile, LOCK_FILE } from "./find_requirements.ts";

/** A locked extension and the lock that says so. */
export interface LockedChoice {
  locked: LockedExtension;
  lockPath: string;
}

/**
 * The workspace lock's entry for `name`, when there is a lock (found as `ext install` finds
 * it) holding the name at a version that satisfies `spec` (`latest`: any).
 *
 * @example
 * ```ts
 * import { lockedVersionFor } from "./locked_version.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * assert.equal(await lockedVersionFor(undefined, dir, "redis", "latest"), undefined);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param workspace The workspace folder (`config.workspace`), if any.
 * @param cwd Where the command runs.
 * @param name Extension name.
 * @param spec The spec asked for.
 * @returns The locked choice, or undefined.
 * @throws {ProvisioningError} `INVALID_CONFIG` when the lock does not parse.
 */
export async function lockedVersionFor(
  workspace: string | undefined,
  cwd: string,
  name: string,
  spec: string,
): Promise<LockedChoice | undefined> {
  const file = await findRequirementsFile(workspace, cwd);
  if (file === undefined) return undefined;
  const lockPath = join(dirname(file), LOCK_FILE);
  const lock = await readLock(lockPath);
  const locked = lock?.extensions.find((e) => e.name === name);
  if (locked === undefined) return undefined;
  if (spec !== "latest" && !(await satisfies(locked.version, spec))) return undefined;
  return { locked, lockPath };
}

/**
 * `satisfiesConstraint`, loading the range engine (`semver`) only for a range: every
 * `ext load NAME --version X.Y.Z` in a workspace asks this.
 */
async function satisfies(version: string, spec: string): Promise<boolean> {
  const plain = plainVersionSpec(spec);
  if (plain !== undefined) return isSemver(version) && matchesPlainSpec(version, plain);
  const { satisfiesConstraint } = await import("../versions/satisfies_constraint.ts");
  return satisfiesConstraint(version, spec);
}

/**
 * Refuses a load whose content digest is not the locked one (republished under the same
 * version).
 *
 * @example
 * ```ts
 * import { checkLockedDigest } from "./locked_version.ts";
 * import assert from "node:assert/strict";
 *
 * const locked = { name: "db", type: "taskserv" as const, version: "1.0.0", source: "oci" as const,
 *   origin: "r/ns/db", digest: "sha256:aa", tree: "h1:x", signer: null, requires: [], constraints: [],
 *   dependencies: [] };
 * checkLockedDigest({ locked, lockPath: "extensions.lock" }, "sha256:aa");
 * assert.throws(() => checkLockedDigest({ locked, lockPath: "extensions.lock" }, "sha256:bb"),
 *   /locked sha256:aa, got sha256:bb/);
 * ```
 *
 * @param choice What {@linkcode lockedVersionFor} returned.
 * @param digest The loaded content's digest, if it has one.
 * @throws {ProvisioningError} `DIGEST_MISMATCH` (exit 5) naming both digests.
 */
export function checkLockedDigest(choice: LockedChoice, digest: string | undefined): void {
  const { locked, lockPath } = choice;
  if (locked.digest === null || digest === undefined || digest === locked.digest) return;
  throw new ProvisioningError(
    "DIGEST_MISMATCH",
    `${locked.type} "${locked.name}" ${locked.version} is not what ${lockPath} says: locked ` +
      `${locked.digest}, got ${digest}`,
    { hint: "It was republished under the same version; check why, then `ext update` it" },
  );
}
