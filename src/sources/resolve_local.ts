/**
 * Picking one local extension for a name, type and version spec, with errors that say what
 * exists when nothing matches.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { plainVersionSpec } from "../versions/_plain_spec.ts";
import { loadedRangeEngine } from "../versions/_range_engine.ts";
import { matchesPlainSpec, resolveParsedSpec } from "../versions/_resolve_plain.ts";
import { sortBySemver } from "../versions/sort_by_semver.ts";
import {
  type FolderSourceKind,
  localCandidates,
  type LocalExtension,
  type LocalScan,
} from "./local.ts";

/**
 * Chooses the local extension that satisfies `spec`, the highest such version.
 *
 * @example
 * ```ts
 * import { bundledExamplesDir, scanLocalExtensions } from "./local.ts";
 * import { resolveLocalExtension } from "./resolve_local.ts";
 * import { withRangeEngine } from "../versions/_range_engine.ts";
 * import assert from "node:assert/strict";
 *
 * const scan = await scanLocalExtensions([bundledExamplesDir()]);
 * // A range needs the range engine, loaded on demand.
 * const ext = await withRangeEngine(() =>
 *   resolveLocalExtension(scan, "kubernetes", "~1.28.0", "taskserv")
 * );
 * assert.equal(ext.version, "1.28.0");
 * ```
 *
 * @param scan What {@linkcode scanLocalExtensions} found.
 * @param name Extension name.
 * @param spec Version spec (`1.2.3`, `^1.2.0`, `latest`, …).
 * @param type When given, only this type is considered.
 * @param source The source named in messages (`local` or `examples`).
 * @returns The chosen extension.
 * @throws {RangeEngineNeeded} For a range before the range engine is loaded (run it
 *   through `withRangeEngine`).
 * @throws {ProvisioningError} `INVALID_VERSION_SPEC` for a bad spec, `INVALID_MANIFEST` when
 * the only match has an invalid manifest, `USAGE` when the name exists with several types and
 * none was given, `NOT_FOUND` / `VERSION_NOT_FOUND` naming what exists.
 */
export function resolveLocalExtension(
  scan: LocalScan,
  name: string,
  spec: string,
  type?: ExtensionType,
  source: FolderSourceKind = "local",
): LocalExtension {
  // A range needs the range engine (`semver`): `RangeEngineNeeded` until it is loaded (the
  // local source loads it and retries); a plain spec does not.
  const plain = plainVersionSpec(spec);
  if (plain === undefined) loadedRangeEngine().parseVersionSpec(spec);
  const candidates = localCandidates(scan, name, type);
  if (candidates.length === 0) {
    const broken = scan.invalid.find((i) => i.nameHint === name);
    if (broken !== undefined) throw broken.error;
    const otherTypes = [...new Set(localCandidates(scan, name).map((e) => e.type))];
    const label = type === undefined ? `"${name}"` : `${type} "${name}"`;
    throw new ProvisioningError(
      "NOT_FOUND",
      `Extension ${label} not found in the ${source} source`,
      {
        hint: otherTypes.length > 0
          ? `"${name}" exists as ${otherTypes.join(", ")}; use --type ${otherTypes[0]}`
          : `Run \`provisioning ext list --source ${source}\` to see what is available`,
      },
    );
  }
  const types = [...new Set(candidates.map((c) => c.type))];
  if (types.length > 1) {
    throw new ProvisioningError(
      "USAGE",
      `Extension "${name}" exists as ${types.join(" and ")}; say which with --type`,
    );
  }
  const versions = candidates.map((c) => c.version);
  const chosen = plain === undefined
    ? loadedRangeEngine().resolveVersion(spec, versions)
    : resolveParsedSpec(plain, versions, matchesPlainSpec);
  if (chosen === undefined) {
    throw new ProvisioningError(
      "VERSION_NOT_FOUND",
      `No version of ${types[0]} "${name}" satisfies "${spec}"`,
      { hint: `Available versions: ${sortBySemver(versions).reverse().join(", ")}` },
    );
  }
  return candidates.find((c) => c.version === chosen)!;
}
