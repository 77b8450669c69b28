/**
 * Building a source by kind from the configuration (see _source_of_kind.ts, which the
 * loader uses to import the `gitea` and `git` sources only when asked for).
 *
 * @module
 */

import type { ConcreteSourceType } from "../config/types.ts";
import { createGiteaSource, giteaUnconfigured } from "./gitea_source.ts";
import { createGitSource } from "./git_source.ts";
import { sourceOfKind } from "./_source_of_kind.ts";
import type { Source, SourceContext } from "./types.ts";

export { unavailableError, unavailableSource } from "./_source_of_kind.ts";

/**
 * Creates the source of `kind` for a configuration.
 *
 * @example
 * ```ts
 * import { createSource } from "./create_source.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({ cwd: "/", home: "/nonexistent", env: {} });
 * assert.equal(createSource("oci", { config }).unavailable, undefined);
 * assert.notEqual(createSource("oci-layout", { config }).unavailable, undefined);
 * ```
 *
 * The `oci` and `gitea` sources are unavailable when the process has no network permission
 * for their host (so `auto` skips them at once instead of retrying a refused connection),
 * `gitea` also when `[gitea] url` or `organization` is not set, and `git` when the process
 * may not run `git`. With several `[[oci.registries]]`, `oci` asks them in order and its
 * {@linkcode Source.parts} are the registries, which discovery lists one by one.
 *
 * @param kind Which source.
 * @param context Configuration, home directory (credentials), fetch, notes.
 * @returns The source; check {@linkcode Source.unavailable} before use.
 */
export function createSource(kind: ConcreteSourceType, context: SourceContext): Source {
  return sourceOfKind(kind, context, {
    gitea: { createGiteaSource, giteaUnconfigured },
    git: { createGitSource },
  });
}
