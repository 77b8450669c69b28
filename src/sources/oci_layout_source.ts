/**
 * The `oci-layout` source: extensions in OCI image layouts on disk
 * (`[extensions] layout_paths`), for air-gapped machines. Versions and artifacts work as in
 * the `oci` source — tags resolved with `resolveOciVersion`, the layer unpacked into the
 * cache, the manifest inside validated — with every blob digest-checked. The first layout
 * path holding a version wins.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { resolveOciVersion, sortBySemver, tagToVersion } from "../versions/mod.ts";
import { materializeArtifact } from "./_artifact.ts";
import { createLayoutTarget, type LayoutEntry, readLayoutEntries } from "./oci_layout.ts";
import type {
  MaterializedExtension,
  MaterializeOptions,
  ResolvedVersion,
  Source,
  SourceVersion,
} from "./types.ts";
import type { ExtensionType } from "../manifest/types.ts";

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
      entries = Promise.all(layoutPaths.map((p) => readLayoutEntries(p, name))).then((all) =>
        all.flat()
      );
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

  return {
    kind: "oci-layout",
    unavailable: layoutPaths.length === 0
      ? "no OCI layouts configured ([extensions] layout_paths)"
      : undefined,
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
      const match = resolveOciVersion(spec, entries.map((e) => e.tag));
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
    async materialize(
      resolved: ResolvedVersion,
      options: MaterializeOptions,
    ): Promise<MaterializedExtension> {
      const entry = (await entriesOf(resolved.name)).find((e) => e.tag === resolved.ref);
      if (entry === undefined) throw notFound(resolved.name);
      const label = `${entry.layout}:${entry.tag}`;
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
    close() {},
  };
}

function isType(value: string | undefined): value is ExtensionType {
  return value === "provider" || value === "taskserv" || value === "cluster";
}
