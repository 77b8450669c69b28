/**
 * Finding one extension by name in every selected source (concurrently, each under its
 * time limit) and settling on one type. Private to `src/discovery`.
 *
 * @module
 */

import type { ConcreteSourceType } from "../config/types.ts";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { type CachedByName, markCached, readCachedByName } from "./cached_versions.ts";
import { parseExtensionReference, withReferencePlace } from "../sources/extension_reference.ts";
import {
  DEFAULT_SOURCE_TIMEOUT_MS,
  type DiscoverAllOptions,
  examplesOnlyWhenAlone,
} from "./discover_all.ts";
import { type ListedSource, openSources, type SourceSet } from "./_open_sources.ts";
import { failureWarning, withDeadline } from "./_with_deadline.ts";
import type { DiscoveredExtension, DiscoveredType } from "./types.ts";

/** Options of the single-extension lookups (versions, info). */
export type LookupOptions = Omit<DiscoverAllOptions, "refresh" | "now">;

/** One source's entry for the name. */
export interface FoundIn {
  source: ListedSource;
  entry: DiscoveredExtension;
}

/** What a lookup found. */
export interface Lookup {
  name: string;
  type: DiscoveredType;
  /** Entries of the chosen type, in source order. */
  found: FoundIn[];
  /** The cache index read for the marks. */
  cached: CachedByName;
  /** The sources (close when done). */
  set: SourceSet;
}

/**
 * Looks a name up in every selected source and keeps the entries of one type.
 *
 * @param input Extension name, or a reference (`oci://host/ns/aws`, `ns/aws`: that
 *   registry and namespace alone).
 * @param options Configuration, source, type, time limit, warnings.
 * @returns The entries, in source order, with the sources still open.
 * @throws {ProvisioningError} `NOT_FOUND` when no source has it (or a failed source's error
 *   when one could not be asked); `USAGE` when it exists as several types and none was given.
 */
export async function lookupExtension(input: string, given: LookupOptions): Promise<Lookup> {
  const { name, options } = readLookupReference(input, undefined, given);
  const { order, set } = openSources(options);
  try {
    const warn = (message: string) => options.onWarning?.(message, "item");
    const timeoutMs = options.sourceTimeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS;
    const outcomes = await Promise.all(set.sources.map(async ({ source, optional }) => {
      try {
        const entries = await withDeadline(
          source,
          timeoutMs,
          warn,
          (context) => source.lookup(name, context),
        );
        return { source, entries, thrown: undefined as unknown, failed: false };
      } catch (thrown) {
        if (optional && isProvisioningError(thrown, "UNREACHABLE")) {
          return { source, entries: [], thrown: undefined as unknown, failed: false };
        }
        return { source, entries: [], thrown, failed: true };
      }
    }));
    const failure = outcomes.find((o) => o.failed);
    // Told as a warning unless this failure becomes the error (one failure, one message).
    const tellFailures = (except?: unknown) => {
      for (const o of outcomes) {
        if (o.failed && o.thrown !== except) {
          options.onWarning?.(failureWarning(o.source, o.thrown), "source");
        }
      }
    };
    const cached = await readCachedByName(options.config.settings.cache.dir);
    const everywhere: FoundIn[] = outcomes.flatMap((o) =>
      markCached(o.entries, cached).map((entry) => ({ source: o.source, entry }))
    );
    // The bundled examples answer only a name no other source has.
    const all = examplesOnlyWhenAlone(everywhere, (f) => f.entry.source);
    const rank = (s: ConcreteSourceType) => order.indexOf(s);
    all.sort((a, b) => rank(a.entry.source) - rank(b.entry.source));
    const typed = options.type === undefined
      ? all
      : all.filter((f) => f.entry.type === options.type);
    const known = [...new Set(typed.map((f) => f.entry.type).filter((t) => t !== "unknown"))];
    if (typed.length === 0) {
      tellFailures(failure?.thrown);
      if (failure !== undefined) throw failure.thrown;
      const otherTypes = [...new Set(all.map((f) => f.entry.type))];
      const label = options.type === undefined ? `"${name}"` : `${options.type} "${name}"`;
      const where = order.length === 1 ? `the ${order[0]} source` : `any source`;
      throw new ProvisioningError("NOT_FOUND", `Extension ${label} not found in ${where}`, {
        hint: otherTypes.length > 0
          ? `"${name}" exists as ${otherTypes.join(", ")}; use --type ${otherTypes[0]}`
          : `Run \`provisioning ext search ${name}\` to look for similar names`,
      });
    }
    tellFailures();
    if (known.length > 1) {
      throw new ProvisioningError(
        "USAGE",
        `Extension "${name}" exists as ${known.join(" and ")}; say which with --type`,
      );
    }
    return { name, type: known[0] ?? "unknown", found: typed, cached, set };
  } catch (error) {
    set.close();
    throw error;
  }
}

/**
 * A lookup's name and options in the words of its reference: `oci://host/ns/aws` looks `aws`
 * up in that registry and namespace alone (the configuration changed to say so); a tag
 * becomes the version spec.
 *
 * @param input What the user typed.
 * @param version `--version`, when given.
 * @param options The run's options.
 * @returns The extension name, the spec (`latest` when none), and the options to use.
 * @throws {ProvisioningError} `INVALID_REFERENCE` / `USAGE` as `parseExtensionReference`;
 *   `UNSUPPORTED` for a digest (only `load` and `pull` take one) or a registry reference
 *   with another `--source`.
 */
export function readLookupReference<T extends LookupOptions>(
  input: string,
  version: string | undefined,
  options: T,
): { name: string; spec: string; options: T } {
  const ref = parseExtensionReference(input, version, options.config.settings.oci);
  if (ref.digest !== undefined) {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `"${input}" pins a digest; info and versions take a name or a tag`,
      { hint: `Run \`provisioning ext info ${ref.name}\`, or load the digest with \`ext load\`` },
    );
  }
  if (ref.oci === undefined) return { name: ref.name, spec: ref.spec, options };
  const asked = options.source;
  if (asked !== undefined && asked !== "auto" && asked !== "oci") {
    throw new ProvisioningError(
      "USAGE",
      `"${input}" names a registry; --source ${asked} cannot read it`,
    );
  }
  return {
    name: ref.name,
    spec: ref.spec,
    options: { ...options, config: withReferencePlace(options.config, ref), source: "oci" },
  };
}
