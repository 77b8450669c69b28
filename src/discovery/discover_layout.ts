/**
 * Discovery over OCI image layouts (`[extensions] layout_paths`): what `ext copy … oci-layout:DIR`
 * or `skopeo copy … oci:DIR:TAG` put there can be listed, searched and shown by `info` on a
 * machine with no registry, as `load` already could.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { mapConcurrent } from "../net/map_concurrent.ts";
import {
  createLayoutTarget,
  type LayoutEntry,
  layoutFolders,
  layoutNames,
  readLayoutEntries,
} from "../sources/oci_layout.ts";
import { versionsFromTags } from "./_tags.ts";
import { ociDetails, ociEntry } from "./discover_oci.ts";
import { describeArtifact, type OciExtensionMetadata } from "./oci_metadata.ts";
import type { DiscoveredExtension, ExtensionDiscoverer, ExtensionVersionDetails } from "./types.ts";

/** Layout folders read at once. */
const CONCURRENCY = 8;

/**
 * A discoverer over the configured OCI layouts (never cached: reading them is local).
 *
 * @example
 * ```ts
 * import { createLayoutDiscoverer } from "./discover_layout.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const layouts = createLayoutDiscoverer([dir]);
 * const context = { signal: new AbortController().signal, warn: () => {} };
 * assert.deepEqual((await layouts.discover(context)).extensions, []);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param layoutPaths `[extensions] layout_paths`.
 * @returns The discoverer.
 */
export function createLayoutDiscoverer(layoutPaths: readonly string[]): ExtensionDiscoverer {
  // What this run read, by name and version, so `describe` after `lookup` reads nothing twice.
  const read = new Map<string, { meta: OciExtensionMetadata; entry: LayoutEntry }>();
  const byVersion = new Map<string, LayoutEntry[]>();

  /** One name in one layout: its versions and the highest one's metadata. */
  const readName = async (
    entries: LayoutEntry[],
    warn: (message: string) => void,
    signal: AbortSignal,
  ): Promise<DiscoveredExtension | undefined> => {
    const { versions, highest, tagOf } = versionsFromTags(entries.map((e) => e.tag));
    if (highest === undefined) return undefined;
    const entry = entries.find((e) => e.tag === tagOf.get(highest))!;
    for (const e of entries) {
      const key = `${e.name}@${e.tag}`;
      byVersion.set(key, [...(byVersion.get(key) ?? []), e]);
    }
    const meta = await describeEntry(entry, highest, versions, warn, signal);
    read.set(`${entry.layout}\0${entry.name}@${highest}`, { meta, entry });
    return { ...ociEntry(meta), source: "oci-layout" };
  };

  return {
    source: "oci-layout",
    label: `OCI layouts (${layoutPaths.join(", ")})`,
    cacheKey: undefined,
    async discover(context) {
      const layouts = (await Promise.all(layoutPaths.map(layoutFolders))).flat();
      const names = await Promise.all(layouts.map(async (layout) => ({
        layout,
        names: await layoutNames(layout),
      })));
      const jobs = names.flatMap(({ layout, names }) => names.map((name) => ({ layout, name })));
      let complete = true;
      const rows = await mapConcurrent(jobs, CONCURRENCY, async ({ layout, name }) => {
        try {
          return await readName(
            await readLayoutEntries(layout, name),
            context.warn,
            context.signal,
          );
        } catch (error) {
          if (!(error instanceof ProvisioningError)) throw error;
          complete = false;
          context.warn(`${layout}: "${name}": ${error.message}`);
          return undefined;
        }
      }, context.signal);
      return { extensions: rows.filter((r) => r !== undefined), complete };
    },
    async lookup(name, context) {
      const found: DiscoveredExtension[] = [];
      for (const path of layoutPaths) {
        const entries = await readLayoutEntries(path, name);
        const byLayout = Map.groupBy(entries, (e) => e.layout);
        for (const group of byLayout.values()) {
          const row = await readName(group, context.warn, context.signal);
          if (row !== undefined) found.push(row);
        }
      }
      return found;
    },
    async describe(entry, version, context): Promise<ExtensionVersionDetails> {
      const known = [...read.values()].find((r) =>
        r.meta.name === entry.name && r.meta.version === version
      );
      let meta = known?.meta;
      if (meta === undefined) {
        const candidates = [...byVersion.entries()]
          .filter(([key]) => key.startsWith(`${entry.name}@`))
          .flatMap(([, entries]) => entries);
        const { tagOf } = versionsFromTags(candidates.map((e) => e.tag));
        const chosen = candidates.find((e) => e.tag === tagOf.get(version));
        if (chosen === undefined) {
          throw new ProvisioningError(
            "VERSION_NOT_FOUND",
            `Version "${version}" of "${entry.name}" not found in the OCI layouts`,
          );
        }
        meta = await describeEntry(chosen, version, entry.versions, context.warn, context.signal);
      }
      return ociDetails(meta, "oci-layout");
    },
  };
}

/** The metadata of one layout entry, named `oci:LAYOUT:NAME:TAG` as skopeo spells it. */
function describeEntry(
  entry: LayoutEntry,
  version: string,
  versions: string[],
  warn: (message: string) => void,
  signal: AbortSignal,
): Promise<OciExtensionMetadata> {
  return describeArtifact(
    createLayoutTarget(entry.layout),
    entry.descriptor,
    {
      name: entry.name,
      version,
      tag: entry.tag,
      registry: "",
      repository: entry.layout,
      label: `oci:${entry.layout}:${entry.name}:${entry.tag}`,
    },
    versions,
    { signal, onWarning: warn },
  );
}
