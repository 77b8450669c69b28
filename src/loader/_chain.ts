/**
 * The resolution chain behind `loadExtension` and `pullExtension`: the sources in order
 * (`auto`: `extensions.auto_order`; otherwise the one asked for), with the cache consulted
 * before the first remote source. Private to the loader.
 *
 * - An exact version already cached is answered without the network.
 * - A range or `latest` asks the source for its versions; a resolved version already cached
 *   is not downloaded again.
 * - `offline` uses the best cached match and only the sources on disk.
 * - An unreachable source falls back to the best cached match with a warning; in `auto` it is
 *   otherwise skipped (noted in debug), like a source that is not configured.
 * - `NOT_FOUND` from every source is one error listing what was tried; when a source could
 *   not be reached (and nothing was cached), its error stands (exit 4), listing the others.
 * - `examples` (the bundled demos) comes last in the default order: it answers only a name no
 *   other source has, with a warning when a source before it could not be asked.
 * - A git reference as the name (`git+https://…`, `git://…`, `file://…`, `https://…/x.git`)
 *   goes to the `git` source alone unless another source is asked for by name; it is not a
 *   cache key, so the cache is not looked up by it (the git source finds the entry made from
 *   that remote and tag itself).
 *
 * @module
 */

import {
  type ConcreteSourceType,
  isInPlaceSource,
  type ResolvedConfig,
  type SourceType,
} from "../config/types.ts";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { isExtensionName } from "../manifest/extension_name.ts";
import type { ExtensionType } from "../manifest/types.ts";
// Not create_source.ts: the gitea and git sources (and their imports) load only when asked for.
import { openSource, unavailableError } from "../sources/_source_of_kind.ts";
import {
  type ExtensionReference,
  parseExtensionReference,
  withReferencePlace,
} from "../sources/extension_reference.ts";
import { isGitReference } from "../sources/git_remotes.ts";
import type {
  MaterializedExtension,
  ResolvedVersion,
  Source,
  SourceContext,
} from "../sources/types.ts";
import { plainVersionSpec } from "../versions/_plain_spec.ts";
import { loadRangeEngine } from "../versions/_range_engine.ts";
import { findCachedDigest, findCachedMatch, findCachedVersion } from "./cached.ts";
import type { LoadOptions } from "./types.ts";
import type { SignatureGate } from "../signatures/load_gate.ts";

/** What to resolve, and how. */
export interface ChainRequest {
  type: ExtensionType | undefined;
  name: string;
  spec: string;
  /** `pull` leaves out the `local` source (it is never cached). */
  mode: "load" | "pull";
  options: LoadOptions & { config: ResolvedConfig };
}

/** Codes meaning "this source does not have it". */
const MISSING = new Set(["NOT_FOUND", "VERSION_NOT_FOUND"]);
/** Sources that can load content by digest. */
const DIGEST_SOURCES: readonly ConcreteSourceType[] = ["oci-layout", "oci"];
/** Codes meaning "this source could not be asked". */
const UNREACHABLE = new Set(["UNREACHABLE", "TIMEOUT", "RATE_LIMITED"]);

/** One source's outcome, for the final error. */
interface Attempt {
  kind: ConcreteSourceType;
  error: ProvisioningError;
}

/**
 * Resolves and materialises an extension through the sources.
 *
 * @throws {ProvisioningError} `USAGE` for `pull --source local`, `INVALID_VERSION_SPEC`,
 *   the error of an explicitly chosen source, or the combined not-found error of `auto`.
 */
export async function runChain(chainRequest: ChainRequest): Promise<MaterializedExtension> {
  const { request, ref } = readReference(chainRequest);
  const { type, name, spec, mode, options } = request;
  const { settings } = options.config;
  const debug = (message: string) => options.onDebug?.(message);
  const sourceType = ref.oci === undefined
    ? sourceTypeFor(name, options.sourceType, settings.extensions.source_type)
    : "oci";
  if (sourceType !== (options.sourceType ?? settings.extensions.source_type)) {
    debug(`git: "${name}" is a git reference, asking the git source only`);
  }
  const explicit = sourceType !== "auto";
  let kinds: ConcreteSourceType[] = explicit ? [sourceType] : [...settings.extensions.auto_order];
  if (mode === "pull") {
    if (explicit && isInPlaceSource(sourceType)) {
      throw new ProvisioningError(
        "USAGE",
        `Cannot pull from the ${sourceType} source: its extensions are used in place`,
        { hint: `Use \`provisioning ext load ${name} --source ${sourceType}\`` },
      );
    }
    kinds = kinds.filter((kind) => !isInPlaceSource(kind));
  }
  const digest = ref.digest;
  if (digest !== undefined) {
    if (explicit && !DIGEST_SOURCES.includes(sourceType)) {
      throw new ProvisioningError(
        "USAGE",
        `Source "${sourceType}" cannot load a digest; only ${DIGEST_SOURCES.join(" and ")} can`,
        { hint: "Leave --source out, or load by version" },
      );
    }
    kinds = kinds.filter((kind) => DIGEST_SOURCES.includes(kind));
  }
  // Only a range needs the range engine (`semver`, ~30 ms to evaluate): an exact hit does not.
  const parsed = plainVersionSpec(spec) ?? (await loadRangeEngine()).parseVersionSpec(spec);
  const exact = parsed.kind === "exact" ? parsed.version : undefined;
  const root = settings.cache.dir;
  const force = options.force === true;
  const offline = options.offline === true;
  // Only an extension name is a cache key; a git reference resolves its name from the manifest.
  const byName = isExtensionName(name);
  const context: SourceContext = {
    config: options.config,
    ...(options.home === undefined ? {} : { home: options.home }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(force ? { force: true } : {}),
    onNote: (note, level) => level === "warning" ? options.onWarning?.(note) : debug(note),
  };

  // `[signatures] require`: loaded only then, so other loads never pay for it.
  using gate = settings.signatures.require
    ? (await import("../signatures/load_gate.ts")).createSignatureGate(options.config, {
      ...(options.home === undefined ? {} : { home: options.home }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    })
    : undefined;
  const answered: Attempt[] = [];
  const unreachable: Attempt[] = [];
  const defaultRegistry = options.config.origins["oci.registry"]?.kind === "default";
  for (const kind of kinds) {
    const source = await openSource(kind, context);
    try {
      // An exact version (or a digest) this source's origin already cached is answered with
      // no request.
      const cacheAnswers = exact !== undefined || digest !== undefined || offline;
      if (source.cached && !force && byName && cacheAnswers) {
        const hit = digest !== undefined
          ? await findCachedDigest(root, type, name, digest, source)
          : exact !== undefined
          ? await findCachedVersion(root, type, name, exact, source)
          : await findCachedMatch(root, type, name, spec, source);
        if (hit !== undefined) {
          debug(`cache: ${hit.type} "${name}" ${hit.version} from ${kind} is cached (${hit.path})`);
          await gate?.checkRecorded(hit);
          return hit;
        }
        debug(`cache: no version of "${name}" from ${kind} satisfying "${spec}" is cached`);
      }
      if (source.unavailable !== undefined) {
        if (explicit) throw unavailableError(source, "load");
        debug(`${kind}: skipped, ${source.unavailable}`);
        continue;
      }
      if (offline && source.network) {
        if (explicit) throw offlineError(name, spec, kind);
        debug(`${kind}: skipped, offline`);
        answered.push({ kind, error: offlineError(name, spec, kind) });
        continue;
      }
      const result = await fromSource(source, request, root, digest, gate);
      // A configured source that could not be asked may hold the real extension: say so
      // (the built-in default registry is not one the user set up).
      const missed = unreachable.filter((a) => a.kind !== "oci" || !defaultRegistry);
      if (kind === "examples" && missed.length > 0) {
        options.onWarning?.(
          `Using the bundled example ${result.type} "${result.name}" ${result.version}: ` +
            missed.map((a) => `${a.kind}: ${a.error.message}`).join("; "),
        );
      }
      return result;
    } catch (error) {
      if (!isProvisioningError(error)) throw error;
      if (MISSING.has(error.code)) {
        if (explicit) throw error;
        debug(`${kind}: ${error.message}`);
        answered.push({ kind, error });
        continue;
      }
      if (UNREACHABLE.has(error.code) && source.network) {
        const fallback = force || !byName || digest !== undefined
          ? undefined
          : await findCachedMatch(root, type, name, spec, source);
        if (fallback !== undefined) {
          await gate?.checkRecorded(fallback);
          options.onWarning?.(
            `${error.message}; using cached ${fallback.type} "${name}" ${fallback.version}`,
          );
          return fallback;
        }
        if (explicit) throw error;
        debug(`${kind}: skipped, ${error.message}`);
        unreachable.push({ kind, error });
        continue;
      }
      throw error;
    } finally {
      source.close();
    }
  }
  throw notFoundError(name, spec, kinds, answered, unreachable, offline);
}

/**
 * The request in the words of its reference: `aws:2.4.1` asks for `aws` at `2.4.1`, and
 * `oci://host/ns/aws` asks the registry `host`, namespace `ns` (the configuration changed to
 * say so, as `--registry host --namespace ns --source oci` would).
 */
function readReference(
  request: ChainRequest,
): { request: ChainRequest; ref: ExtensionReference } {
  const { options } = request;
  const given = request.spec === "latest" ? undefined : request.spec;
  const ref = parseExtensionReference(request.name, given, options.config.settings.oci);
  const asked = options.sourceType;
  if (ref.oci !== undefined && asked !== undefined && asked !== "auto" && asked !== "oci") {
    throw new ProvisioningError(
      "USAGE",
      `"${request.name}" names a registry; --source ${asked} cannot load it`,
      { hint: "Leave --source out, or give the extension's name alone" },
    );
  }
  const config = withReferencePlace(options.config, ref);
  return {
    request: { ...request, name: ref.name, spec: ref.spec, options: { ...options, config } },
    ref,
  };
}

/**
 * The source to use: a git reference goes to `git` when no source or `auto` is asked for
 * (no other source can load a URL), whatever `[extensions] source_type` says.
 */
function sourceTypeFor(
  name: string,
  requested: SourceType | undefined,
  configured: SourceType,
): SourceType {
  if ((requested === undefined || requested === "auto") && isGitReference(name)) return "git";
  return requested ?? configured;
}

/** Resolves with one source, reusing the cache, and materialises the chosen version. */
async function fromSource(
  source: Source,
  request: ChainRequest,
  root: string,
  digest: string | undefined,
  gate: SignatureGate | undefined,
): Promise<MaterializedExtension> {
  const { type, name, spec, options } = request;
  const { settings } = options.config;
  let force = options.force === true;
  if (digest !== undefined && source.resolveDigest === undefined) {
    throw new ProvisioningError("USAGE", `Source "${source.kind}" cannot load a digest`);
  }
  const resolved = digest === undefined
    ? await source.resolve(name, spec, type)
    : await source.resolveDigest!(name, digest, type);
  // A digest was looked up in the cache already; the entry of its version is replaced when it
  // holds other content.
  if (source.cached && !force && digest === undefined && isExtensionName(name)) {
    const hit = await findCachedVersion(
      root,
      resolved.type ?? type,
      name,
      resolved.version,
      source,
    );
    const moved = hit === undefined ? undefined : await tagMove(source, resolved, hit);
    if (hit !== undefined && moved === undefined) {
      await gate?.checkRecorded(hit);
      return hit;
    }
    if (moved !== undefined) {
      options.onWarning?.(moved);
      force = true; // the new content replaces the entry
    }
  }
  if (gate !== undefined && source.kind !== "oci" && source.kind !== "oci-layout") {
    // Sources whose content carries no cosign signature: refused (in-place folders pass).
    if (!isInPlaceSource(source.kind)) {
      await gate.verify({ source: source.kind, repository: name, digest: "" });
    }
  }
  const result = await source.materialize(resolved, {
    cacheRoot: root,
    force,
    ...(gate === undefined ? {} : { verify: (artifact) => gate.verify(artifact) }),
    limits: {
      maxBytes: settings.cache.max_extract_bytes,
      maxFiles: settings.cache.max_extract_files,
    },
    ...(type === undefined ? {} : { type }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  });
  if (type !== undefined && result.type !== type) {
    // Sources check the type they download; an entry they reuse (a git URL's) is checked here.
    throw new ProvisioningError(
      "TYPE_MISMATCH",
      `Extension "${result.name}" ${result.version} from "${source.kind}" is a ${result.type}, not a ${type}`,
      { hint: `Ask for --type ${result.type}, or leave --type out` },
    );
  }
  if (result.fetched && source.cached) {
    try {
      const { autoPrune } = await import("./auto_prune.ts"); // after a download only
      const pruned = await autoPrune(settings.cache, result);
      if (pruned !== undefined && pruned.removed.length > 0) {
        options.onDebug?.(
          `cache: pruned ${pruned.removed.length} entries (${pruned.freedBytes} bytes)`,
        );
      }
    } catch (error) {
      options.onWarning?.(
        `Automatic cache prune failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return result;
}

/**
 * Asks the source where the resolved tag points now; a message naming both digests when it
 * no longer names the cached content, undefined when it does (or the source cannot tell).
 */
async function tagMove(
  source: Source,
  resolved: ResolvedVersion,
  hit: MaterializedExtension,
): Promise<string | undefined> {
  const recorded = hit.tagDigest ?? hit.digest;
  if (source.currentDigest === undefined || recorded === undefined) return undefined;
  const current = await source.currentDigest(resolved);
  if (current === recorded || current === hit.digest) return undefined;
  return `Tag "${resolved.ref}" of "${resolved.name}" (${source.kind}) moved: cached ${recorded}, ` +
    `now ${current}; fetching the new content`;
}

function offlineError(name: string, spec: string, kind: ConcreteSourceType): ProvisioningError {
  return new ProvisioningError(
    "NOT_FOUND",
    `No cached version of "${name}" satisfies "${spec}" and --offline forbids asking "${kind}"`,
    { hint: "Run once without --offline to fetch it into the cache" },
  );
}

function notFoundError(
  name: string,
  spec: string,
  kinds: readonly ConcreteSourceType[],
  answered: readonly Attempt[],
  unreachable: readonly Attempt[],
  offline: boolean,
): ProvisioningError {
  const tried = answered.map((a) =>
    `${a.kind}: ${a.error.message}${a.error.hint === undefined ? "" : ` (${a.error.hint})`}`
  );
  const first = unreachable[0]?.error;
  if (first !== undefined) {
    // The source that could not be asked may have had it: say so, not "not found".
    return new ProvisioningError(first.code, first.message, {
      cause: first,
      details: [...tried, ...unreachable.slice(1).map((a) => `${a.kind}: ${a.error.message}`)],
      hint:
        "Nothing suitable is cached; check the registry, or load a cached version with --offline",
    });
  }
  if (answered.length === 0) {
    return new ProvisioningError(
      "NOT_FOUND",
      offline
        ? `No cached version of "${name}" satisfies "${spec}" and no source on disk has it`
        : `Extension "${name}" not found: no source could be used (${kinds.join(", ") || "none"})`,
      {
        hint: offline
          ? "Run once without --offline to fetch it into the cache"
          : "Configure a source: [extensions] paths, layout_paths or the [oci] registry",
      },
    );
  }
  if (answered.length === 1) return answered[0]!.error;
  const versionMissing = answered.some((a) => a.error.code === "VERSION_NOT_FOUND");
  return new ProvisioningError(
    versionMissing ? "VERSION_NOT_FOUND" : "NOT_FOUND",
    versionMissing
      ? `No version of "${name}" satisfying "${spec}" found in any source`
      : `Extension "${name}" not found in any source`,
    {
      details: tried,
      hint: `Sources tried in order: ${kinds.join(", ")} ([extensions] auto_order)`,
    },
  );
}
