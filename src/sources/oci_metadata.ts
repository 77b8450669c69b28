/**
 * Metadata of an OCI extension artifact without downloading any layer: the manifest (an
 * index is resolved to the extension's manifest), then our config blob — the
 * `extension.yaml` as JSON — when the artifact has one; otherwise what the manifest
 * annotations say (artifacts pushed by `oras push`).
 *
 * @module
 */

import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { validateManifest } from "../manifest/mod.ts";
import { EXTENSION_TYPES, type ExtensionManifest, type ExtensionType } from "../manifest/types.ts";
import {
  ANNOTATION_AUTHORS,
  ANNOTATION_DESCRIPTION,
  ANNOTATION_EXTENSION_TYPE,
  ANNOTATION_LICENSES,
  ANNOTATION_SOURCE,
  ANNOTATION_URL,
  createRemoteTarget,
  type Descriptor,
  formatReference,
  getArtifactTags,
  type ImageManifest,
  MEDIA_TYPE_EXTENSION_CONFIG,
  readDeclaredIdentity,
  type ReadOnlyTarget,
  type Reference,
  referenceTarget,
  type RegistryClient,
  resolveArtifact,
} from "../oci/mod.ts";
import { resolveOciVersion, tagToVersion } from "../versions/mod.ts";
import { versionsFromTags } from "./_tag_versions.ts";
import type {
  DiscoveredExtension,
  DiscoveredType,
  ExtensionVersionDetails,
  MetadataOrigin,
} from "./types.ts";

/** Options of {@linkcode getOciExtensionMetadata}. */
export interface OciMetadataOptions {
  /** Version or version spec to describe (`1.2.0`, `^1.2.0`); default: the highest. */
  version?: string;
  /** The repository's tags when already listed (saves the tag request). */
  tags?: readonly string[];
  /** Aborts the manifest request. */
  signal?: AbortSignal;
  /** Receives one-line notes (an invalid config blob, read from annotations instead). */
  onWarning?: (message: string) => void;
}

/** What {@linkcode getOciExtensionMetadata} found out about one version of an artifact. */
export interface OciExtensionMetadata {
  /** Extension name: the repository's last path component. */
  name: string;
  /** From the config, else the `dev.provisioning.extension.type` annotation, else `unknown`. */
  type: DiscoveredType;
  /** The version described. */
  version: string;
  /** The tag it was read from (`1.2.0`, `v1.2.0`, `1.2.0_build`). */
  tag: string;
  /** `host[:port]`. */
  registry: string;
  /** `namespace/name`. */
  repository: string;
  /** `registry/namespace/name:tag`. */
  reference: string;
  /** Digest of the image manifest (the one chosen from an index, if any). */
  digest: string;
  /** Bytes of the layers: what a pull downloads. */
  size: number;
  /** The manifest's OCI 1.1 `artifactType`, if any. */
  artifactType: string | null;
  /** Media type of the config blob. */
  configMediaType: string;
  /** The manifest's annotations. */
  annotations: Record<string, string>;
  /** The validated `extension.yaml` from the config blob; undefined for other artifacts. */
  manifest: ExtensionManifest | undefined;
  /** Where `type`, `description`… came from. */
  metadataFrom: MetadataOrigin;
  description: string;
  author: string | null;
  license: string | null;
  homepage: string | null;
  /** `metadata.repository` / `org.opencontainers.image.source`. */
  sourceRepository: string | null;
  /** Every version the repository's tags name, highest first. */
  versions: string[];
}

/**
 * Reads the metadata of one version of an extension from the registry: tags (unless
 * given), the manifest, and the small config blob — never a layer.
 *
 * @example
 * ```ts ignore
 * const meta = await getOciExtensionMetadata(client, "aws");
 * console.log(meta.version, meta.type, meta.digest, meta.manifest?.dependencies);
 * ```
 *
 * @param client The registry client.
 * @param name Extension name (`aws`), `namespace/name`, or a full reference.
 * @param options Version or spec, known tags, abort signal, warning sink.
 * @returns The metadata.
 * @throws {ProvisioningError} `NOT_FOUND` for an unknown repository or a repository without
 *   version tags; `VERSION_NOT_FOUND` when no tag satisfies the spec;
 *   `INVALID_VERSION_SPEC`; registry, network and auth errors.
 */
export async function getOciExtensionMetadata(
  client: RegistryClient,
  name: string,
  options: OciMetadataOptions = {},
): Promise<OciExtensionMetadata> {
  const ref = client.reference(name);
  const base: Reference = {
    registry: ref.registry,
    namespace: ref.namespace,
    name: ref.name,
    repository: ref.repository,
  };
  const tags = options.tags ?? await getArtifactTags(client, base);
  const { versions, highest, tagOf } = versionsFromTags(tags);
  const label = `${base.registry}/${base.repository}`;
  let version: string | undefined;
  let tag: string | undefined;
  const spec = options.version ?? ref.tag;
  if (spec === undefined) {
    version = highest;
    tag = version === undefined ? undefined : tagOf.get(version);
    if (version === undefined || tag === undefined) {
      throw new ProvisioningError(
        "NOT_FOUND",
        `Repository "${label}" has no version tags`,
        tags.length > 0 ? { hint: `Its tags: ${tags.slice(0, 10).join(", ")}` } : {},
      );
    }
  } else {
    const literal = tags.includes(spec) ? tagToVersion(spec) : undefined;
    const match = literal === undefined
      ? resolveOciVersion(spec, tags)
      : { tag: spec, version: literal };
    if (match === undefined) {
      throw new ProvisioningError(
        "VERSION_NOT_FOUND",
        `No version of "${label}" satisfies "${spec}"`,
        versions.length > 0 ? { hint: `Available versions: ${versions.join(", ")}` } : {},
      );
    }
    tag = match.tag;
    version = match.version;
  }
  return await readArtifactMetadata(client, { ...base, tag }, version, versions, options);
}

/**
 * Reads manifest and config of one tag whose repository's tags are already listed (what
 * {@linkcode getOciExtensionMetadata} does after choosing the tag).
 *
 * @example
 * ```ts ignore
 * const tags = await getArtifactTags(client, "aws");
 * const meta = await readArtifactMetadata(client, client.reference("aws:2.4.1"), "2.4.1",
 *   ["2.4.1"]);
 * ```
 *
 * @param client The registry client.
 * @param reference Repository and tag.
 * @param version The version the tag names.
 * @param versions Every version of the repository, highest first.
 * @param options Abort signal and warning sink.
 * @returns The metadata.
 */
export async function readArtifactMetadata(
  client: RegistryClient,
  reference: Reference,
  version: string,
  versions: string[],
  options: Pick<OciMetadataOptions, "signal" | "onWarning"> = {},
): Promise<OciExtensionMetadata> {
  return await describeArtifact(
    createRemoteTarget(client, reference),
    referenceTarget(reference),
    {
      name: reference.name,
      version,
      tag: reference.tag ?? version,
      registry: reference.registry,
      repository: reference.repository,
      label: formatReference(reference),
    },
    versions,
    options,
  );
}

/** Who an artifact is, for {@linkcode describeArtifact}. */
export interface ArtifactIdentity {
  name: string;
  /** The version its tag names. */
  version: string;
  tag: string;
  /** Registry host, or `""` for a layout. */
  registry: string;
  /** Repository, or the layout folder. */
  repository: string;
  /** The reference shown and kept as `reference`. */
  label: string;
}

/**
 * The metadata of one artifact in any store (a registry repository, an OCI layout): its
 * manifest (an index searched), our config blob validated as a manifest, else annotations.
 *
 * @example
 * ```ts ignore
 * const meta = await describeArtifact(createLayoutTarget(dir), descriptor, identity, ["1.0.0"]);
 * ```
 *
 * @param target The store.
 * @param at A tag or digest in it, or the descriptor of its manifest.
 * @param identity Name, version, tag and where (for the result).
 * @param versions Every version, highest first.
 * @param options Abort signal and warning sink.
 * @returns The metadata.
 */
export async function describeArtifact(
  target: ReadOnlyTarget,
  at: string | Descriptor,
  identity: ArtifactIdentity,
  versions: string[],
  options: Pick<OciMetadataOptions, "signal" | "onWarning"> = {},
): Promise<OciExtensionMetadata> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const label = identity.label;
  const found = await resolveArtifact(target, at, { ...signal, label });
  const image = found.manifest;
  const annotations = image.annotations ?? {};
  const manifest = await readConfig(target, image, label, options);
  const a = (key: string) => nonEmpty(annotations[key]);
  const annotatedType = a(ANNOTATION_EXTENSION_TYPE);
  const type: DiscoveredType = manifest?.extension.type ??
    (EXTENSION_TYPES.includes(annotatedType as ExtensionType)
      ? annotatedType as ExtensionType
      : "unknown");
  return {
    name: identity.name,
    type,
    version: identity.version,
    tag: identity.tag,
    registry: identity.registry,
    repository: identity.repository,
    reference: label,
    digest: found.descriptor.digest,
    size: image.layers.reduce((sum, layer) => sum + layer.size, 0),
    artifactType: image.artifactType ?? null,
    configMediaType: image.config.mediaType,
    annotations,
    manifest,
    metadataFrom: manifest === undefined ? "annotations" : "manifest",
    description: manifest?.extension.description ?? a(ANNOTATION_DESCRIPTION) ?? "",
    author: manifest?.extension.author ?? a(ANNOTATION_AUTHORS) ?? null,
    license: manifest?.metadata?.license ?? a(ANNOTATION_LICENSES) ?? null,
    homepage: manifest?.metadata?.homepage ?? a(ANNOTATION_URL) ?? null,
    sourceRepository: manifest?.metadata?.repository ?? a(ANNOTATION_SOURCE) ?? null,
    versions,
  };
}

/** Our config blob as a validated manifest; undefined (with a warning) when it is not one. */
async function readConfig(
  target: ReadOnlyTarget,
  image: ImageManifest,
  label: string,
  options: Pick<OciMetadataOptions, "signal" | "onWarning">,
): Promise<ExtensionManifest | undefined> {
  if (image.config.mediaType !== MEDIA_TYPE_EXTENSION_CONFIG) return undefined;
  let data: unknown;
  try {
    ({ config: data } = await readDeclaredIdentity(
      target,
      image,
      label,
      options.signal === undefined ? {} : { signal: options.signal },
    ));
  } catch (error) {
    if (!isProvisioningError(error, "INVALID_EXTENSION")) throw error;
    options.onWarning?.(`config of "${label}" is not JSON; using the manifest annotations`);
    return undefined;
  }
  const validation = validateManifest(data, `config of "${label}"`);
  if (validation.manifest === undefined) {
    const first = validation.problems[0];
    options.onWarning?.(
      `config of "${label}" is not a valid extension manifest (${
        first === undefined ? "invalid" : `${first.path}: ${first.message}`
      }); using the manifest annotations`,
    );
  }
  return validation.manifest;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/**
 * The discovery entry of an artifact's metadata.
 *
 * @example
 * ```ts ignore
 * const entry = ociEntry(await getOciExtensionMetadata(client, "aws"));
 * ```
 *
 * @param meta Metadata of the highest version.
 * @returns The entry (`cached` empty: the caller marks cached versions).
 */
export function ociEntry(meta: OciExtensionMetadata): DiscoveredExtension {
  return {
    name: meta.name,
    type: meta.type,
    version: meta.version,
    versions: meta.versions,
    source: "oci",
    description: meta.description,
    author: meta.author,
    license: meta.license,
    homepage: meta.homepage,
    path: null,
    reference: meta.reference,
    digest: meta.digest,
    size: meta.size,
    metadataFrom: meta.metadataFrom,
    cached: [],
  };
}

/**
 * The `ext info` details of an artifact's metadata, from a registry or an OCI layout.
 *
 * @param meta What {@linkcode readArtifactMetadata} (or `describeArtifact`) read.
 * @param source Which source read it.
 * @returns The details.
 */
export function ociDetails(
  meta: OciExtensionMetadata,
  source: "oci" | "oci-layout",
): ExtensionVersionDetails {
  return {
    name: meta.name,
    type: meta.type,
    version: meta.version,
    source,
    manifest: meta.manifest,
    description: meta.description,
    author: meta.author,
    license: meta.license,
    homepage: meta.homepage,
    repository: meta.sourceRepository,
    path: null,
    reference: meta.reference,
    digest: meta.digest,
    size: meta.size,
    metadataFrom: meta.metadataFrom,
  };
}
