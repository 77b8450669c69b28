import { ProvisioningError } from "../errors.ts";
import type { PermissionSet } from "./types.ts";

/**
 * The `deno run` flags that grant exactly a permission set: `--no-prompt` (a missing grant
 * is refused, never asked for on a terminal), one `--allow-*=a,b` per non-empty list, and
 * `--ignore-env` / `--ignore-read=…`. Kinds with an empty list get no flag, so Deno refuses
 * them entirely. Each flag is one argument: pass the array to `Deno.Command` as is, or quote
 * each element for a shell ({@linkcode shellQuote}).
 *
 * Deno splits flag values at commas and has no escape for them, so a path or name
 * containing a comma cannot be expressed on the command line; the worker launch
 * ({@linkcode runScoped}) takes lists and has no such limit.
 *
 * @example
 * ```ts
 * import { permissionFlags } from "./permission_flags.ts";
 * import assert from "node:assert/strict";
 *
 * const flags = permissionFlags({
 *   read: ["/c", "/w/my extensions"],
 *   write: ["/c"],
 *   net: ["localhost:5000"],
 *   env: ["HOME", "NO_COLOR"],
 *   run: [],
 *   ignoreEnv: true,
 * });
 * assert.deepEqual(flags, [
 *   "--no-prompt",
 *   "--allow-read=/c,/w/my extensions",
 *   "--allow-write=/c",
 *   "--allow-net=localhost:5000",
 *   "--allow-env=HOME,NO_COLOR",
 *   "--ignore-env",
 * ]);
 * ```
 *
 * @param set The permission set.
 * @returns The flags, in a stable order.
 * @throws {ProvisioningError} `UNSUPPORTED` when an entry contains a comma or is empty.
 */
export function permissionFlags(set: PermissionSet): string[] {
  const flags = ["--no-prompt"];
  const list = (flag: string, values: readonly string[] | undefined) => {
    if (values === undefined || values.length === 0) return;
    for (const value of values) {
      if (value === "" || value.includes(",")) {
        throw new ProvisioningError(
          "UNSUPPORTED",
          `Cannot pass "${value}" in ${flag}: Deno permission flags cannot hold empty entries or commas`,
          {
            hint:
              "Rename the path, or run the compiled binary or a broad launch, which scope a worker without flags",
          },
        );
      }
    }
    flags.push(`${flag}=${values.join(",")}`);
  };
  list("--allow-read", set.read);
  list("--allow-write", set.write);
  list("--allow-net", set.net);
  list("--allow-env", set.env);
  list("--allow-run", set.run);
  if (set.ignoreEnv) flags.push("--ignore-env");
  list("--ignore-read", set.ignoreRead);
  return flags;
}

/**
 * Quotes one argument for a POSIX shell: unchanged when it holds only safe characters,
 * otherwise in single quotes.
 *
 * @example
 * ```ts
 * import { shellQuote } from "./permission_flags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(shellQuote("--allow-net=localhost:5000"), "--allow-net=localhost:5000");
 * assert.equal(shellQuote("--allow-read=/a b"), "'--allow-read=/a b'");
 * assert.equal(shellQuote("it's"), "'it'\\''s'");
 * ```
 *
 * @param arg The argument.
 * @returns The argument as a shell word.
 */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
