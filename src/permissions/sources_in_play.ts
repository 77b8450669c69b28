import type { ConcreteSourceType, Settings } from "../config/types.ts";

/**
 * The sources a command that uses the configured sources may touch: the selected source, or
 * for `auto` every source of `auto_order` that is configured (Gitea needs `gitea.url`, git
 * needs `git.remotes`; local folders, OCI layouts and the registry always count).
 *
 * @example
 * ```ts
 * import { sourcesInPlay } from "./sources_in_play.ts";
 * import { defaultSettings } from "../config/defaults.ts";
 * import assert from "node:assert/strict";
 *
 * const settings = defaultSettings("/home/ada");
 * assert.deepEqual(sourcesInPlay(settings), ["local", "oci-layout", "oci", "examples"]);
 * settings.extensions.source_type = "git";
 * assert.deepEqual(sourcesInPlay(settings), ["git"]);
 * ```
 *
 * @param settings The effective settings (`extensions.source_type` already reflects `--source`).
 * @returns The concrete sources, in the order they are tried.
 */
export function sourcesInPlay(settings: Settings): ConcreteSourceType[] {
  const selected = settings.extensions.source_type;
  if (selected !== "auto") return [selected];
  return settings.extensions.auto_order.filter((source) => {
    if (source === "gitea") return (settings.gitea.url ?? "") !== "";
    if (source === "git") return settings.git.remotes.length > 0;
    return true;
  });
}
