/**
 * The `oci` source over several registries (`[[oci.registries]]`): the first registry, in
 * order, that has the name answers, as containers-registries.conf's
 * `unqualified-search-registries` does. A registry that does not have it (`NOT_FOUND`,
 * `VERSION_NOT_FOUND`) or cannot be reached passes to the next; a later registry answering
 * after an earlier one could not be asked is said as a warning. Each registry's cache
 * entries stay its own (origin `registry/namespace/name`).
 *
 * Discovery reads each registry on its own (the source's `parts`), so each has its own
 * report, time limit and discovery cache; asked as a whole, it answers with every usable
 * registry's rows, each naming its registry.
 *
 * @module
 */

import { isProvisioningError, ProvisioningError } from "../errors.ts";
import type { DiscoveredExtension, ResolvedVersion, Source } from "../sources/types.ts";

/** One registry's source, with the name rows and messages call it by. */
export interface NamedRegistrySource {
  /** `[[oci.registries]] name`. */
  name: string;
  /** The `oci` source of that registry alone. */
  source: Source;
}

const MISSING = new Set(["NOT_FOUND", "VERSION_NOT_FOUND"]);
const UNREACHABLE = new Set(["UNREACHABLE", "TIMEOUT", "RATE_LIMITED"]);

/**
 * One `oci` source asking the registries in order.
 *
 * @example
 * ```ts
 * import { createOrderedRegistriesSource } from "./ordered_registries_source.ts";
 * import { unavailableSource } from "../sources/create_source.ts";
 * import assert from "node:assert/strict";
 *
 * const source = createOrderedRegistriesSource([
 *   { name: "a", source: unavailableSource("oci", "no network permission") },
 * ]);
 * assert.equal(source.unavailable, "a: no network permission");
 * ```
 *
 * @param registries The registries' sources, in order (closed with this source).
 * @param onWarning Receives the warning when a later registry answers for an unreachable one.
 * @returns The source.
 */
export function createOrderedRegistriesSource(
  registries: readonly NamedRegistrySource[],
  onWarning: (message: string) => void = () => {},
): Source {
  const usable = registries.filter((r) => r.source.unavailable === undefined);
  // Which registry resolved what, so materialising asks the same one.
  const answeredBy = new WeakMap<ResolvedVersion, Source>();
  const unavailable = usable.length > 0
    ? undefined
    : registries.map((r) => `${r.name}: ${r.source.unavailable}`).join("; ");

  /** The first registry whose `ask` does not say "missing" or "unreachable". */
  async function first<T>(ask: (source: Source) => Promise<T>): Promise<T> {
    const missing: { name: string; error: ProvisioningError }[] = [];
    const unreachable: { name: string; error: ProvisioningError }[] = [];
    for (const { name, source } of usable) {
      try {
        const answer = await ask(source);
        if (unreachable.length > 0) {
          onWarning(
            `Registry "${name}" answered: ${
              unreachable.map((u) => `"${u.name}" could not be asked (${u.error.message})`)
                .join(", ")
            }`,
          );
        }
        return answer;
      } catch (error) {
        if (!isProvisioningError(error)) throw error;
        if (MISSING.has(error.code)) missing.push({ name, error });
        else if (UNREACHABLE.has(error.code)) {
          unreachable.push({ name, error });
        } else throw error;
      }
    }
    // Someone that could not be asked may have had it: that error stands (exit 4).
    const stands = unreachable[0]?.error ?? missing[0]?.error;
    if (stands === undefined) {
      throw new ProvisioningError("UNREACHABLE", `No registry can be used: ${unavailable}`);
    }
    if (usable.length === 1) throw stands;
    const versionMissing = missing.some((m) => m.error.code === "VERSION_NOT_FOUND");
    throw new ProvisioningError(
      unreachable.length > 0 ? stands.code : versionMissing ? "VERSION_NOT_FOUND" : "NOT_FOUND",
      stands.message,
      {
        cause: stands,
        details: [...missing, ...unreachable].map((m) => `${m.name}: ${m.error.message}`),
        hint: `Registries tried in order: ${usable.map((r) => r.name).join(", ")} ` +
          "([[oci.registries]])",
      },
    );
  }

  const sourceOf = (resolved: ResolvedVersion): Source => {
    const source = answeredBy.get(resolved);
    if (source === undefined) {
      throw new ProvisioningError(
        "INTERNAL",
        `Version ${resolved.version} of "${resolved.name}" was not resolved by this source`,
      );
    }
    return source;
  };
  const remember = (source: Source) => (resolved: ResolvedVersion) => {
    answeredBy.set(resolved, source);
    return resolved;
  };

  /** The registry that listed a row (rows of several registries carry its name). */
  const partOf = (entry: DiscoveredExtension): Source => {
    const named = usable.find((r) => r.name === entry.registry) ?? usable[0];
    if (named === undefined) {
      throw new ProvisioningError("UNREACHABLE", `No registry can be used: ${unavailable}`);
    }
    return named.source;
  };

  return {
    kind: "oci",
    label: registries.map((r) => r.source.label).join(", "),
    unavailable,
    cacheKey: undefined,
    parts: registries.map((r) => r.source),
    cached: true,
    network: true,
    listVersions: (name, type) => first((s) => s.listVersions(name, type)),
    resolve: (name, spec, type) => first((s) => s.resolve(name, spec, type).then(remember(s))),
    resolveDigest: (name, digest, type) =>
      first((s) => {
        if (s.resolveDigest === undefined) {
          return Promise.reject(new ProvisioningError("NOT_FOUND", "No digest lookup"));
        }
        return s.resolveDigest(name, digest, type).then(remember(s));
      }),
    materialize: (resolved, options) => sourceOf(resolved).materialize(resolved, options),
    currentDigest: async (resolved) => {
      const source = sourceOf(resolved);
      return await source.currentDigest!(resolved); // every registry's oci source has it
    },
    isOriginOf: (record, name) => registries.some((r) => r.source.isOriginOf(record, name)),
    async discover(context) {
      const listings = await Promise.all(usable.map((r) => r.source.discover(context)));
      return {
        extensions: listings.flatMap((l) => l.extensions),
        complete: listings.every((l) => l.complete),
      };
    },
    async lookup(name, context) {
      return (await Promise.all(usable.map((r) => r.source.lookup(name, context)))).flat();
    },
    describe: (entry, version, context) => partOf(entry).describe(entry, version, context),
    close() {
      for (const { source } of registries) source.close();
    },
  };
}
