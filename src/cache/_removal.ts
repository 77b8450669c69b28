/**
 * Small pieces shared by `clear` and `prune` (private).
 *
 * @module
 */

import { isProvisioningError } from "../errors.ts";
import type { LeftoverTotals } from "./sweep.ts";
import type { RemovalResult } from "./types.ts";

/** A removal that removed nothing. */
export function emptyRemoval(): RemovalResult {
  return {
    removed: [],
    freedBytes: 0,
    blobsRemoved: 0,
    blobBytesFreed: 0,
    skipped: [],
    leftoversRemoved: 0,
    leftoverBytesFreed: 0,
  };
}

/** Best-effort clean-ups ignore failures, except a refused (planted) path or foreign root. */
export function rethrowIntegrity(error: unknown): LeftoverTotals {
  if (
    isProvisioningError(error, "INTEGRITY") || isProvisioningError(error, "CACHE_ROOT_NOT_OWNED")
  ) {
    throw error;
  }
  return { count: 0, bytes: 0 };
}
