/**
 * The registries a command talks to, for its least-privilege set: `[oci] registry` for
 * commands that write or manage the registry (publish, delete, copy, test-oci), and every
 * registry reads go to (`[[oci.registries]]`, or `[oci] registry` alone) for commands that
 * resolve through the sources with `oci` in play.
 *
 * @module
 */

import type { OciSettings, ResolvedConfig } from "../config/types.ts";
import { registryPlaces } from "../registries/registry_places.ts";
import type { CommandNeeds } from "./types.ts";

/**
 * The settings of each registry the command may ask, without repeats.
 *
 * @example
 * ```ts
 * import { registriesOfCommand } from "./registries_of_command.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({ cwd: "/", home: "/nonexistent", env: {} });
 * const [only] = registriesOfCommand(config, { registry: true, sources: false }, false);
 * assert.equal(only?.registry, "localhost:5000");
 * assert.deepEqual(registriesOfCommand(config, { registry: false, sources: true }, false), []);
 * ```
 *
 * @param config The effective configuration.
 * @param needs Whether the command talks to the registry, and whether it reads the sources.
 * @param ociInPlay Whether the `oci` source is in play (`sourcesInPlay`).
 * @returns The registries' settings.
 */
export function registriesOfCommand(
  config: Pick<ResolvedConfig, "settings" | "origins">,
  needs: Pick<CommandNeeds, "registry" | "sources">,
  ociInPlay: boolean,
): OciSettings[] {
  const out: OciSettings[] = needs.registry ? [config.settings.oci] : [];
  if (needs.sources && ociInPlay) {
    for (const place of registryPlaces(config)) {
      if (!out.some((o) => o.registry === place.oci.registry)) out.push(place.oci);
    }
  }
  return out;
}
