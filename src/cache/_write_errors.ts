/**
 * Telling the operating system's "cannot write here" failures apart, so a full disk or a
 * read-only cache is reported as one clear line naming the cache folder (exit 2) instead of
 * an unexpected failure or a damaged archive (private).
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";

/** The `code` Deno sets on file-system errors (`"ENOSPC"`, `"EROFS"`…), if any. */
function osCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Whether `error` says the disk (or the user's quota) is full: `ENOSPC` / `EDQUOT`, or
 * "os error 28" in the message where no code was kept.
 *
 * @example
 * ```ts
 * import { isNoSpaceError } from "./_write_errors.ts";
 * import assert from "node:assert/strict";
 *
 * const full = Object.assign(new Error("No space left on device (os error 28)"), { code: "ENOSPC" });
 * assert.ok(isNoSpaceError(full));
 * assert.ok(isNoSpaceError(new Error("No space left on device (os error 28): write")));
 * assert.ok(!isNoSpaceError(new TypeError("Corrupt gzip stream")));
 * ```
 *
 * @param error Anything caught.
 * @returns Whether it is a full-disk error.
 */
export function isNoSpaceError(error: unknown): boolean {
  const code = osCode(error);
  if (code === "ENOSPC" || code === "EDQUOT") return true;
  return error instanceof Error && /\(os error (28|122)\)/.test(error.message);
}

/**
 * Whether `error` says the file system refuses writes: read-only (`EROFS`) or the operating
 * system's permission refusal (`EACCES`, `EPERM`, `Deno.errors.PermissionDenied`). Deno's own
 * permission refusal (`NotCapable`) is not one: the CLI reports that itself.
 *
 * @example
 * ```ts
 * import { isReadOnlyError } from "./_write_errors.ts";
 * import assert from "node:assert/strict";
 *
 * const ro = Object.assign(new Error("Read-only file system (os error 30)"), { code: "EROFS" });
 * assert.ok(isReadOnlyError(ro));
 * assert.ok(isReadOnlyError(new Deno.errors.PermissionDenied("Permission denied")));
 * assert.ok(!isReadOnlyError(new Deno.errors.NotCapable("Requires write access")));
 * ```
 *
 * @param error Anything caught.
 * @returns Whether it is a refused write.
 */
export function isReadOnlyError(error: unknown): boolean {
  if (error instanceof Deno.errors.NotCapable) return false;
  if (error instanceof Deno.errors.PermissionDenied) return true;
  const code = osCode(error);
  if (code === "EROFS" || code === "EACCES" || code === "EPERM") return true;
  return error instanceof Error && /\(os error 30\)/.test(error.message);
}

/**
 * Turns a full disk or a refused write met while `action` ran on the cache at `root` into a
 * {@linkcode ProvisioningError} naming the folder (`CACHE_NO_SPACE`, `CACHE_READ_ONLY`, both
 * exit 2); anything else is returned as it is.
 *
 * @example
 * ```ts
 * import { cacheWriteError } from "./_write_errors.ts";
 * import assert from "node:assert/strict";
 *
 * const full = Object.assign(new Error("No space left on device (os error 28)"), { code: "ENOSPC" });
 * const error = cacheWriteError(full, "/c", 'save "provider/aws/1.0.0"');
 * assert.equal((error as { code: string }).code, "CACHE_NO_SPACE");
 * assert.equal(
 *   (error as Error).message,
 *   'Cannot save "provider/aws/1.0.0": no space left on the device of the cache folder "/c"',
 * );
 * const other = new TypeError("boom");
 * assert.equal(cacheWriteError(other, "/c", "clear the cache"), other);
 * ```
 *
 * @param error Anything caught.
 * @param root The cache folder, as configured (what the user recognises).
 * @param action What was being done, after "Cannot" (`save "provider/aws/1.0.0"`).
 * @returns The error to throw.
 */
export function cacheWriteError(error: unknown, root: string, action: string): unknown {
  if (error instanceof ProvisioningError) return error;
  if (isNoSpaceError(error)) {
    return new ProvisioningError(
      "CACHE_NO_SPACE",
      `Cannot ${action}: no space left on the device of the cache folder "${root}"`,
      {
        cause: error,
        hint: "Free some space (ext cache prune, ext cache clear) or point cache.dir " +
          "(PROVISIONING_CACHE_DIR, --cache-dir) at another disk; nothing was saved",
      },
    );
  }
  if (isReadOnlyError(error)) {
    const why = osCode(error) === "EROFS" || /\(os error 30\)/.test(String(error))
      ? "is on a read-only file system"
      : "cannot be written (permission denied)";
    return new ProvisioningError(
      "CACHE_READ_ONLY",
      `Cannot ${action}: the cache folder "${root}" ${why}`,
      {
        cause: error,
        hint: "Point cache.dir (PROVISIONING_CACHE_DIR, --cache-dir) at a folder you can " +
          "write; what is already cached there is still served",
      },
    );
  }
  return error;
}
