/**
 * The choice of sources for a discovery run: `auto` means every discoverable source, in
 * `[extensions] auto_order` (those not set up are left out when the run opens them).
 *
 * @module
 */

import {
  CONCRETE_SOURCE_TYPES,
  type ConcreteSourceType,
  type SourceType,
} from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";

/**
 * Sources discovery can read, in display order: every source, since each lists what it can
 * load.
 */
export const DISCOVERABLE_SOURCES: readonly ConcreteSourceType[] = CONCRETE_SOURCE_TYPES;

/**
 * The concrete sources a run reads: the given one, or every discoverable source in
 * `auto_order` for `auto`.
 *
 * @example
 * ```ts
 * import { selectSources } from "./select_sources.ts";
 * import assert from "node:assert/strict";
 *
 * const order = ["local", "oci-layout", "oci", "gitea", "git", "examples"] as const;
 * assert.deepEqual(selectSources("auto", [...order]), [
 *   "local", "oci-layout", "oci", "gitea", "git", "examples",
 * ]);
 * assert.deepEqual(selectSources("auto", ["oci"]), ["oci", "local", "oci-layout", "gitea", "git"]);
 * assert.deepEqual(selectSources("oci", [...order]), ["oci"]);
 * ```
 *
 * @param source `auto` or one source.
 * @param autoOrder `[extensions] auto_order`.
 * @returns The sources, in order.
 * @throws {ProvisioningError} `UNSUPPORTED` for a source discovery cannot read yet.
 */
export function selectSources(
  source: SourceType,
  autoOrder: readonly ConcreteSourceType[],
): ConcreteSourceType[] {
  if (source === "auto") {
    const ordered = autoOrder.filter((s) => DISCOVERABLE_SOURCES.includes(s));
    // `examples` counts only where auto_order lists it: leaving it out turns the demos off.
    for (const s of DISCOVERABLE_SOURCES) {
      if (!ordered.includes(s) && s !== "examples") ordered.push(s);
    }
    return ordered;
  }
  if (!DISCOVERABLE_SOURCES.includes(source)) {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `Source "${source}" cannot be listed or searched yet`,
      { hint: `Use --source ${["auto", ...DISCOVERABLE_SOURCES].join(", --source ")}` },
    );
  }
  return [source];
}
