/**
 * Building a source by kind from the configuration: the one place that knows which sources
 * exist. A source that cannot be used here (not configured, no permission) is returned as an
 * unavailable stub, so `auto` skips it and asking for it explicitly says why.
 *
 * @module
 */

import { type ConcreteSourceType, isInPlaceSource, type OciSettings } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { registryBaseUrl, splitRegistrySetting } from "../oci/mod.ts";
import { netHostOfUrl } from "../permissions/net_host.ts";
import { createGiteaSource, giteaUnconfigured } from "./gitea_source.ts";
import { createGitSource } from "./git_source.ts";
import { createLocalSource } from "./local_source.ts";
import { createOciLayoutSource } from "./oci_layout_source.ts";
import { createOciSource } from "./oci_source.ts";
import { createOrderedRegistriesSource } from "../registries/ordered_registries_source.ts";
import { registryPlaces } from "../registries/registry_places.ts";
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
 * The `oci` and `gitea` sources are unavailable when the process has no network permission
 * for their host (so `auto` skips them at once instead of retrying a refused connection),
 * `gitea` also when `[gitea] url` or `organization` is not set, and `git` when the process
 * may not run `git`.
 *
 * @param kind Which source.
 * @param context Configuration, home directory (credentials), fetch, notes.
 * @returns The source; check {@linkcode Source.unavailable} before use.
 */
export function createSource(kind: ConcreteSourceType, context: SourceContext): Source {
  const { settings } = context.config;
  switch (kind) {
    case "local":
    case "examples":
      return createLocalSource(
        context.config,
        kind,
        context.onNote && ((message) => context.onNote?.(message, "warning")),
      );
    case "oci": {
      const places = registryPlaces(context.config);
      if (places.length === 1) return ociSourceFor(places[0]!.oci, context);
      return createOrderedRegistriesSource(
        places.map((place) => ({
          name: place.name ?? place.oci.registry,
          source: ociSourceFor(place.oci, context),
        })),
        (message) => context.onNote?.(message, "warning"),
      );
    }
    case "oci-layout":
      return createOciLayoutSource(settings.extensions.layout_paths);
    case "gitea": {
      const reason = giteaUnconfigured(context.config);
      if (reason !== undefined) return unavailableSource("gitea", reason);
      const host = giteaHost(settings.gitea.url!);
      if (host !== undefined && !netGranted(host)) {
        return ownerOnly(
          createGiteaSource(context.config),
          `no network permission for "${host}" (run Deno with --allow-net)`,
        );
      }
      return createGiteaSource(context.config, {
        ...(context.fetch === undefined ? {} : { fetch: context.fetch }),
        ...(context.force === true ? { force: true } : {}),
      });
    }
    case "git":
      if (!runGranted("git")) {
        return ownerOnly(
          createGitSource(context.config),
          "no permission to run git (run Deno with --allow-run=git)",
        );
      }
      return createGitSource(context.config, context.force === true ? { force: true } : {});
  }
}

/** The `oci` source of one registry (owner-only without network permission for it). */
function ociSourceFor(oci: OciSettings, context: SourceContext): Source {
  const host = netHost(oci);
  if (host !== undefined && !netGranted(host)) {
    return ownerOnly(
      createOciSource(oci),
      `no network permission for "${host}" (run Deno with --allow-net)`,
    );
  }
  return createOciSource(oci, {
    clientOptions: {
      ...(context.home === undefined ? {} : { home: context.home }),
      ...(context.fetch === undefined ? {} : { fetch: context.fetch }),
      ...(context.onNote === undefined ? {} : { onNote: context.onNote }),
    },
  });
}

/**
 * A source that cannot be asked (offline, no permission) but still owns its cache entries,
 * so `--offline` and an exact cached version are answered from them.
 */
function ownerOnly(source: Source, reason: string): Source {
  return { ...unavailableSource(source.kind, reason), isOriginOf: source.isOriginOf };
}

/** `host:port` of the Gitea URL as Deno's net permission names it; undefined when unparsable. */
function giteaHost(url: string): string | undefined {
  try {
    return netHostOfUrl(new URL(url.trim()));
  } catch {
    return undefined; // the Gitea client reports a bad URL itself
  }
}

/** Whether this process may run `command` without asking. */
function runGranted(command: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "run", command }).state === "granted";
  } catch {
    return false;
  }
}

/**
 * The registry as Deno's net permission names it: `host:port`, with the port the client
 * will use (443 for HTTPS, 80 for plain HTTP). Undefined when the transport policy refuses
 * the address (the client reports that itself).
 */
function netHost(oci: OciSettings): string | undefined {
  try {
    const url = registryBaseUrl(splitRegistrySetting(oci.registry).host, oci);
    return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
  } catch {
    return undefined;
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
    cached: !isInPlaceSource(kind),
    network: !isInPlaceSource(kind),
    listVersions: fail,
    resolve: fail,
    materialize: fail,
    isOriginOf: () => false,
    close() {},
  };
}
