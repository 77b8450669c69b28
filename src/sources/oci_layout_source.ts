/**
 * The `oci-layout` source: extensions in OCI image layouts on disk
 * (`[extensions] layout_paths`), for air-gapped machines. Versions and artifacts work as in
 * the `oci` source — tags resolved with `resolveOciVersion`, the layer unpacked into the
 * cache, the manifest inside validated — with every blob digest-checked. The first layout
 * path holding a version wins.
 *
 * Discovery lists what `ext copy … oci-layout:DIR` or `skopeo copy … oci:DIR:TAG` put there
 * (never cached: reading a layout is local), so a machine with no registry can list, search
 * and show `info`, as it can load.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { mapConcurrent } from "../net/map_concurrent.ts";
import { sortBySemver } from "../versions/sort_by_semver.ts";
import { tagToVersion } from "../versions/tag_to_version.ts";
import type { LayoutEntry } from "./oci_layout.ts";
import type { OciExtensionMetadata } from "./oci_metadata.ts";
import type {
  DiscoveredExtension,
  ExtensionVersionDetails,
  MaterializedExtension,
  MaterializeOptions,
  ResolvedVersion,
  Source,
  SourceVersion,
} from "./types.ts";
import type { ExtensionType } from "../manifest/types.ts";

/** Reading layouts and artifacts, loaded on first use: a cache hit asks only `isOriginOf`. */
const fetching = () => import("./_fetching.ts");

/** Layout folders discovery reads at once. */
const CONCURRENCY = 8;

/**
 * Creates the OCI layout source over the given layout paths (highest precedence first).
 * With no paths it is unavailable (`auto` skips it).
 *
 * @example
 * ```ts
 * import { createOciLayoutSource } from "./oci_layout_source.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(createOciLayoutSource([]).unavailable ?? "", /layout_paths/);
 * const source = createOciLayoutSource(["/nonexistent"]);
 * await assert.rejects(source.resolve("aws", "latest"), { code: "NOT_FOUND" });
 * ```
 *
 * @param layoutPaths Layout directories, or folders of per-extension layouts.
 * @returns The source.
 */
export function createOciLayoutSource(layoutPaths: readonly string[]): Source {
  const entriesByName = new Map<string, Promise<LayoutEntry[]>>();
  const entriesOf = (name: string) => {
    let entries = entriesByName.get(name);
    if (entries === undefined) {
      entries = fetching().then(({ readLayoutEntries }) =>
        Promise.all(layoutPaths.map((p) => readLayoutEntries(p, name)))
      ).then((all) => all.flat());
      entriesByName.set(name, entries);
    }
    return entries;
  };
  const notFound = (name: string) =>
    new ProvisioningError(
      "NOT_FOUND",
      `Extension "${name}" not found in the OCI layouts (${layoutPaths.join(", ")})`,
      { hint: "Copy it in with `skopeo copy docker://REGISTRY/NS/NAME:TAG oci:DIR:TAG`" },
    );

  // What discovery read, by name and version, so `describe` after `lookup` reads nothing twice.
  const read = new Map<string, { meta: OciExtensionMetadata; entry: LayoutEntry }>();
  const byVersion = new Map<string, LayoutEntry[]>();
  /** One name in one layout: its versions and the highest one's metadata. */
  const readName = async (
    entries: LayoutEntry[],
    warn: (message: string) => void,
    signal: AbortSignal,
  ): Promise<DiscoveredExtension | undefined> => {
    const { ociEntry, versionsFromTags } = await fetching();
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
    kind: "oci-layout",
    label: `OCI layouts (${layoutPaths.join(", ")})`,
    unavailable: layoutPaths.length === 0
      ? "no OCI layouts configured ([extensions] layout_paths)"
      : undefined,
    cacheKey: undefined,
    cached: true,
    network: false,
    async listVersions(name: string, type?: ExtensionType): Promise<SourceVersion[]> {
      const seen = new Map<string, SourceVersion>();
      for (const entry of await entriesOf(name)) {
        if (type !== undefined && entry.type !== undefined && entry.type !== type) continue;
        const version = tagToVersion(entry.tag);
        if (version === undefined || seen.has(version)) continue;
        seen.set(version, {
          version,
          ref: entry.tag,
          ...(isType(entry.type) ? { type: entry.type } : {}),
        });
      }
      return sortBySemver([...seen.keys()]).map((v) => seen.get(v)!);
    },
    async resolve(name: string, spec: string, type?: ExtensionType): Promise<ResolvedVersion> {
      const entries = (await entriesOf(name)).filter((e) =>
        type === undefined || e.type === undefined || e.type === type
      );
      if (entries.length === 0) throw notFound(name);
      const match = (await fetching()).resolveOciVersion(spec, entries.map((e) => e.tag));
      if (match === undefined) {
        const versions = sortBySemver([
          ...new Set(entries.map((e) => tagToVersion(e.tag)).filter((v) => v !== undefined)),
        ]).reverse();
        throw new ProvisioningError(
          "VERSION_NOT_FOUND",
          `No version of "${name}" in the OCI layouts satisfies "${spec}"`,
          { hint: `Available versions: ${versions.join(", ") || "none"}` },
        );
      }
      const entry = entries.find((e) => e.tag === match.tag)!;
      return {
        source: "oci-layout",
        name,
        version: match.version,
        ref: match.tag,
        spec,
        ...(isType(entry.type) ? { type: entry.type } : {}),
      };
    },
    async resolveDigest(name: string, digest: string, type?: ExtensionType) {
      // The entry `index.json` names by this digest, else the one whose manifest it is.
      const { createLayoutTarget, resolveArtifact } = await fetching();
      const entries = await entriesOf(name);
      let entry = entries.find((e) => e.descriptor.digest === digest);
      for (const candidate of entry === undefined ? entries : []) {
        const label = `${candidate.layout}:${candidate.tag}`;
        const found = await resolveArtifact(
          createLayoutTarget(candidate.layout),
          candidate.descriptor,
          {
            label,
          },
        );
        if (found.descriptor.digest === digest) {
          entry = candidate;
          break;
        }
      }
      const version = entry === undefined ? undefined : tagToVersion(entry.tag);
      if (entry === undefined || version === undefined) {
        throw new ProvisioningError(
          "NOT_FOUND",
          `No version of "${name}" in the OCI layouts has the digest "${digest}"`,
          { hint: `Run \`provisioning ext versions ${name} --source oci-layout\`` },
        );
      }
      const declared = isType(entry.type) ? entry.type : undefined;
      if (type !== undefined && declared !== undefined && declared !== type) throw notFound(name);
      return {
        source: "oci-layout" as const,
        name,
        version,
        ref: entry.tag,
        spec: digest,
        ...(declared === undefined ? {} : { type: declared }),
      };
    },
    async materialize(
      resolved: ResolvedVersion,
      options: MaterializeOptions,
    ): Promise<MaterializedExtension> {
      const entry = (await entriesOf(resolved.name)).find((e) => e.tag === resolved.ref);
      if (entry === undefined) throw notFound(resolved.name);
      const label = `${entry.layout}:${entry.tag}`;
      const { createLayoutTarget, materializeArtifact } = await fetching();
      return await materializeArtifact(
        createLayoutTarget(entry.layout),
        entry.descriptor,
        resolved,
        { source: "oci-layout", label, repository: entry.layout },
        options,
      );
    },
    async currentDigest(resolved: ResolvedVersion): Promise<string> {
      const entry = (await entriesOf(resolved.name)).find((e) => e.tag === resolved.ref);
      if (entry === undefined) throw notFound(resolved.name);
      return entry.descriptor.digest;
    },
    isOriginOf(record) {
      const folder = record.repository;
      return record.source === "oci-layout" && folder !== undefined &&
        layoutPaths.some((p) => folder === p || folder.startsWith(p.endsWith("/") ? p : `${p}/`));
    },
    async discover(context) {
      const { layoutFolders, layoutNames, readLayoutEntries } = await fetching();
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
      for (const group of Map.groupBy(await entriesOf(name), (e) => e.layout).values()) {
        const row = await readName(group, context.warn, context.signal);
        if (row !== undefined) found.push(row);
      }
      return found;
    },
    async describe(entry, version, context): Promise<ExtensionVersionDetails> {
      const { ociDetails, versionsFromTags } = await fetching();
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
    close() {},
  };
}

/** The metadata of one layout entry, named `oci:LAYOUT:NAME:TAG` as skopeo spells it. */
async function describeEntry(
  entry: LayoutEntry,
  version: string,
  versions: string[],
  warn: (message: string) => void,
  signal: AbortSignal,
): Promise<OciExtensionMetadata> {
  const { createLayoutTarget, describeArtifact } = await fetching();
  return await describeArtifact(
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

function isType(value: string | undefined): value is ExtensionType {
  return value === "provider" || value === "taskserv" || value === "cluster";
}
