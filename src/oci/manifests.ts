/**
 * Manifests: fetch (with every OCI and Docker v2 `Accept` type, capped at 4 MiB while it
 * streams, digest-checked when fetched by digest), resolve (HEAD), existence, push and a
 * deterministic builder for the artifact manifest.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { RegistryClient } from "./client.ts";
import { digestOf } from "./digest.ts";
import { discardBody, readBodyLimited } from "./http.ts";
import {
  IMAGE_MANIFEST_TYPES,
  INDEX_MANIFEST_TYPES,
  MANIFEST_ACCEPT_TYPES,
  MAX_MANIFEST_BYTES,
  MEDIA_TYPE_OCI_MANIFEST,
} from "./media_types.ts";
import { formatReference, isDigest, referenceTarget } from "./reference.ts";
import type { Descriptor, ImageIndex, ImageManifest, Reference } from "./types.ts";

/** A fetched manifest: its bytes, digest and parsed form (a manifest or an index). */
export type ManifestResult =
  & {
    /** The reference it was fetched by. */
    reference: Reference;
    /** `sha256:` of the bytes. */
    digest: string;
    /** Media type (the document's `mediaType`, else the `Content-Type`). */
    mediaType: string;
    /** Size in bytes. */
    size: number;
    /** The exact bytes (push them back unchanged to keep the digest). */
    bytes: Uint8Array;
  }
  & (
    | { kind: "manifest"; manifest: ImageManifest }
    | { kind: "index"; index: ImageIndex }
  );

/** Options of {@linkcode getArtifactManifest}. */
export interface GetManifestOptions {
  /** Largest manifest accepted (default 4 MiB). */
  maxBytes?: number;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * Fetches and parses a manifest or index by tag or digest.
 *
 * @example
 * ```ts ignore
 * const result = await getArtifactManifest(client, "aws:1.0.0");
 * if (result.kind === "manifest") console.log(result.manifest.layers.length);
 * ```
 *
 * @param client The registry client.
 * @param ref Reference with a tag or digest.
 * @param options Size cap and abort signal.
 * @returns The manifest with its bytes and digest.
 * @throws {ProvisioningError} `NOT_FOUND`; `DIGEST_MISMATCH` when fetched by digest and the
 *   bytes differ; `SIZE_MISMATCH` for an oversized manifest, `REGISTRY_ERROR` for a malformed
 *   one; `UNSUPPORTED` for Docker schema 1; network and auth errors.
 */
export async function getArtifactManifest(
  client: RegistryClient,
  ref: string | Reference,
  options: GetManifestOptions = {},
): Promise<ManifestResult> {
  const fetched = await fetchManifestBytes(client, ref, options);
  const { reference, bytes, descriptor } = fetched;
  return {
    reference,
    digest: descriptor.digest,
    size: descriptor.size,
    bytes,
    ...parseManifest(bytes, fetched.contentType, formatReference(reference)),
  };
}

/**
 * Fetches a manifest's bytes by tag or digest (one `GET` with every manifest type in
 * `Accept`, capped while it streams), with the descriptor they make: the digest is computed
 * from the bytes, and checked against the reference's digest when it has one; the media
 * type is the response's `Content-Type` (the parsed document has the last word).
 *
 * @example
 * ```ts ignore
 * const { descriptor, bytes } = await fetchManifestBytes(client, "aws:1.0.0");
 * ```
 *
 * @param client The registry client.
 * @param ref Reference with a tag or digest.
 * @param options Size cap and abort signal.
 * @returns The reference, the bytes, their descriptor and the response's media type.
 * @throws {ProvisioningError} As {@linkcode getArtifactManifest}, except parsing.
 */
export async function fetchManifestBytes(
  client: RegistryClient,
  ref: string | Reference,
  options: GetManifestOptions = {},
): Promise<
  { reference: Reference; bytes: Uint8Array; descriptor: Descriptor; contentType?: string }
> {
  const { reference, response } = await getManifestResponse(client, ref, options.signal);
  const limit = options.maxBytes ?? MAX_MANIFEST_BYTES;
  let bytes: Uint8Array;
  try {
    bytes = await readBodyLimited(response, limit);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // A size bound, like a config's or a layer's: an integrity refusal (exit 5).
    throw new ProvisioningError(
      "SIZE_MISMATCH",
      `Manifest "${formatReference(reference)}" is larger than ${limit} bytes`,
      { hint: "Manifests are capped at 4 MiB; this is not an extension artifact" },
    );
  }
  const digest = digestOf(bytes);
  if (reference.digest !== undefined && reference.digest.startsWith("sha256:")) {
    if (digest !== reference.digest) {
      // Through a mirror, the answer came from another host than the reference names.
      const answered = URL.parse(response.url)?.host;
      const from = answered !== undefined && answered !== reference.registry
        ? `the mirror "${answered}"`
        : "the registry";
      throw new ProvisioningError(
        "DIGEST_MISMATCH",
        `Digest mismatch for manifest "${formatReference(reference)}": got "${digest}"`,
        {
          hint: `${capitalize(from)} sent different bytes than the digest names; nothing was kept`,
        },
      );
    }
  }
  const contentType = response.headers.get("content-type")?.split(";")[0]?.trim();
  const mediaType = contentType || MEDIA_TYPE_OCI_MANIFEST;
  return {
    reference,
    bytes,
    descriptor: { mediaType, digest, size: bytes.byteLength },
    ...(contentType === undefined || contentType === "" ? {} : { contentType }),
  };
}

/**
 * Opens a manifest's bytes as the registry sends them (one `GET` with every manifest type
 * in `Accept`), not hashed: for a reader that verifies them against a descriptor itself.
 *
 * @example
 * ```ts ignore
 * const raw = await openManifest(client, { ...repository, digest });
 * ```
 *
 * @param client The registry client.
 * @param ref Reference with a tag or digest.
 * @param signal Aborts the request.
 * @returns The body stream.
 * @throws {ProvisioningError} `NOT_FOUND`; registry, network and auth errors.
 */
export async function openManifest(
  client: RegistryClient,
  ref: string | Reference,
  signal?: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const { response } = await getManifestResponse(client, ref, signal);
  return response.body ?? ReadableStream.from([]);
}

async function getManifestResponse(
  client: RegistryClient,
  ref: string | Reference,
  signal: AbortSignal | undefined,
): Promise<{ reference: Reference; response: Response }> {
  const { reference, url, response } = await manifestRequest(client, "GET", ref, { signal });
  if (!response.ok) {
    throw await client.fail("GET", url, response, {
      what: `pull "${reference.repository}"`,
      notFound: `Manifest "${formatReference(reference)}" not found`,
    });
  }
  return { reference, response };
}

/**
 * Parses manifest bytes into a typed manifest or index, validating every descriptor (a
 * digest is later used in a URL, so a malformed one is refused here).
 *
 * @example
 * ```ts
 * import { parseManifest } from "./manifests.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode(JSON.stringify({
 *   schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [],
 * }));
 * assert.equal(parseManifest(bytes, undefined, "x").kind, "index");
 * ```
 *
 * @param bytes The manifest bytes.
 * @param contentType The response's media type, if any.
 * @param label Names the manifest in error messages.
 * @returns The media type and the typed document.
 * @throws {ProvisioningError} `REGISTRY_ERROR` for malformed documents, `UNSUPPORTED` for
 *   Docker schema 1 or unknown media types.
 */
export function parseManifest(
  bytes: Uint8Array,
  contentType: string | undefined,
  label: string,
):
  & { mediaType: string }
  & ({ kind: "manifest"; manifest: ImageManifest } | { kind: "index"; index: ImageIndex }) {
  const invalid = (reason: string) =>
    new ProvisioningError("REGISTRY_ERROR", `Invalid manifest "${label}": ${reason}`);
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw invalid("not JSON");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw invalid("not an object");
  const record = doc as Record<string, unknown>;
  if (record.schemaVersion === 1) {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `Manifest "${label}" is Docker schema 1, which is not supported`,
    );
  }
  if (record.schemaVersion !== 2) throw invalid("schemaVersion is not 2");
  const mediaType = typeof record.mediaType === "string"
    ? record.mediaType
    : contentType ?? (Array.isArray(record.manifests) ? "" : MEDIA_TYPE_OCI_MANIFEST);
  if (Array.isArray(record.manifests)) {
    if (mediaType !== "" && !INDEX_MANIFEST_TYPES.includes(mediaType)) {
      throw invalid(`media type "${mediaType}" is not an index type`);
    }
    record.manifests.forEach((d, i) => checkDescriptor(d, `manifests[${i}]`, invalid));
    return { kind: "index", index: record as unknown as ImageIndex, mediaType };
  }
  if (!IMAGE_MANIFEST_TYPES.includes(mediaType)) {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `Manifest "${label}" has unsupported media type "${mediaType}"`,
    );
  }
  checkDescriptor(record.config, "config", invalid);
  if (!Array.isArray(record.layers)) throw invalid("layers is not a list");
  record.layers.forEach((d, i) => checkDescriptor(d, `layers[${i}]`, invalid));
  return { kind: "manifest", manifest: record as unknown as ImageManifest, mediaType };
}

/**
 * Resolves a reference to its manifest descriptor with a HEAD request (`Docker-Content-Digest`,
 * `Content-Type`, `Content-Length`); falls back to GET when the registry sends no digest.
 *
 * @example
 * ```ts ignore
 * const { digest } = await resolveManifest(client, "aws:1.0.0");
 * ```
 *
 * @param client The registry client.
 * @param ref Reference with a tag or digest.
 * @param scopes Token scopes to ask for (default: pull).
 * @returns The manifest's descriptor.
 * @throws {ProvisioningError} `NOT_FOUND` and the errors of {@linkcode getArtifactManifest}.
 */
export async function resolveManifest(
  client: RegistryClient,
  ref: string | Reference,
  scopes?: readonly string[],
): Promise<Descriptor> {
  const { reference, url, response } = await headManifest(client, ref, scopes);
  if (!response.ok) {
    throw await client.fail("HEAD", url, response, {
      what: `pull "${reference.repository}"`,
      notFound: `Manifest "${formatReference(reference)}" not found`,
    });
  }
  await discardBody(response);
  const digest = response.headers.get("docker-content-digest");
  const mediaType = response.headers.get("content-type")?.split(";")[0]?.trim();
  const size = Number(response.headers.get("content-length"));
  if (digest !== null && isDigest(digest) && mediaType && Number.isSafeInteger(size)) {
    if (reference.digest !== undefined && digest !== reference.digest) {
      throw new ProvisioningError(
        "DIGEST_MISMATCH",
        `Registry answered digest "${digest}" for "${formatReference(reference)}"`,
      );
    }
    return { mediaType, digest, size };
  }
  const full = await getArtifactManifest(client, reference);
  return { mediaType: full.mediaType, digest: full.digest, size: full.size };
}

/**
 * Whether a manifest exists (HEAD; 404 is `false`).
 *
 * @example
 * ```ts ignore
 * if (await artifactExists(client, "aws:1.0.0")) console.log("published");
 * ```
 *
 * @param client The registry client.
 * @param ref Reference with a tag or digest.
 * @returns True when the registry has it.
 * @throws {ProvisioningError} Network, auth and registry errors other than 404.
 */
export async function artifactExists(
  client: RegistryClient,
  ref: string | Reference,
): Promise<boolean> {
  const { reference, url, response } = await headManifest(client, ref);
  if (response.status === 404) {
    await discardBody(response);
    return false;
  }
  if (!response.ok) {
    throw await client.fail("HEAD", url, response, { what: `pull "${reference.repository}"` });
  }
  await discardBody(response);
  return true;
}

/**
 * Pushes manifest bytes under a tag or digest with `Content-Type` exactly `mediaType`.
 *
 * @example
 * ```ts ignore
 * const { digest } = await pushManifest(client, "aws:1.0.0", bytes, MEDIA_TYPE_OCI_MANIFEST);
 * ```
 *
 * @param client The registry client.
 * @param ref Reference with the tag (or digest) to push to.
 * @param bytes The manifest bytes, pushed unchanged.
 * @param mediaType The manifest's media type.
 * @returns Digest and size of the pushed manifest.
 * @throws {ProvisioningError} `DIGEST_MISMATCH` when the registry reports another digest;
 *   registry, network and auth errors.
 */
export async function pushManifest(
  client: RegistryClient,
  ref: string | Reference,
  bytes: Uint8Array,
  mediaType: string,
): Promise<{ digest: string; size: number }> {
  const reference = client.reference(ref);
  const digest = digestOf(bytes);
  const target = reference.tag ?? reference.digest ?? digest;
  const url = client.repositoryUrl(reference, `manifests/${target}`);
  const response = await client.send({
    method: "PUT",
    url,
    headers: { "content-type": mediaType },
    body: () => bytes as Uint8Array<ArrayBuffer>,
    scopes: [`repository:${reference.repository}:pull,push`],
  });
  if (response.status !== 201 && !response.ok) {
    throw await client.fail("PUT", url, response, { what: `push to "${reference.repository}"` });
  }
  await discardBody(response);
  const reported = response.headers.get("docker-content-digest");
  if (reported !== null && reported !== digest) {
    throw new ProvisioningError(
      "DIGEST_MISMATCH",
      `Registry stored manifest "${
        formatReference(reference)
      }" as "${reported}", expected "${digest}"`,
    );
  }
  return { digest, size: bytes.byteLength };
}

/** What {@linkcode buildManifest} puts into the manifest. */
export interface BuildManifestOptions {
  /** The config descriptor. */
  config: Descriptor;
  /** The layer descriptors, in order. */
  layers: readonly Descriptor[];
  /** OCI 1.1 artifact type. */
  artifactType?: string;
  /** Manifest annotations (written with sorted keys). */
  annotations?: Record<string, string>;
  /** OCI 1.1 subject. */
  subject?: Descriptor;
}

/**
 * Builds an OCI image manifest with a fixed key order and sorted annotations, so the same
 * inputs always give the same bytes and digest.
 *
 * @example
 * ```ts
 * import { buildManifest } from "./manifests.ts";
 * import assert from "node:assert/strict";
 *
 * const config = { mediaType: "application/vnd.oci.empty.v1+json",
 *   digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", size: 2 };
 * const a = buildManifest({ config, layers: [], annotations: { b: "2", a: "1" } });
 * const b = buildManifest({ config, layers: [], annotations: { a: "1", b: "2" } });
 * assert.equal(a.digest, b.digest);
 * ```
 *
 * @param options Config, layers, artifact type, annotations, subject.
 * @returns The manifest, its bytes and digest.
 */
export function buildManifest(
  options: BuildManifestOptions,
): { manifest: ImageManifest; bytes: Uint8Array; digest: string } {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_OCI_MANIFEST,
    ...(options.artifactType === undefined ? {} : { artifactType: options.artifactType }),
    config: normalizeDescriptor(options.config),
    layers: options.layers.map(normalizeDescriptor),
    ...(options.subject === undefined ? {} : { subject: normalizeDescriptor(options.subject) }),
    ...(options.annotations === undefined || Object.keys(options.annotations).length === 0
      ? {}
      : { annotations: sortedRecord(options.annotations) }),
  };
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  return { manifest, bytes, digest: digestOf(bytes) };
}

function normalizeDescriptor(d: Descriptor): Descriptor {
  const out: Descriptor = { mediaType: d.mediaType, digest: d.digest, size: d.size };
  if (d.artifactType !== undefined) out.artifactType = d.artifactType;
  if (d.annotations !== undefined && Object.keys(d.annotations).length > 0) {
    out.annotations = sortedRecord(d.annotations);
  }
  if (d.platform !== undefined) out.platform = d.platform;
  return out;
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

function checkDescriptor(
  value: unknown,
  where: string,
  invalid: (reason: string) => ProvisioningError,
): void {
  if (typeof value !== "object" || value === null) throw invalid(`${where} is not a descriptor`);
  const d = value as Record<string, unknown>;
  if (typeof d.digest !== "string" || !isDigest(d.digest)) {
    throw invalid(`${where}.digest is not a valid digest`);
  }
  if (typeof d.size !== "number" || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw invalid(`${where}.size is not a non-negative integer`);
  }
  if (typeof d.mediaType !== "string") throw invalid(`${where}.mediaType is missing`);
}

/** `HEAD` of a manifest, accepting every manifest type we read (scopes default to pull). */
function headManifest(
  client: RegistryClient,
  ref: string | Reference,
  scopes?: readonly string[],
): Promise<{ reference: Reference; url: URL; response: Response }> {
  return manifestRequest(client, "HEAD", ref, { scopes });
}

/** A `GET` or `HEAD` of a manifest with every manifest type we read in `Accept`. */
async function manifestRequest(
  client: RegistryClient,
  method: "GET" | "HEAD",
  ref: string | Reference,
  options: { scopes?: readonly string[] | undefined; signal?: AbortSignal | undefined },
): Promise<{ reference: Reference; url: URL; response: Response }> {
  const reference = client.reference(ref);
  const url = client.repositoryUrl(reference, `manifests/${referenceTarget(reference)}`);
  const response = await client.send({
    method,
    url,
    headers: { accept: MANIFEST_ACCEPT_TYPES.join(", ") },
    scopes: options.scopes ?? [`repository:${reference.repository}:pull`],
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { reference, url, response };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
