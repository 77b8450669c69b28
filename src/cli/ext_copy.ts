/**
 * `ext copy REF DEST`: an extension copied with its digests (and its signatures) from a
 * registry or an OCI layout to another registry or an OCI layout folder — the air-gapped
 * route: copy into a layout, carry it, load and list it there.
 *
 * @module
 */

import { resolve } from "../fs/path.ts";
import type { ResolvedConfig } from "../config/types.ts";
import { registryOfName } from "../config/picked_registry.ts";
import { placeOfRegistry } from "../registries/registry_places.ts";
import { copyArtifact, type CopyResult } from "../copy/copy_artifact.ts";
import { type CopiedDependency, copyDependencies } from "../copy/copy_dependencies.ts";
import { layoutWritable, registryWritable, type WritableTarget } from "../copy/copy_target.ts";
import { ProvisioningError } from "../errors.ts";
import { createRegistryClient, type RegistryClient } from "../oci/client.ts";
import { createRemoteTarget, type ReadOnlyTarget } from "../oci/content.ts";
import { getArtifactTags } from "../oci/tags.ts";
import type { Descriptor } from "../oci/types.ts";
import { parseExtensionReference, withReferencePlace } from "../sources/extension_reference.ts";
import { createLayoutTarget, readLayoutEntries } from "../sources/oci_layout.ts";
import { resolveOciVersion, sortBySemver, tagToVersion } from "../versions/mod.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import { type CliContext, printable } from "./io.ts";
import { formatData, type OutputFormat } from "./output.ts";

/** The `oci-layout:` prefix of a layout destination (or source). */
export const LAYOUT_PREFIX = "oci-layout:";

/** Options of `ext copy`. */
export interface CopyCommandOptions {
  version?: string;
  /** `--from-oci-layout DIR`: read from that layout instead of the registry. */
  fromOciLayout?: string;
  /** `--deps`: copy the resolved dependencies too, from the same place. */
  deps?: boolean;
  format: OutputFormat;
}

/** Where a copy goes, as `DEST` names it. */
export type CopyDestination =
  | { kind: "layout"; path: string }
  | { kind: "registry"; registry: string; namespace: string; name?: string; tag?: string };

/**
 * Reads `DEST`: `oci-layout:PATH`, or a registry namespace (`[oci://]REGISTRY/NAMESPACE`, the
 * extension keeps its name and tag), or a whole reference with a tag
 * (`[oci://]REGISTRY/NAMESPACE/NAME:TAG`).
 *
 * @example
 * ```ts
 * import { parseCopyDestination } from "./ext_copy.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseCopyDestination("oci-layout:./out", "/w"), { kind: "layout", path: "/w/out" });
 * assert.deepEqual(parseCopyDestination("oci://r.io:5000/team", "/w"),
 *   { kind: "registry", registry: "r.io:5000", namespace: "team" });
 * assert.deepEqual(parseCopyDestination("r.io/team/aws:2.0.0", "/w"),
 *   { kind: "registry", registry: "r.io", namespace: "team", name: "aws", tag: "2.0.0" });
 * ```
 *
 * @param dest What was typed.
 * @param cwd Where relative layout paths start.
 * @returns The destination.
 * @throws {ProvisioningError} `USAGE` for anything else.
 */
export function parseCopyDestination(dest: string, cwd: string): CopyDestination {
  if (dest.startsWith(LAYOUT_PREFIX)) {
    const path = dest.slice(LAYOUT_PREFIX.length);
    if (path === "") throw new ProvisioningError("USAGE", "oci-layout: needs a folder");
    return { kind: "layout", path: resolve(cwd, path) };
  }
  const bare = dest.startsWith("oci://") ? dest.slice("oci://".length) : dest;
  const [registry, ...parts] = bare.split("/");
  const last = parts.at(-1) ?? "";
  const colon = last.indexOf(":");
  if (registry === undefined || registry === "" || parts.length === 0 || last === "") {
    throw new ProvisioningError(
      "USAGE",
      `"${dest}" is not a destination: oci-layout:PATH, REGISTRY/NAMESPACE or REGISTRY/NAMESPACE/NAME:TAG`,
    );
  }
  if (colon === -1) return { kind: "registry", registry, namespace: parts.join("/") };
  return {
    kind: "registry",
    registry,
    namespace: parts.slice(0, -1).join("/"),
    name: last.slice(0, colon),
    tag: last.slice(colon + 1),
  };
}

/**
 * `ext copy REF DEST [--version SPEC] [--from-oci-layout DIR] [--deps]`.
 *
 * @example
 * ```ts ignore
 * await runCopy(ctx, {}, "redis:1.2.0", "oci-layout:./airgap", { format: "table" });
 * ```
 *
 * @param ctx Output and environment.
 * @param globals Global flags.
 * @param ref The extension (`NAME[:TAG]`, `NAME@DIGEST`, `oci://REGISTRY/NS/NAME[:TAG]`).
 * @param dest Where it goes.
 * @param options `--version`, `--from-oci-layout`, `--deps`, `--format`.
 * @throws {ProvisioningError} `NOT_FOUND`, `VERSION_NOT_FOUND`, integrity and registry errors.
 */
export async function runCopy(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  ref: string,
  dest: string,
  options: CopyCommandOptions,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const asked = parseExtensionReference(ref, options.version, config.settings.oci);
  const where = parseCopyDestination(dest, ctx.cwd);
  const clients: RegistryClient[] = [];
  const clientFor = (settings: ResolvedConfig["settings"]["oci"]) => {
    const client = createRegistryClient(settings, {
      home: ctx.home,
      onNote: (line, level) => ctx.err(`${level ?? "note"}: ${printable(line)}\n`),
    });
    clients.push(client);
    return client;
  };
  try {
    const layout = options.fromOciLayout === undefined
      ? undefined
      : resolve(ctx.cwd, options.fromOciLayout);
    const sourceClient = layout === undefined
      ? clientFor(withReferencePlace(config, asked).settings.oci)
      : undefined;
    // Dependencies are looked for where the extension is: the same layout, or namespace.
    const find = (wanted: { name: string; spec: string; digest?: string | undefined }) =>
      layout !== undefined
        ? fromLayout(layout, wanted.name, wanted.spec, wanted.digest)
        : fromRegistry(sourceClient!, wanted);
    const source = await find(asked);
    const name = where.kind === "registry" ? where.name ?? asked.name : asked.name;
    const tag = where.kind === "registry" ? where.tag ?? source.tag : source.tag;
    if (where.kind === "layout" && tag === undefined) {
      throw new ProvisioningError(
        "USAGE",
        `A copy into an OCI layout needs a tag; "${ref}" names a digest`,
        {
          hint: "Copy NAME:TAG (or NAME --version X) so the layout can list it",
        },
      );
    }
    let destination: (name: string) => WritableTarget;
    if (where.kind === "layout") destination = (name) => layoutWritable(where.path, name);
    else {
      // A listed registry (by host or name) is written with its own TLS and credentials.
      const oci = config.settings.oci;
      const registry = registryOfName(where.registry, oci.registries);
      const client = clientFor({
        ...placeOfRegistry(oci, registry, config.origins).oci,
        namespace: where.namespace,
      });
      destination = (name) => registryWritable(client, client.reference(name));
    }
    const to = destination(name);
    const result = await copyArtifact(source.target, to, source.descriptor, tag);
    const dependencies = options.deps === true
      ? await copyDependencies(
        { name: asked.name, target: source.target, descriptor: source.descriptor, tag: tag! },
        {
          open: async (depName, spec) => {
            const found = await find({ name: depName, spec });
            return { name: depName, ...found, tag: found.tag! };
          },
          destination,
        },
      )
      : undefined;
    await report(
      ctx,
      options.format,
      source.target.label,
      to.label,
      name,
      tag,
      result,
      dependencies,
    );
  } finally {
    for (const client of clients) client.close();
  }
}

/** What is copied: the store, the manifest's descriptor, and its tag. */
interface CopySource {
  target: ReadOnlyTarget;
  descriptor: Descriptor;
  tag: string | undefined;
}

async function fromRegistry(
  client: RegistryClient,
  asked: { name: string; spec: string; digest?: string | undefined },
): Promise<CopySource> {
  const repository = client.reference(asked.name);
  const target = createRemoteTarget(client, repository);
  if (asked.digest !== undefined) {
    return { target, descriptor: await target.resolve(asked.digest), tag: undefined };
  }
  const tags = await getArtifactTags(client, repository);
  const match = resolveOciVersion(asked.spec, tags);
  if (match === undefined) {
    const versions = sortBySemver(tags.map(tagToVersion).filter((v) => v !== undefined))
      .reverse();
    throw new ProvisioningError(
      "VERSION_NOT_FOUND",
      `No version of "${asked.name}" on "${target.label}" satisfies "${asked.spec}"`,
      { hint: `Available versions: ${versions.join(", ") || "none"}` },
    );
  }
  return { target, descriptor: await target.resolve(match.tag), tag: match.tag };
}

async function fromLayout(
  path: string,
  name: string,
  spec: string,
  digest: string | undefined,
): Promise<CopySource> {
  const entries = await readLayoutEntries(path, name);
  const entry = digest !== undefined
    ? entries.find((e) => e.descriptor.digest === digest)
    : entries.find((e) => e.tag === resolveOciVersion(spec, entries.map((x) => x.tag))?.tag);
  if (entry === undefined) {
    throw new ProvisioningError(
      entries.length === 0 ? "NOT_FOUND" : "VERSION_NOT_FOUND",
      entries.length === 0
        ? `Extension "${name}" is not in the OCI layout "${path}"`
        : `No version of "${name}" in "${path}" satisfies "${digest ?? spec}"`,
    );
  }
  return { target: createLayoutTarget(entry.layout), descriptor: entry.descriptor, tag: entry.tag };
}

async function report(
  ctx: CliContext,
  format: OutputFormat,
  from: string,
  to: string,
  name: string,
  tag: string | undefined,
  result: CopyResult,
  dependencies: CopiedDependency[] | undefined,
): Promise<void> {
  const shown = {
    name,
    tag: tag ?? null,
    from,
    to,
    digest: result.digest,
    copied: result.copied,
    skipped: result.skipped,
    bytes: result.bytes,
    signatures: result.signatures,
    ...(dependencies === undefined ? {} : {
      dependencies: dependencies.map((d) => ({
        name: d.name,
        tag: d.tag,
        spec: d.spec,
        requiredBy: d.requiredBy,
        digest: d.digest,
        copied: d.copied,
        skipped: d.skipped,
        bytes: d.bytes,
        signatures: d.signatures,
      })),
    }),
  };
  if (format !== "table") return ctx.out(await formatData(shown, format));
  const signed = result.signatures.length > 0
    ? `, with ${result.signatures.length} signature tag`
    : "";
  // Tags, names and specs come from the registry or the artifacts: escaped before printing.
  ctx.out(
    `${
      printable(
        `Copied ${name}${tag === undefined ? "" : `:${tag}`} (${result.digest}) from ${from} ` +
          `to ${to}: ${result.copied} written, ${result.skipped} already there${signed}`,
      )
    }\n`,
  );
  for (const d of dependencies ?? []) {
    ctx.out(
      `${
        printable(
          `  dependency ${d.name}:${d.tag} (${d.spec}, of ${d.requiredBy}) ${d.digest}: ` +
            `${d.copied} written, ${d.skipped} already there`,
        )
      }\n`,
    );
  }
  if (dependencies?.length === 0) ctx.out("  no dependencies declared\n");
}
