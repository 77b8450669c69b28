/**
 * Building a source by kind from the configuration: the one place that knows which sources
 * exist. A source that is not built yet is returned as an unavailable stub, so `auto` skips
 * it and asking for it explicitly says so.
 *
 * @module
 */

import type { ConcreteSourceType } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { splitRegistrySetting } from "../oci/mod.ts";
import { createLocalSource } from "./local_source.ts";
import { createOciLayoutSource } from "./oci_layout_source.ts";
import { createOciSource } from "./oci_source.ts";
import type { Source, SourceContext } from "./types.ts";

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
 * @param kind Which source.
 * The `oci` source is unavailable when the process has no network permission for the
 * registry (so `auto` skips it at once instead of retrying a refused connection).
 *
 * @param context Configuration, home directory (credentials), fetch, notes.
 * @returns The source; check {@linkcode Source.unavailable} before use.
 */
export function createSource(kind: ConcreteSourceType, context: SourceContext): Source {
  const { settings } = context.config;
  switch (kind) {
    case "local":
      return createLocalSource(context.config);
    case "oci": {
      const host = splitRegistrySetting(settings.oci.registry).host;
      if (!netGranted(host)) {
        return unavailableSource(
          "oci",
          `no network permission for "${host}" (run Deno with --allow-net)`,
        );
      }
      return createOciSource(settings.oci, {
        clientOptions: {
          ...(context.home === undefined ? {} : { home: context.home }),
          ...(context.fetch === undefined ? {} : { fetch: context.fetch }),
          ...(context.onNote === undefined ? {} : { onNote: context.onNote }),
        },
      });
    }
    case "oci-layout":
      return createOciLayoutSource(settings.extensions.layout_paths);
    case "gitea":
    case "git":
      return unavailableSource(kind, `the ${kind} source is not available in this version`);
  }
}

/** Whether this process may connect to `host` without asking (a prompt is not a grant). */
function netGranted(host: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "net", host }).state === "granted";
  } catch {
    return false;
  }
}

/**
 * A source that cannot be used: every call fails with `UNSUPPORTED` naming `reason`.
 *
 * @example
 * ```ts
 * import { unavailableSource } from "./create_source.ts";
 * import assert from "node:assert/strict";
 *
 * const source = unavailableSource("git", "no remotes configured");
 * assert.equal(source.unavailable, "no remotes configured");
 * await assert.rejects(source.resolve("x", "latest"), { code: "UNSUPPORTED" });
 * ```
 *
 * @param kind Which source.
 * @param reason Why it cannot be used.
 * @returns The stub.
 */
export function unavailableSource(kind: ConcreteSourceType, reason: string): Source {
  const fail = () =>
    Promise.reject(
      new ProvisioningError("UNSUPPORTED", `Source "${kind}" cannot be used: ${reason}`),
    );
  return {
    kind,
    unavailable: reason,
    cached: kind !== "local",
    network: kind !== "local",
    listVersions: fail,
    resolve: fail,
    materialize: fail,
    close() {},
  };
}
