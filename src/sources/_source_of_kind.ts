/**
 * Building a source by kind from the configuration: the one place that knows which sources
 * exist, for loading and for discovery alike, and the one place that checks whether this
 * process may use them. A source that cannot be used here (not configured, no permission)
 * is returned as an unavailable stub, so `auto` skips it and asking for it explicitly says
 * why ({@linkcode unavailableError}).
 *
 * The `gitea` and `git` sources come in as modules ({@linkcode SourceModules}): the public
 * `createSource` (create_source.ts) imports them, while the loader opens sources with
 * {@linkcode openSource}, which imports one of them only when it is asked for — an exact cache
 * hit answered by `oci` evaluates neither (nor what they import: archives, git, Gitea).
 *
 * @module
 */

import { type ConcreteSourceType, isInPlaceSource, type OciSettings } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { registryBaseUrl, splitRegistrySetting } from "../oci/transport.ts";
import { netHostOfUrl } from "../permissions/net_host.ts";
import type * as GiteaSourceModule from "./gitea_source.ts";
import type * as GitSourceModule from "./git_source.ts";
import { createLocalSource } from "./local_source.ts";
import { createOciLayoutSource } from "./oci_layout_source.ts";
import { createOciSource, type OciSourceOptions } from "./oci_source.ts";
import { createOrderedRegistriesSource } from "../registries/ordered_registries_source.ts";
import { registryPlaces } from "../registries/registry_places.ts";
import type { Source, SourceContext } from "./types.ts";

/** The modules of the sources that are loaded only when used. */
export interface SourceModules {
  /** gitea_source.ts, needed for kind `gitea`. */
  gitea?: Pick<typeof GiteaSourceModule, "createGiteaSource" | "giteaUnconfigured">;
  /** git_source.ts, needed for kind `git`. */
  git?: Pick<typeof GitSourceModule, "createGitSource">;
}

/**
 * Opens the source of `kind` as `createSource` does, importing the `gitea` or `git` source's
 * module only when that kind is asked for.
 *
 * @example
 * ```ts
 * import { openSource } from "./_source_of_kind.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({ cwd: "/", home: "/nonexistent", env: {} });
 * assert.match((await openSource("gitea", { config })).unavailable ?? "", /no Gitea server/);
 * ```
 *
 * @param kind Which source.
 * @param context Configuration, home directory (credentials), fetch, notes.
 * @returns The source; check {@linkcode Source.unavailable} before use.
 */
export async function openSource(
  kind: ConcreteSourceType,
  context: SourceContext,
): Promise<Source> {
  const modules: SourceModules = kind === "gitea"
    ? { gitea: await import("./gitea_source.ts") }
    : kind === "git"
    ? { git: await import("./git_source.ts") }
    : {};
  return sourceOfKind(kind, context, modules);
}

/**
 * The source of `kind`, given the modules of the lazily loaded sources (see
 * {@linkcode SourceModules}; `createSource` in create_source.ts documents the behaviour).
 *
 * @param kind Which source.
 * @param context Configuration, home directory (credentials), fetch, notes.
 * @param modules The `gitea` / `git` source modules (the one `kind` names must be there).
 * @returns The source.
 */
export function sourceOfKind(
  kind: ConcreteSourceType,
  context: SourceContext,
  modules: SourceModules,
): Source {
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
      if (places.length === 1) {
        // The built-in default registry: nobody may be running it.
        const implicit = context.config.origins["oci.registry"]?.kind === "default";
        return ociSourceFor(places[0]!.oci, context, implicit ? { implicit } : {});
      }
      return createOrderedRegistriesSource(
        places.map((place) => {
          const name = place.name ?? place.oci.registry;
          return {
            name,
            source: ociSourceFor(
              place.oci,
              context,
              place.name === undefined ? {} : { registryName: name },
            ),
          };
        }),
        (message) => context.onNote?.(message, "warning"),
      );
    }
    case "oci-layout":
      return createOciLayoutSource(settings.extensions.layout_paths);
    case "gitea": {
      const { createGiteaSource, giteaUnconfigured } = modules.gitea!;
      const reason = giteaUnconfigured(context.config);
      if (reason !== undefined) return unavailableSource("gitea", reason);
      const host = giteaHost(settings.gitea.url!);
      if (host !== undefined && !netGranted(host)) {
        return ownerOnly(
          createGiteaSource(context.config),
          `no network permission for "${host}" (run Deno with --allow-net)`,
        );
      }
      const fetch = context.gitea?.fetch ?? context.fetch;
      return createGiteaSource(context.config, {
        ...(fetch === undefined ? {} : { fetch }),
        ...(context.gitea?.client === undefined ? {} : { client: context.gitea.client }),
        ...(context.force === true ? { force: true } : {}),
      });
    }
    case "git": {
      const { createGitSource } = modules.git!;
      if (!runGranted("git")) {
        return ownerOnly(
          createGitSource(context.config),
          "no permission to run git (run Deno with --allow-run=git)",
        );
      }
      return createGitSource(context.config, context.force === true ? { force: true } : {});
    }
  }
}

/** The `oci` source of one registry (owner-only without network permission for it). */
function ociSourceFor(
  oci: OciSettings,
  context: SourceContext,
  options: Pick<OciSourceOptions, "implicit" | "registryName">,
): Source {
  const host = netHost(oci);
  if (host !== undefined && !netGranted(host)) {
    return ownerOnly(
      createOciSource(oci, options),
      `no network permission for "${host}" (run Deno with --allow-net)`,
    );
  }
  return createOciSource(oci, {
    ...options,
    ...(context.ociListing === undefined ? {} : { listing: context.ociListing }),
    clientOptions: {
      ...(context.home === undefined ? {} : { home: context.home }),
      ...(context.fetch === undefined ? {} : { fetch: context.fetch }),
      ...(context.onNote === undefined ? {} : { onNote: context.onNote }),
      ...context.registry,
    },
  });
}

/**
 * A source that is set up but may not be asked (no permission): it keeps its name, its
 * label and its cache entries, so `--offline` and an exact cached version are answered from
 * them and discovery reports it as skipped.
 */
function ownerOnly(source: Source, reason: string): Source {
  return {
    ...unavailableSource(source.kind, reason),
    label: source.label,
    denied: true,
    ...(source.unlisted === undefined ? {} : { unlisted: source.unlisted }),
    ...(source.implicit === undefined ? {} : { implicit: source.implicit }),
    isOriginOf: source.isOriginOf,
  };
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
    label: kind,
    unavailable: reason,
    cacheKey: undefined,
    cached: !isInPlaceSource(kind),
    network: !isInPlaceSource(kind),
    listVersions: fail,
    resolve: fail,
    materialize: fail,
    isOriginOf: () => false,
    discover: fail,
    lookup: fail,
    describe: fail,
    close() {},
  };
}

/**
 * The error for asking explicitly for a source that cannot be used
 * ({@linkcode Source.unavailable}, or for listing {@linkcode Source.unlisted}): one message
 * for loading and discovery, `Cannot use source "KIND": REASON`. Loading a registry it may
 * not reach is `UNREACHABLE` (exit 4, like a registry that is down), an OCI layout source
 * without layouts `INVALID_CONFIG`, any other `UNSUPPORTED`; listing a source this process
 * may not use is `USAGE`, one nobody set up `INVALID_CONFIG` (exit 2 both).
 *
 * @example
 * ```ts
 * import { unavailableError, unavailableSource } from "./create_source.ts";
 * import assert from "node:assert/strict";
 *
 * const source = unavailableSource("gitea", "no Gitea server configured");
 * const error = unavailableError(source, "list");
 * assert.equal(error.code, "INVALID_CONFIG");
 * assert.equal(error.message, 'Cannot use source "gitea": no Gitea server configured');
 * assert.equal(unavailableError(source, "load").code, "UNSUPPORTED");
 * ```
 *
 * @param source A source whose `unavailable` (or, to list it, `unlisted`) is set.
 * @param use `load` (load, pull) or `list` (list, search, info, versions).
 * @returns The error to throw.
 */
export function unavailableError(source: Source, use: "load" | "list"): ProvisioningError {
  const reason = (use === "list" ? source.unlisted : undefined) ?? source.unavailable;
  const code = use === "list"
    ? source.denied === true && source.unlisted === undefined ? "USAGE" : "INVALID_CONFIG"
    : source.kind === "oci"
    ? "UNREACHABLE"
    : source.kind === "oci-layout"
    ? "INVALID_CONFIG"
    : "UNSUPPORTED";
  return new ProvisioningError(
    code,
    `Cannot use source "${source.kind}": ${reason}`,
    source.kind === "oci-layout"
      ? { hint: "Set [extensions] layout_paths to OCI image layout directories" }
      : {},
  );
}
