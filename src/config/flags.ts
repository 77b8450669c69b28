/**
 * The command-line layer, applied last.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { checkValue } from "./_check_value.ts";
import { resolvePath } from "./_resolve_path.ts";
import { settingSpec } from "./schema.ts";
import type { ConfigFlags, ConfigLayer, SettingKey } from "./types.ts";

/** Each flag of {@linkcode ConfigFlags}: its command-line spelling and the key it sets. */
export const FLAG_BINDINGS: readonly {
  readonly flag: keyof ConfigFlags;
  readonly name: string;
  readonly key: SettingKey;
}[] = [
  { flag: "registry", name: "--registry", key: "oci.registry" },
  { flag: "namespace", name: "--namespace", key: "oci.namespace" },
  { flag: "insecure", name: "--insecure", key: "oci.insecure" },
  { flag: "plainHttp", name: "--plain-http", key: "oci.insecure" },
  { flag: "caFile", name: "--ca-file", key: "oci.ca_file" },
  { flag: "source", name: "--source", key: "extensions.source_type" },
  { flag: "cacheDir", name: "--cache-dir", key: "cache.dir" },
];

/**
 * The flag layer: one layer per flag given (undefined members are skipped), each with origin
 * `{ kind: "flag", source: "--registry" }`. A relative `--cache-dir` resolves against `cwd`.
 *
 * @example
 * ```ts
 * import { configFromFlags } from "./flags.ts";
 * import assert from "node:assert/strict";
 *
 * const layers = configFromFlags({ registry: "zot:5000", source: undefined }, {
 *   cwd: "/w",
 *   home: "/h",
 * });
 * assert.deepEqual(layers, [{
 *   origin: { kind: "flag", source: "--registry" },
 *   values: { "oci.registry": "zot:5000" },
 * }]);
 * ```
 *
 * @param flags The flags as parsed by the CLI.
 * @param options `cwd` and `home`, both absolute.
 * @returns The layers, in the order of {@linkcode FLAG_BINDINGS}.
 * @throws {ProvisioningError} `USAGE` naming the flag when its value is invalid.
 */
export function configFromFlags(
  flags: ConfigFlags,
  options: { cwd: string; home: string },
): ConfigLayer[] {
  const layers: ConfigLayer[] = [];
  for (const binding of FLAG_BINDINGS) {
    const raw = flags[binding.flag];
    const spec = settingSpec(binding.key);
    if (raw === undefined || spec === undefined) continue;
    const checked = checkValue(
      spec,
      raw,
      (path) => resolvePath(path, options.cwd, options.home),
    );
    if (!checked.ok) {
      const message = `Flag ${binding.name}: ${
        checked.problem.replace(/got string (".*")$/, "got $1")
      }`;
      throw new ProvisioningError(
        "USAGE",
        message,
        checked.hint === undefined ? {} : { hint: checked.hint },
      );
    }
    layers.push({
      origin: { kind: "flag", source: binding.name },
      values: { [binding.key]: checked.value },
    });
  }
  return layers;
}
